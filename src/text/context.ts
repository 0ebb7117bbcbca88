import type { Language } from '../domain/index.js';
import type { NormalizedText } from './normalize.js';

/**
 * What the words around a hit say about it: negated ("我不是要投诉", "we will never ask for"), inside
 * quotation marks (someone else's words), or an echo of the other party ("您是问…吗", "you mean…").
 * Windows count characters in Chinese and words in English, and stop at clause punctuation.
 */
export interface ContextSpec {
  readonly negation?: { readonly words: readonly string[]; readonly window: number };
  readonly quotation?: boolean;
  readonly echo?: { readonly words: readonly string[]; readonly window: number };
}

/** Defaults per language, used where a lexicon says `negation: true` / `echo: true`. */
export const CONTEXT_DEFAULTS = {
  zh: {
    negation: {
      words: [
        '不是',
        '并不是',
        '不会',
        '没有',
        '并没有',
        '没',
        '不',
        '别',
        '不要',
        '无需',
        '不用',
        '从不',
        '从没',
        '绝不',
        '勿',
        '请勿',
        '切勿',
        '谈不上',
        '算不上',
      ],
      window: 2,
    },
    echo: {
      words: [
        '您是问',
        '您是说',
        '您说的',
        '您的意思是',
        '您问的',
        '您是指',
        '您是想问',
        '你是说',
        '你是问',
        '您刚才说',
        '您说',
      ],
      window: 12,
    },
  },
  en: {
    negation: {
      words: [
        'not',
        'no',
        'never',
        'nothing',
        "don't",
        "didn't",
        "doesn't",
        "won't",
        "wouldn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        'nor',
        'without',
        'never say',
        'never said',
        'would never',
        "wouldn't say",
      ],
      window: 2,
    },
    echo: {
      words: [
        'you mean',
        'you said',
        'you asked',
        "you're asking",
        'are you asking',
        'you mentioned',
        'did you say',
        'you wrote',
      ],
      window: 8,
    },
  },
} as const;

/**
 * Chinese: a one-character negator (不, 没, 别…) binds to the word right after it; farther away it
 * negates something else ("没想到这么差", "不好用太差了"), so it reaches at most this many characters
 * whatever the window. Negators of two or more characters (不是, 没有, 不会…) use the whole window.
 */
export const SINGLE_CHARACTER_REACH = 1;

const CLAUSE = /[,.!?;:，。！？；：、…\n]/;
const QUESTION = /[?？]/;
const QUOTES: ReadonlyArray<readonly [string, string]> = [
  ['“', '”'],
  ['「', '」'],
  ['『', '』'],
  ['‘', '’'],
  ['"', '"'],
  ['＂', '＂'],
];

/** Per-turn view the checks share; quote spans are computed on first use. */
export class TurnView {
  private quotes: Array<[number, number]> | undefined;
  constructor(
    readonly norm: NormalizedText,
    readonly original: string | undefined,
    readonly language: Language,
  ) {}

  /** True when clause punctuation lies in the original text between normalised units a−1 and a. */
  private clauseBreakBefore(a: number): boolean {
    if (a <= 0 || a >= this.norm.text.length) return a <= 0;
    // An English separator is one space unit standing for the whole run (", "): look inside it.
    const k = this.norm.text[a - 1] === ' ' && a > 1 ? a - 2 : a - 1;
    const from = this.norm.ends[k]!;
    const to = this.norm.starts[a]!;
    if (to <= from) return false;
    return this.original === undefined || CLAUSE.test(this.original.slice(from, to));
  }

  /** The normalised units (characters, or English words as [start, end)) before `at`, nearest first, within the clause. */
  private unitsBefore(at: number, count: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const text = this.norm.text;
    let i = at;
    if (this.language === 'zh') {
      while (out.length < count && i > 0 && !this.clauseBreakBefore(i)) {
        out.push([i - 1, i]);
        i--;
      }
      return out;
    }
    while (out.length < count && i > 0) {
      if (text[i - 1] === ' ') {
        if (this.clauseBreakBefore(i)) break;
        i--;
        continue;
      }
      let s = i;
      while (s > 0 && text[s - 1] !== ' ') s--;
      out.push([s, i]);
      i = s;
      if (this.clauseBreakBefore(s)) break;
    }
    return out;
  }

