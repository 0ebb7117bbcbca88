import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import type { Language, Severity } from '../domain/index.js';
import { type AhoCorasick, buildAhoCorasick } from './aho-corasick.js';
import { chainMatches, lowerBound, occurrencesOf, type Span } from './chain.js';
import { type ContextSpec, TurnView } from './context.js';
import { type NormalizedText, type NormalizeOptions, normalize, normalizePhrase } from './normalize.js';
import {
  type CompiledPattern,
  compilePattern,
  findAligned,
  findAround,
  leftmostLongest,
  sequencesOccur,
} from './pattern.js';
import { WordBoundaries } from './segment.js';

/**
 * One entry of one lexicon category, ready for matching. `phrase` is how findings name it: the
 * phrase itself, or (with `quote`) a rendering of a pattern or composite that findings replace by
 * the words the entry matched.
 */
export interface PhraseEntry {
  readonly lexicon: string;
  readonly category: string;
  readonly phrase: string;
  /** Not a plain phrase: findings quote the words matched rather than `phrase`. */
  readonly quote?: boolean;
  readonly severity: Severity;
  readonly points: number;
}

export interface PhraseHit {
  readonly entry: PhraseEntry;
  /** Offsets in the original text. */
  readonly start: number;
  readonly end: number;
  /** Offsets in the normalised text. */
  readonly normStart: number;
  readonly normEnd: number;
}

/**
 * What an entry matches. Leaves are phrases (literal, optionally on English word stems) and patterns
 * (RE2, linear time); `any` is one of several, `all` is every part in the same turn (within
 * `within` characters of the previous part when given, in order with `in_order`) and none of `not`.
 * `boundary`: the match must start and end on word boundaries (English words; Chinese words as the
 * segmenter cuts them).
 */
export type TermSpec =
  | { readonly phrase: string; readonly boundary?: boolean; readonly stem?: boolean }
  | {
      readonly pattern: string;
      readonly boundary?: boolean;
      readonly anchors?: readonly string[];
      readonly gap?: number;
    }
  | { readonly any: readonly TermSpec[] }
  | {
      readonly all: readonly TermSpec[];
      readonly not?: readonly TermSpec[];
      readonly within?: number;
      readonly in_order?: boolean;
    };

/** Exceptions: terms that excuse a hit they overlap, or that lie within `window` characters of it. */
export interface ExceptionSet {
  readonly terms: readonly TermSpec[];
  readonly window: number;
}

export interface PhraseSource extends PhraseEntry {
  readonly term: TermSpec;
  /** The entry's own exceptions and its category's (the same object for every entry of a category). */
  readonly exceptions: readonly ExceptionSet[];
  readonly context?: ContextSpec;
}

export interface PhraseIndex {
  readonly language: Language;
  /** Lexicon entries. */
  readonly size: number;
  /** Distinct strings in the automata (phrases, exceptions, pattern anchors): grows with the lexicon, not its square. */
  readonly automatonPatterns: number;
  normalize(text: string): NormalizedText;
  /**
   * Every lexicon hit in the text: exceptions, word boundaries and context applied. `original` is
   * the turn's text (quotation marks and clause punctuation live there); without it those checks
   * see only the normalised text.
   */
  match(norm: NormalizedText, original?: string): PhraseHit[];
}

export function normalizeOptionsFor(language: Language): NormalizeOptions {
  return language === 'zh'
    ? { simplify: true, separators: 'drop' }
    : { simplify: false, separators: 'space' };
}

/** Chinese entries this short (after normalisation) must align with words unless they say otherwise. */
export const SHORT_ENTRY = 2;

const WORD_CHAR = /[\p{L}\p{N}]/u;

const stems = new Map<string, string>();

function stemToken(token: string): string {
  let stem = stems.get(token);
  if (stem === undefined) {
    stem = PorterStemmer.stem(token);
    if (stems.size < 100_000) stems.set(token, stem);
  }
  return stem;
}

/**
 * The English view of stems: each run of letters a–z of the normalised text replaced by its Porter
 * stem, everything else kept. `from[i]`/`to[i]` give, for stem character i, its run's span in the
 * plain view, so a stemmed hit ends where the word ends and never takes in what follows it
 * ("password☎13812345678" stems as "password" followed by the rest).
 */
interface StemmedView {
  text: string;
  // Plain arrays: allocating a typed array costs ~10× as much, and this is made per turn.
  from: number[];
  to: number[];
}

