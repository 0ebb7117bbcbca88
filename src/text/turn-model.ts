import { words as englishStopwords } from 'natural/lib/natural/util/stopwords.js';
import type { Language } from '../domain/index.js';
import { cutDictionaryWords } from './segment.js';

/**
 * A learned linear model over the words of one turn (logistic regression): the probability that a
 * reviewer reads the turn as, say, a complaint. Weights are data (a lexicon file's `model:`), trained
 * by scripts/train-turn-model.mjs from turn labels; this module only turns a text into the same
 * features the trainer saw and sums their weights. Pure, linear in the text.
 */
export interface TurnModel {
  /** What a high probability means, named in findings: "dissatisfaction". */
  readonly reads: string;
  readonly bias: number;
  readonly weights: ReadonlyMap<string, number>;
}

/**
 * A trie node: the feature ending here (its weight NaN when the model has none) and what follows,
 * keyed by UTF-16 unit (Chinese characters) or by word (English pairs).
 */
class FeatureNode<K> {
  feature = '';
  weight = Number.NaN;
  /** Set while scoring one turn: the feature counts once however often it occurs. */
  seen = 0;
  next: Map<K, FeatureNode<K>> | null = null;
  child(key: K): FeatureNode<K> {
    this.next ??= new Map();
    let node = this.next.get(key);
    if (!node) {
      node = new FeatureNode<K>();
      this.next.set(key, node);
    }
    return node;
  }
}
type CharNode = FeatureNode<number>;
type WordNode = FeatureNode<string>;

/**
 * A model's features of one to three characters as a trie by UTF-16 unit, built when it first
 * scores a Chinese turn: English models never need one. The first step is a dense row indexed by
 * the unit (every character of a turn takes it; a Map lookup per character was a third of the walk).
 */
const tries = new WeakMap<TurnModel, Array<CharNode | null>>();
function charTrie(model: TurnModel): Array<CharNode | null> {
  const built = tries.get(model);
  if (built) return built;
  const root = new FeatureNode<number>();
  for (const [feature, weight] of model.weights) {
    if (feature === LATER_TURN || feature.includes(' ') || Array.from(feature).length > 3) continue;
    let node = root;
    for (let i = 0; i < feature.length; i++) node = node.child(feature.charCodeAt(i));
    node.feature = feature;
    node.weight = weight;
  }
  const row = new Array<CharNode | null>(0x10000).fill(null);
  for (const [unit, node] of root.next ?? []) row[unit] = node;
  tries.set(model, row);
  return row;
}

/** A model from a lexicon file's `model:` (what it reads, its bias and weights). */
export function turnModel({
  reads,
  bias,
  weights,
}: {
  reads: string;
  bias: number;
  weights: Record<string, number>;
}): TurnModel {
  return { reads, bias, weights: new Map(Object.entries(weights)) };
}

export interface TurnScore {
  /** What the model reads a high probability as (its lexicon's `model.reads`). */
  readonly reads: string;
  readonly probability: number;
  /** The features that pushed the score up most, strongest first (at most three): the "why". */
  readonly reasons: readonly string[];
}