  /** Does one of `words` end within `window` units before `at` (and within its clause)? */
  private precededBy(at: number, words: readonly string[], window: number) {
    const text = this.norm.text;
    if (this.language === 'zh') {
      const reach = this.unitsBefore(at, window + 8).length;
      for (let g = 0; g <= Math.min(window, reach); g++) {
        const end = at - g;
        for (const f of words) {
          if (f.length === 1 && g > SINGLE_CHARACTER_REACH) continue;
          const from = end - f.length;
          if (f.length > 0 && from >= at - reach && text.startsWith(f, from) && !choiceQuestion(text, from))
            return true;
        }
      }
      return false;
    }
    const units = this.unitsBefore(at, window + 4).map(([s, e]) => text.slice(s, e));
    const phrases = tokensOf(words);
    for (let g = 0; g <= window; g++) {
      for (const tokens of phrases) {
        const k = tokens.length;
        if (k === 0 || g + k > units.length) continue;
        if (tokens.every((t, j) => units[g + k - 1 - j] === t)) return true;
      }
    }
    return false;
  }

  /** Rhetorical question after the hit ("这不是坑人吗", "isn't that ridiculous?"): negation then does not apply. */
  private rhetorical(end: number): boolean {
    const text = this.norm.text;
    if (this.original !== undefined && end > 0) {
      const from = this.norm.ends[end - 1]!;
      const rest = this.original.slice(from, from + 40);
      const stop = rest.search(CLAUSE);
      if (stop >= 0 && QUESTION.test(rest[stop]!)) return true;
    }
    if (this.language === 'zh') {
      for (let k = end; k < Math.min(text.length, end + 4); k++) {
        if (text[k] === '吗' || text[k] === '么') return true;
        if (k + 1 < text.length && this.clauseBreakBefore(k + 1)) break;
      }
    }
    return false;
  }

  /** `spec.words` must already be normalised as the text is. */
  negated(start: number, end: number, spec: NonNullable<ContextSpec['negation']>) {
    return this.precededBy(start, spec.words, spec.window) && !this.rhetorical(end);
  }

  echoed(start: number, spec: NonNullable<ContextSpec['echo']>): boolean {
    const units = this.unitsBefore(start, spec.window);
    const from = units.length > 0 ? units[units.length - 1]![0] : start;
    const window = this.norm.text.slice(from, start);
    return spec.words.some((w) => w.length > 0 && window.includes(w));
  }

  /** Inside paired quotation marks of the original text. */
  quoted(start: number, end: number): boolean {
    if (this.original === undefined) return false;
    this.quotes ??= quoteSpans(this.original);
    const a = this.norm.starts[start]!;
    const b = this.norm.ends[end - 1]!;
    return this.quotes.some(([s, e]) => s <= a && b <= e);
  }
}

/**
 * A negator that is the middle of an A-not-A question (能不能, 是不是, 有没有, 可不可以) asks, it does
 * not negate: "能不能负点责任" is a demand, not "cannot".
 */
function choiceQuestion(text: string, at: number): boolean {
  const c = text[at];
  return (c === '不' || c === '没') && at > 0 && text[at - 1] === text[at + 1];
}

/** English context words split into tokens once per word list (lists are per spec, built at load). */
const tokenCache = new WeakMap<readonly string[], string[][]>();
function tokensOf(words: readonly string[]): string[][] {
  let tokens = tokenCache.get(words);
  if (!tokens) {
    tokens = words.map((w) => w.split(' ').filter((t) => t.length > 0));
    tokenCache.set(words, tokens);
  }
  return tokens;
}

function quoteSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const [open, close] of QUOTES) {
    let from = 0;
    for (;;) {
      const a = text.indexOf(open, from);
      if (a < 0) break;
      const b = text.indexOf(close, a + 1);
      if (b < 0) break;
      spans.push([a + 1, b]);
      from = b + 1;
    }
  }
  return spans;
}