const isLowerLetter = (c: number) => c >= 97 && c <= 122;

function stemView(plain: string): StemmedView {
  const n = plain.length;
  // Runs in order: letters a–z become their stem, everything else is kept unit for unit.
  const parts: string[] = [];
  const starts: number[] = [];
  for (let i = 0; i < n; ) {
    const letters = isLowerLetter(plain.charCodeAt(i));
    let j = i + 1;
    while (j < n && isLowerLetter(plain.charCodeAt(j)) === letters) j++;
    parts.push(letters ? stemToken(plain.slice(i, j)) : plain.slice(i, j));
    starts.push(i);
    i = j;
  }
  const text = parts.join('');
  const from = new Array<number>(text.length);
  const to = new Array<number>(text.length);
  let k = 0;
  for (let p = 0; p < parts.length; p++) {
    const s = starts[p]!;
    const e = p + 1 < starts.length ? starts[p + 1]! : n;
    const stemmed = isLowerLetter(plain.charCodeAt(s));
    for (let u = 0; u < parts[p]!.length; u++, k++) {
      from[k] = stemmed ? s : s + u;
      to[k] = stemmed ? e : s + u + 1;
    }
  }
  return { text, from, to };
}

/** A phrase as the stemmed matcher sees it. */
export function stemPhrase(phrase: string, options: NormalizeOptions): string {
  return stemView(normalizePhrase(phrase, options)).text;
}

function isWordChar(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  return WORD_CHAR.test(text[index]!);
}

/**
 * A stemmed word matches a text word only when they also share their first letters (four, or the
 * whole phrase word when shorter): Porter stems "awful" to "aw", which must not make "aw" a match.
 */
function sharesPrefix(word: string, token: string): boolean {
  const need = Math.min(word.length, 4);
  return token.length >= need && token.slice(0, need) === word.slice(0, need);
}

const LETTERS = /[a-z]+/g;

interface Leaf {
  stemmed: boolean;
  pattern: number;
  boundary: boolean;
  /** Stemmed leaves: the phrase's own words, for the shared-prefix check. */
  words: string[] | undefined;
}

interface Pat {
  compiled: CompiledPattern;
  anchors: number[];
  /** Automaton strings per required set: each set must occur before the pattern runs. */
  required: number[][];
  /** Automaton strings of a pattern that is a short list of literals: found without the regex. */
  literals: number[] | undefined;
  /** A gap pattern's parts and gaps (CompiledPattern.segments): chained without the regex. */
  segments: CompiledPattern['segments'];
  boundary: boolean;
}

type Node =
  | { k: 'leaf'; id: number }
  | { k: 'pat'; id: number }
  | { k: 'any'; nodes: Node[] }
  | { k: 'all'; nodes: Node[]; not: Node[]; within: number | undefined; inOrder: boolean };

interface CompiledExceptions {
  nodes: Node[];
  window: number;
}

interface Entry {
  entry: PhraseEntry;
  node: Node;
  exceptions: CompiledExceptions[];
  context: ContextSpec | undefined;
}

const byStart = (a: Span, b: Span) => a[0] - b[0] || a[1] - b[1];

/** Sorted spans with the length of the longest, for window searches in O(log n + k). */
interface SpanList {
  spans: Span[];
  longest: number;
}

function spanList(spans: Span[]): SpanList {
  let longest = 0;
  for (const [s, e] of spans) longest = Math.max(longest, e - s);
  return { spans, longest };
}

/**
 * The first span of the list (by start) that overlaps [s − w, e + w), if any. Every caller needs
 * only whether one exists or the first one: a plain loop, no generator object per question.
 */
function firstNear(list: SpanList, s: number, e: number, w: number): Span | undefined {
  const { spans } = list;
  for (let i = lowerBound(spans, s - w - list.longest); i < spans.length; i++) {
    const span = spans[i]!;
    if (span[0] >= e + w) break;
    if (span[1] > s - w) return span;
  }
  return undefined;
}

const EMPTY: SpanList = { spans: [], longest: 0 };
const NONE: readonly Span[] = [];

/**
 * Occurrences of automaton strings in one turn, by string id. Instead of a hash map per turn, a slot
 * table per automaton shared by every turn (match() runs to completion, one turn at a time): a slot
 * is valid when its stamp is the turn's generation.
 */
class Occurrences {
  private readonly spans: Span[][] = [];
  private readonly generation: number;