/** Not the customer's own words: links, handles, hashtags and placeholders such as "[数字x]". */
const NOT_WORDS = /https?:\/\/\S+|www\.\S+|[@#][\w.]+|\[[^\]\n]{0,40}\]/gu;

/** A Chinese turn as its features see it: lower-cased, without links, handles, placeholders or spaces. */
const chineseFeatureText = (text: string) => text.replace(NOT_WORDS, ' ').toLowerCase().replace(/\s+/gu, '');
const EN_TOKENS = /[a-z']+|[!?]/g;
/** Typographic apostrophes (a third of those in real tweets) read as the plain one: "can’t" is "can't". */
const APOSTROPHES = /[\u2018\u2019\u02bc]/g;
/** Marks a turn that is not the speaker's first: a second message is more often a complaint. */
export const LATER_TURN = '(later turn)';

/**
 * Features as the trainer and the scorer both see them: lower-cased text without links, handles and
 * placeholders; Chinese: every character, pair and triple of adjacent characters (spaces dropped,
 * punctuation kept: ？？ and ！ say something); English: words and "!"/"?", and pairs of adjacent ones.
 * Visited one by one (a feature may come more than once): scoring a turn builds no list of them.
 */
export function forEachFeature(
  text: string,
  language: Language,
  later: boolean,
  visit: (feature: string) => void,
): void {
  if (language === 'zh') {
    const chars = Array.from(chineseFeatureText(text));
    for (let i = 0; i < chars.length; i++) {
      const a = chars[i]!;
      visit(a);
      if (i + 1 < chars.length) {
        const ab = a + chars[i + 1]!;
        visit(ab);
        if (i + 2 < chars.length) visit(ab + chars[i + 2]!);
      }
    }
  } else {
    const tokens = englishTokens(text);
    for (let i = 0; i < tokens.length; i++) {
      visit(tokens[i]!);
      if (i + 1 < tokens.length) visit(`${tokens[i]!} ${tokens[i + 1]!}`);
    }
  }
  if (later) visit(LATER_TURN);
}

/** An English turn's words and "!"/"?", lower-cased, without links, handles and placeholders. */
function englishTokens(text: string): string[] {
  const words = text.replace(NOT_WORDS, ' ').toLowerCase();
  return words.replace(APOSTROPHES, "'").match(EN_TOKENS) ?? [];
}

/** The distinct features of a turn, in order of first occurrence (what the trainer counts). */
export function turnFeatures(text: string, language: Language, later: boolean): string[] {
  const features = new Set<string>();
  forEachFeature(text, language, later, (f) => features.add(f));
  return [...features];
}

const MAX_REASONS = 3;
/**
 * A reason a reviewer can read: words together ("so slow", 太慢了) say more than one word alone ("of",
 * 慢), and marks alone ("?") say little.
 */
function together(feature: string, language: Language | undefined): boolean {
  if (language === 'zh') return Array.from(feature).length > 1;
  return feature.includes(' ') && feature.split(' ').some((w) => w !== '!' && w !== '?');
}

const WORD_CHAR = /[\p{L}']/u;
const MARK = /[^\p{L}'\s]/u;
const FUNCTION_WORDS: Record<Language, ReadonlySet<string>> = {
  en: new Set(englishStopwords),
  // Particles, pronouns and measure words; not 不/没/还/太/很/又, which carry the complaint (还没, 太慢).
  zh: new Set(Array.from('的了吗呢啊吧呀哦嘛么你您我他她它们这那是在有和就都也个一把被给让着过得地之与及或')),
};

/** Function words that say something on their own in a complaint ("still", "why", "again"). */
const TELLING: ReadonlySet<string> = new Set(['still', 'why', 'again', 'never', 'only', 'too']);

/**
 * Whether a feature can be shown as a reason: no digit or at sign (a reason is quoted in findings and
 * could be a piece of a number), no words run together with punctuation ("，这", "waiting ?"), and
 * no function words alone ("of", 的) or all together ("in the", 你们): they explain nothing.
 */
function readable(feature: string, language: Language | undefined): boolean {
  if (/[\p{N}@]/u.test(feature)) return false;
  if (WORD_CHAR.test(feature) && MARK.test(feature)) return false;
  if (language === undefined) return true;
  const parts = language === 'zh' ? Array.from(feature) : feature.split(' ');
  const functional = FUNCTION_WORDS[language];
  if (parts.length === 1) return !functional.has(feature) || TELLING.has(feature);
  return !parts.every((p) => functional.has(p));
}

/**
 * Whether a Chinese feature is whole words of the turn (慢, 太慢了: 太/慢/了) rather than a piece that
 * runs across a word's edge (为什 of 为什么, 们说 of 我们/说): the segmenter cuts the turn as the
 * features see it, by its dictionary alone (an unknown stretch such as 没发 stays open at every
 * character, so 还没 of 还没发 counts), and a reason must start and end where words do somewhere in it.
 */
function wordAligned(text: string): (feature: string) => boolean {
  const chars = chineseFeatureText(text);
  const edges = new Set<number>([0]);
  let at = 0;
  for (const word of cutDictionaryWords(chars)) {
    at += word.length;
    edges.add(at);
  }
  return (feature) => {
    for (let i = chars.indexOf(feature); i >= 0; i = chars.indexOf(feature, i + 1))
      if (edges.has(i) && edges.has(i + feature.length)) return true;
    return false;
  };
}

/** A score whose reasons are worked out only when asked for (a turn that triggers; most do not). */
class Score implements TurnScore {
  private why: readonly string[] | undefined;
  constructor(
    readonly reads: string,
    readonly probability: number,
    /** The features that pushed the score up, with their weights (worked out when reasons are asked for). */
    private readonly positive: () => ReadonlyArray<readonly [string, number]>,
    private readonly language: Language | undefined,
    /** The turn's text, when known: Chinese reasons are then whole words of it. */
    private readonly text?: string,
  ) {}
  get reasons(): readonly string[] {
    if (this.why) return this.why;
    const aligned = this.language === 'zh' && this.text !== undefined ? wordAligned(this.text) : () => true;
    const ranked = this.positive()
      .filter(([f]) => readable(f, this.language) && aligned(f))
      .sort((a, b) => b[1] - a[1]);
    // Words together first, each group strongest first; a pair or triple already names its parts.
    const first = ranked.filter(([f]) => together(f, this.language));
    const then = ranked.filter(([f]) => !together(f, this.language));
    const why: string[] = [];
    for (const [f] of [...first, ...then]) {
      if (why.length === MAX_REASONS) break;
      if (!why.some((r) => r.includes(f))) why.push(f);
    }
    this.why = why;
    return why;
  }
}

/** The turn's text scored: each feature with a weight counts once. */
export function scoreText(model: TurnModel, text: string, language: Language, later: boolean): TurnScore {
  return language === 'zh' ? scoreChinese(model, text, later) : scoreEnglish(model, text, later);
}

/** An English model's words, each holding the pairs it begins, built when it first scores an English turn. */
const wordTries = new WeakMap<TurnModel, WordNode>();
function wordTrie(model: TurnModel): WordNode {
  const built = wordTries.get(model);
  if (built) return built;
  const root = new FeatureNode<string>();
  for (const [feature, weight] of model.weights) {
    if (feature === LATER_TURN) continue;
    const [first, second, more] = feature.split(' ');
    if (more !== undefined || first === undefined) continue;
    let node = root.child(first);
    if (second !== undefined) node = node.child(second);
    node.feature = feature;
    node.weight = weight;
  }
  wordTries.set(model, root);
  return root;
}

/**
 * forEachFeature's English features, found by looking each word up once and its pair from there:
 * the same features in the same order of first occurrence, so the same sum, without a string made
 * for every pair of words.
 */
function scoreEnglish(model: TurnModel, text: string, later: boolean): TurnScore {
  const words = wordTrie(model);
  const tokens = englishTokens(text);
  const stamp = ++scoring;
  const known: WordNode[] = [];
  const count = (node: WordNode | undefined) => {
    if (node && node.seen !== stamp && !Number.isNaN(node.weight)) {
      node.seen = stamp;
      known.push(node);
    }
  };
  for (let i = 0; i < tokens.length; i++) {
    const node = words.next?.get(tokens[i]!);
    if (!node) continue;
    count(node);
    if (node.next && i + 1 < tokens.length) count(node.next.get(tokens[i + 1]!));
  }
  return summed(model, known, later, 'en', text);
}

let scoring = 0;

/**
 * forEachFeature's Chinese features, found by walking the model's trie from each character (a
 * surrogate pair is two units of one step): the same features in the same order of first
 * occurrence, so the same sum, without a string made per character, pair and triple.
 */
function scoreChinese(model: TurnModel, text: string, later: boolean): TurnScore {
  const row = charTrie(model);
  const units = chineseFeatureText(text);
  const stamp = ++scoring;
  const known: CharNode[] = [];
  for (let i = 0; i < units.length; i += charWidth(units, i)) {
    let node: CharNode | null | undefined = null;
    for (let j = i, chars = 0; chars < 3 && j < units.length; chars++) {
      const width = charWidth(units, j);
      node = node ? node.next?.get(units.charCodeAt(j)) : row[units.charCodeAt(j)];
      if (width === 2 && node) node = node.next?.get(units.charCodeAt(j + 1));
      if (!node) break;
      j += width;
      if (node.seen !== stamp && !Number.isNaN(node.weight)) {
        node.seen = stamp;
        known.push(node);
      }
    }
  }
  return summed(model, known, later, 'zh', text);
}

/** The known features' weights summed in the order scoreTurn sums them: the same probability to the last bit. */
function summed(
  model: TurnModel,
  known: ReadonlyArray<{ readonly feature: string; readonly weight: number }>,
  later: boolean,
  language: Language,
  text: string,
): TurnScore {
  let sum = model.bias;
  for (const node of known) sum += node.weight;
  const laterWeight = later ? model.weights.get(LATER_TURN) : undefined;
  if (laterWeight !== undefined) sum += laterWeight;
  const positive = () =>
    known.filter((node) => node.weight > 0).map((node) => [node.feature, node.weight] as const);
  return new Score(model.reads, logistic(sum), positive, language, text);
}

const logistic = (sum: number) => 1 / (1 + Math.exp(-sum));
/** UTF-16 units of the character at `at`: 2 for a surrogate pair, else 1 (to Array.from a lone surrogate is a character). */
function charWidth(text: string, at: number): 1 | 2 {
  const unit = text.charCodeAt(at);
  if (unit < 0xd800 || unit > 0xdbff) return 1;
  const next = text.charCodeAt(at + 1);
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
}

export function scoreTurn(
  model: TurnModel,
  features: Iterable<string>,
  language?: Language,
  text?: string,
): TurnScore {
  let sum = model.bias;
  const positive: Array<[string, number]> = [];
  for (const f of features) {
    const w = model.weights.get(f);
    if (w === undefined) continue;
    sum += w;
    if (w > 0 && f !== LATER_TURN) positive.push([f, w]);
  }
  return new Score(model.reads, logistic(sum), () => positive, language, text);
}

const LETTER = /[\p{L}\p{N}']/u;

/**
 * Where a reason first occurs in the turn, for the finding's evidence: an English reason only as
 * whole words ("of" not inside "office"). Undefined when it is not there as written ("!" pairs).
 */
export function reasonSpan(text: string, reason: string, language: Language): [number, number] | undefined {
  // One character for one, so offsets in the folded text are offsets in the turn.
  const lower = text.toLowerCase().replace(APOSTROPHES, "'");
  for (let at = lower.indexOf(reason); at >= 0; at = lower.indexOf(reason, at + 1)) {
    const end = at + reason.length;
    if (language === 'zh' || (!LETTER.test(lower[at - 1] ?? ' ') && !LETTER.test(lower[end] ?? ' ')))
      return [at, end];
  }
  return undefined;
}