  constructor(private readonly table: { slot: Int32Array; stamp: Uint32Array; generation: number }) {
    if (table.generation === 0xffffffff) {
      table.stamp.fill(0);
      table.generation = 0;
    }
    this.generation = ++table.generation;
  }

  add(id: number, s: number, e: number): void {
    const { slot, stamp } = this.table;
    if (stamp[id] !== this.generation) {
      stamp[id] = this.generation;
      slot[id] = this.spans.length;
      this.spans.push([]);
    }
    this.spans[slot[id]!]!.push([s, e]);
  }

  get(id: number): Span[] | undefined {
    return this.table.stamp[id] === this.generation ? this.spans[this.table.slot[id]!] : undefined;
  }

  has(id: number): boolean {
    return this.table.stamp[id] === this.generation;
  }
}

export function buildPhraseIndex(language: Language, sources: readonly PhraseSource[]): PhraseIndex {
  const options = normalizeOptionsFor(language);
  const english = language === 'en';
  const views = [
    { ids: new Map<string, number>(), strings: [] as string[] },
    { ids: new Map<string, number>(), strings: [] as string[] },
  ];
  const leaves: Leaf[] = [];
  const pats: Pat[] = [];
  /** Per automaton string: entries whose evaluation it triggers. */
  const triggers: number[][][] = [[], []];

  const intern = (view: 0 | 1, text: string): number => {
    const v = views[view]!;
    let id = v.ids.get(text);
    if (id === undefined) {
      id = v.strings.length;
      v.ids.set(text, id);
      v.strings.push(text);
      triggers[view]!.push([]);
    }
    return id;
  };

  const entries: Entry[] = [];
  const exceptionCache = new Map<ExceptionSet, CompiledExceptions>();
  /** Context words as the matcher sees them, folded once per distinct spec. */
  const contextCache = new Map<ContextSpec, ContextSpec>();
  const foldWords = (words: readonly string[]) =>
    words.map((w) => normalizePhrase(w, options)).filter((w) => w.length > 0);
  const foldContext = (spec: ContextSpec): ContextSpec => {
    let folded = contextCache.get(spec);
    if (!folded) {
      folded = {
        ...spec,
        ...(spec.negation && { negation: { ...spec.negation, words: foldWords(spec.negation.words) } }),
        ...(spec.echo && { echo: { ...spec.echo, words: foldWords(spec.echo.words) } }),
      };
      contextCache.set(spec, folded);
    }
    return folded;
  };

  /** Compiles a term; `trigger` receives the automaton strings whose presence warrants evaluating it. */
  function compile(term: TermSpec, trigger: ((view: 0 | 1, id: number) => void) | undefined): Node {
    if ('phrase' in term) {
      const stemmed = english && term.stem === true;
      const plain = normalizePhrase(term.phrase, options);
      const text = stemmed ? stemView(plain).text : plain;
      if (text.length === 0) throw new Error(`phrase "${term.phrase}" normalises to nothing`);
      const view = stemmed ? 1 : 0;
      const pattern = intern(view, text);
      const boundary = term.boundary ?? (english || plain.length <= SHORT_ENTRY);
      const id = leaves.length;
      leaves.push({ stemmed, pattern, boundary, words: stemmed ? (plain.match(LETTERS) ?? []) : undefined });
      trigger?.(view, pattern);
      return { k: 'leaf', id };
    }
    if ('pattern' in term) {
      const compiled = compilePattern(term.pattern, options, term.gap ?? 10, term.anchors);
      const id = pats.length;
      const boundary = term.boundary ?? english;
      if (compiled.literals) {
        // Its literals go into the automaton: the pattern costs what its phrases would.
        const literals = compiled.literals.map((l) => intern(0, l));
        pats.push({ compiled, anchors: [], required: [], literals, segments: undefined, boundary });
        for (const l of literals) trigger?.(0, l);
        return { k: 'pat', id };
      }
      const anchors = compiled.anchors.map((a) => intern(0, a));
      // Required sets with a one-character string would fire on most turns: they filter nothing
      // and cost a record per character, so only selective sets serve as a prefilter.
      const required = compiled.required
        .filter((set) => set.every((a) => a.length >= 2))
        .map((set) => set.map((a) => intern(0, a)));
      // Aligned gap patterns keep the regex, which findAligned repairs around unaligned matches.
      const segments = boundary ? undefined : compiled.segments;
      pats.push({ compiled, anchors, required, literals: undefined, segments, boundary });
      for (const a of anchors) trigger?.(0, a);
      return { k: 'pat', id };
    }
    if ('any' in term) return { k: 'any', nodes: term.any.map((t) => compile(t, trigger)) };
    return {
      k: 'all',
      nodes: term.all.map((t) => compile(t, trigger)),
      not: (term.not ?? []).map((t) => compile(t, undefined)),
      within: term.within,
      inOrder: term.in_order === true,
    };
  }

  for (const source of sources) {
    const id = entries.length;
    const { term, exceptions, context, ...entry } = source;
    const node = compile(term, (view, pattern) => {
      const list = triggers[view]![pattern]!;
      if (list[list.length - 1] !== id) list.push(id);
    });
    const compiledExceptions = exceptions.map((set) => {
      let compiled = exceptionCache.get(set);
      if (!compiled) {
        compiled = {
          nodes: set.terms.map((t) => compile('phrase' in t ? { boundary: false, ...t } : t, undefined)),
          window: set.window,
        };
        exceptionCache.set(set, compiled);
      }
      return compiled;
    });
    entries.push({ entry, node, exceptions: compiledExceptions, context: context && foldContext(context) });
  }

  // A stemmed hit is kept only where each text word starts as the phrase word does (sharesPrefix), so
  // a turn without the prefix of some word of a stemmed phrase cannot hold it; the longest word's is
  // the rarest ("apol" of "my apologies", not "my"). A turn with none of them needs no stem view
  // (stemming every word costs more than scanning). Undefined: a stemmed phrase without letters.
  const stemmed = leaves.filter((l) => l.stemmed);
  const stemPrefixes = stemmed.every((l) => l.words!.length > 0)
    ? [...new Set(stemmed.map((l) => l.words!.reduce((a, b) => (b.length > a.length ? b : a)).slice(0, 4)))]
    : undefined;

  const candidate = new Uint8Array(entries.length);
  const tables = views.map((v) => ({
    slot: new Int32Array(v.strings.length),
    stamp: new Uint32Array(v.strings.length),
    generation: 0,
  }));
  const automata: Array<AhoCorasick | undefined> = views.map((v) =>
    v.strings.length > 0 ? buildAhoCorasick(v.strings) : undefined,
  );

  /** Everything one call to match() computes, each piece at most once. */
  class Turn {
    // Maps made on first use: many turns with a candidate ask about leaves only, or patterns only.
    private leafSpans: Map<number, SpanList> | undefined;
    private patSpans: Map<number, SpanList> | undefined;
    private boundaries: WordBoundaries | undefined;
    readonly view: TurnView;
    constructor(
      readonly norm: NormalizedText,
      original: string | undefined,
      /** Occurrences per automaton string (plain-view offsets), for both views. */
      readonly occurrences: readonly [Occurrences, Occurrences],
    ) {
      this.view = new TurnView(norm, original, language);
    }

    private aligned(s: number, e: number): boolean {
      if (english) return this.boundaryAt(s) && this.boundaryAt(e);
      // Both ends at once: the segmenter runs only if neither end is settled NO by the dictionary.
      this.boundaries ??= new WordBoundaries(this.norm);
      return this.boundaries.both(s, e);
    }

    /** A word boundary lies before unit i. */
    private readonly boundaryAt = (i: number): boolean => {
      const text = this.norm.text;
      if (english) return !(isWordChar(text, i - 1) && isWordChar(text, i));
      this.boundaries ??= new WordBoundaries(this.norm);
      return this.boundaries.at(i);
    };

    leaf(id: number): SpanList {
      this.leafSpans ??= new Map();
      let list = this.leafSpans.get(id);
      if (list) return list;
      const leaf = leaves[id]!;
      const found = this.occurrences[leaf.stemmed ? 1 : 0]!.get(leaf.pattern) ?? NONE;
      const spans = found.filter(([s, e]) => {
        if (leaf.stemmed) {
          const tokens = this.norm.text.slice(s, e).match(LETTERS) ?? [];
          return (
            tokens.length === leaf.words!.length && leaf.words!.every((w, i) => sharesPrefix(w, tokens[i]!))
          );
        }
        return !leaf.boundary || this.aligned(s, e);
      });
      list = spanList(spans);
      this.leafSpans.set(id, list);
      return list;
    }

    pat(id: number): SpanList {
      this.patSpans ??= new Map();
      let list = this.patSpans.get(id);
      if (list) return list;
      const pat = pats[id]!;
      const found: Span[] = [];
      const occurrences = this.occurrences[0]!;
      if (pat.literals) {
        for (const l of pat.literals) {
          const spans = occurrences.get(l);
          if (spans) for (const span of spans) found.push(span);
        }
        list = EMPTY;
        if (found.length > 0) {
          found.sort(byStart);
          // Aligned occurrences first: a longer one that does not align must not hide one that does.
          const spans = leftmostLongest(pat.boundary ? found.filter(([s, e]) => this.aligned(s, e)) : found);
          if (spans.length > 0) list = spanList(spans);
        }
        this.patSpans.set(id, list);
        return list;
      }
      if (pat.segments) {
        // The parts are searched for here, on the few turns where an anchor occurs, not put in the
        // automaton: their single characters (帮, 吗) would cost a record on most turns.
        const text = this.norm.text;
        const parts: Span[][] = [];
        for (const strings of pat.segments.parts) {
          const spans = occurrencesOf(text, strings);
          if (spans.length === 0) break;
          parts.push(spans);
        }
        const spans =
          parts.length < pat.segments.parts.length ? [] : chainMatches(text, parts, pat.segments.gaps);
        list = spans.length === 0 ? EMPTY : spanList(spans);
        this.patSpans.set(id, list);
        return list;
      }
      if (this.patternMayRun(pat)) {
        for (const a of pat.anchors) found.push(...(occurrences.get(a) ?? []));
      }
      list =
        found.length === 0
          ? EMPTY
          : spanList(
              pat.boundary
                ? findAligned(pat.compiled, this.norm.text, found, this.boundaryAt)
                : findAround(pat.compiled, this.norm.text, found),
            );
      this.patSpans.set(id, list);
      return list;
    }

    /** Spans of composite terms, once per turn: exceptions are asked about for every hit of an entry. */
    private composite: Map<Node, SpanList> | undefined;

    eval(node: Node): SpanList {
      if (node.k === 'leaf') return this.leaf(node.id);
      if (node.k === 'pat') return this.pat(node.id);
      this.composite ??= new Map();
      let list = this.composite.get(node);
      if (!list) {
        list = this.evalComposite(node);
        this.composite.set(node, list);
      }
      return list;
    }

    private evalComposite(node: Extract<Node, { k: 'any' | 'all' }>): SpanList {
      switch (node.k) {
        case 'any': {
          const all: Span[] = [];
          for (const n of node.nodes) all.push(...this.eval(n).spans);
          all.sort(byStart);
          return spanList(
            all.filter((s, i) => i === 0 || s[0] !== all[i - 1]![0] || s[1] !== all[i - 1]![1]),
          );
        }
        case 'all':
          return this.all(node);
      }
    }

    /**
     * Every literal set the pattern requires occurs in the turn, and its parts occur in its order
     * (single characters included: a few string searches instead of a regex run on turns that hold
     * the parts but not in sequence): only then does its regex run.
     */
    private patternMayRun(pat: Pat): boolean {
      const occurrences = this.occurrences[0]!;
      return (
        pat.required.every((set) => set.some((a) => occurrences.has(a))) &&
        sequencesOccur(pat.compiled.sequences, this.norm.text)
      );
    }

    /**
     * Whether the node's automaton strings occur at all: a cheap necessary condition, so that `all`
     * runs no part's regex when another part cannot match.
     */
    private possible(node: Node): boolean {
      const occurrences = this.occurrences[0]!;
      switch (node.k) {
        case 'leaf': {
          const leaf = leaves[node.id]!;
          return this.occurrences[leaf.stemmed ? 1 : 0]!.has(leaf.pattern);
        }
        case 'pat': {
          const pat = pats[node.id]!;
          if (pat.literals) return pat.literals.some((l) => occurrences.has(l));
          return pat.anchors.some((a) => occurrences.has(a)) && this.patternMayRun(pat);
        }
        case 'any':
          return node.nodes.some((n) => this.possible(n));
        case 'all':
          return node.nodes.every((n) => this.possible(n));
      }
    }

    private all(node: Extract<Node, { k: 'all' }>): SpanList {
      if (!node.nodes.every((n) => this.possible(n))) return EMPTY;
      const parts: SpanList[] = [];
      for (const n of node.nodes) {
        const part = this.eval(n);
        if (part.spans.length === 0) return EMPTY;
        parts.push(part);
      }
      const nots = node.not.map((n) => this.eval(n));
      const w = node.within;
      const out: Span[] = [];
      for (const anchor of parts[0]!.spans) {
        let s = anchor[0];
        let e = anchor[1];
        let prev = anchor;
        let ok = true;
        for (let k = 1; k < parts.length && ok; k++) {
          const list = parts[k]!;
          let pick: Span | undefined;
          if (node.inOrder) {
            const i = lowerBound(list.spans, prev[1]);
            const c = list.spans[i];
            if (c && (w === undefined || c[0] - prev[1] <= w)) pick = c;
          } else if (w === undefined) {
            pick = list.spans[0];
          } else {
            pick = firstNear(list, anchor[0], anchor[1], w + 1);
          }
          if (!pick) ok = false;
          else {
            s = Math.min(s, pick[0]);
            e = Math.max(e, pick[1]);
            prev = pick;
          }
        }
        if (!ok) continue;
        const excluded = nots.some((list) =>
          w === undefined ? list.spans.length > 0 : firstNear(list, s, e, w + 1) !== undefined,
        );
        if (!excluded) out.push([s, e]);
      }
      out.sort(byStart);
      return spanList(out);
    }

    excused(entry: Entry, s: number, e: number): boolean {
      for (const set of entry.exceptions) {
        for (const n of set.nodes) {
          if (firstNear(this.eval(n), s, e, set.window > 0 ? set.window + 1 : 0) !== undefined) return true;
        }
      }
      return false;
    }

    ruledOutByContext(context: ContextSpec, s: number, e: number): boolean {
      if (context.quotation && this.view.quoted(s, e)) return true;
      if (context.negation && this.view.negated(s, e, context.negation)) return true;
      if (context.echo && this.view.echoed(s, context.echo)) return true;
      return false;
    }
  }

  // The state of the scan in progress, shared by every call: match() runs to completion, one turn at
  // a time, so the automaton's callbacks are made once rather than per turn.
  let occurrences: [Occurrences, Occurrences] = [new Occurrences(tables[0]!), new Occurrences(tables[1]!)];
  /** Entries whose strings occur, each once (a flag per entry, cleared when the turn is done). */
  const candidates: number[] = [];
  const record = (view: 0 | 1, pattern: number, s: number, e: number) => {
    occurrences[view]!.add(pattern, s, e);
    const ids = triggers[view]![pattern]!;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      if (candidate[id] === 0) {
        candidate[id] = 1;
        candidates.push(id);
      }
    }
  };
  const recordPlain = (pattern: number, s: number, e: number) => record(0, pattern, s, e);

  return {
    language,
    size: entries.length,
    automatonPatterns: views[0]!.strings.length + views[1]!.strings.length,
    normalize: (text) => normalize(text, options),
    match(norm, original) {
      occurrences = [new Occurrences(tables[0]!), new Occurrences(tables[1]!)];
      candidates.length = 0;
      const plain = automata[0];
      if (plain) plain.scan(norm.text, recordPlain);
      if (automata[1] && (stemPrefixes === undefined || stemPrefixes.some((p) => norm.text.includes(p)))) {
        const v = stemView(norm.text);
        automata[1].scan(v.text, (pattern, s, e) => {
          // Stems match whole words only.
          if (isWordChar(v.text, s - 1) && isWordChar(v.text, s)) return;
          if (isWordChar(v.text, e) && isWordChar(v.text, e - 1)) return;
          record(1, pattern, v.from[s]!, v.to[e - 1]!);
        });
      }
      for (const id of candidates) candidate[id] = 0;
      if (candidates.length === 0) return [];
      // Only a turn where some entry's strings occur pays for the per-turn state.
      const turn = new Turn(norm, original, occurrences);
      const hits: PhraseHit[] = [];
      for (const id of candidates.sort((a, b) => a - b)) {
        const entry = entries[id]!;
        for (const [s, e] of turn.eval(entry.node).spans) {
          if (turn.excused(entry, s, e)) continue;
          if (entry.context && turn.ruledOutByContext(entry.context, s, e)) continue;
          hits.push({
            entry: entry.entry,
            start: norm.starts[s]!,
            end: norm.ends[e - 1]!,
            normStart: s,
            normEnd: e,
          });
        }
      }
      // Reading order, as a reviewer reads the turn.
      return hits.sort((a, b) => a.normStart - b.normStart || a.normEnd - b.normEnd);
    },
  };
}
