import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import type { Language, Severity } from '../domain/index.js';
import { type AhoCorasick, buildAhoCorasick } from './aho-corasick.js';
import { type NormalizedText, type NormalizeOptions, normalize, normalizePhrase } from './normalize.js';

/** One phrase of one lexicon category, ready for matching. */
export interface PhraseEntry {
  readonly lexicon: string;
  readonly category: string;
  readonly phrase: string;
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

export interface PhraseSource extends PhraseEntry {
  readonly exceptions: readonly string[];
  /** Match on Porter word stems (English), so inflections match too. */
  readonly stem?: boolean;
}

export interface PhraseIndex {
  readonly language: Language;
  readonly size: number;
  normalize(text: string): NormalizedText;
  /** Every lexicon hit in the text, exceptions applied, English word boundaries respected. */
  match(norm: NormalizedText): PhraseHit[];
}

export function normalizeOptionsFor(language: Language): NormalizeOptions {
  return language === 'zh'
    ? { simplify: true, separators: 'drop' }
    : { simplify: false, separators: 'space' };
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

const stems = new Map<string, string>();

function stemToken(token: string): string {
  let stem = stems.get(token);
  if (stem === undefined) {
    stem = /^[a-z]+$/.test(token) ? PorterStemmer.stem(token) : token;
    if (stems.size < 100_000) stems.set(token, stem);
  }
  return stem;
}

/**
 * The English view of stems: each space-separated token of the normalised text replaced by its
 * Porter stem. `from[i]`/`to[i]` give, for stem character i, its token's span in the plain view,
 * so stemmed hits are reported in plain-view coordinates like every other hit.
 */
interface StemmedView {
  text: string;
  from: Uint32Array;
  to: Uint32Array;
}

function stemView(plain: string): StemmedView {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  while (i < plain.length) {
    let j = plain.indexOf(' ', i);
    if (j === -1) j = plain.length;
    const stem = stemToken(plain.slice(i, j));
    if (text.length > 0) {
      text += ' ';
      from.push(i);
      to.push(i);
    }
    text += stem;
    for (let k = 0; k < stem.length; k++) {
      from.push(i);
      to.push(j);
    }
    i = j + 1;
  }
  return { text, from: Uint32Array.from(from), to: Uint32Array.from(to) };
}

/** A phrase as the stemmed matcher sees it. */
export function stemPhrase(phrase: string, options: NormalizeOptions): string {
  return stemView(normalizePhrase(phrase, options)).text;
}

function isWordChar(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  return WORD_CHAR.test(text[index]!);
}

interface View {
  patterns: string[];
  /** Pattern id → entry index. */
  entryOf: number[];
  isException: boolean[];
}

export function buildPhraseIndex(language: Language, sources: readonly PhraseSource[]): PhraseIndex {
  const options = normalizeOptionsFor(language);
  const entries: PhraseEntry[] = [];
  const plainView: View = { patterns: [], entryOf: [], isException: [] };
  const stemmedView: View = { patterns: [], entryOf: [], isException: [] };

  for (const source of sources) {
    const entryId = entries.length;
    const { exceptions, stem, ...entry } = source;
    entries.push(entry);
    const stemmed = stem === true && language === 'en';
    const view = stemmed ? stemmedView : plainView;
    const prepare = (s: string) => (stemmed ? stemPhrase(s, options) : normalizePhrase(s, options));
    const add = (text: string, exception: boolean) => {
      if (text.length === 0) return;
      view.patterns.push(text);
      view.entryOf.push(entryId);
      view.isException.push(exception);
    };
    add(prepare(source.phrase), false);
    for (const exception of exceptions) add(prepare(exception), true);
  }

  const plain = buildAhoCorasick(plainView.patterns);
  const stemmedAutomaton: AhoCorasick | undefined =
    stemmedView.patterns.length > 0 ? buildAhoCorasick(stemmedView.patterns) : undefined;
  const wordBoundaries = language === 'en';

  type Raw = { entry: number; start: number; end: number };

  /** Scans one view; `start`/`end` come back in plain-view coordinates. */
  function scan(
    automaton: AhoCorasick,
    view: View,
    text: string,
    toPlain: (a: number, b: number) => [number, number],
    found: Raw[],
    excused: Raw[],
  ) {
    automaton.scan(text, (pattern, start, end) => {
      // A match may not begin or end in the middle of a word ("hell" in "hello").
      if (wordBoundaries) {
        if (isWordChar(text, start - 1) && isWordChar(text, start)) return;
        if (isWordChar(text, end) && isWordChar(text, end - 1)) return;
      }
      const [a, b] = toPlain(start, end);
      const hit = { entry: view.entryOf[pattern]!, start: a, end: b };
      if (view.isException[pattern]) excused.push(hit);
      else found.push(hit);
    });
  }

  return {
    language,
    size: entries.length,
    normalize: (text) => normalize(text, options),
    match(norm) {
      const found: Raw[] = [];
      const excused: Raw[] = [];
      scan(plain, plainView, norm.text, (a, b) => [a, b], found, excused);
      if (stemmedAutomaton) {
        const v = stemView(norm.text);
        scan(stemmedAutomaton, stemmedView, v.text, (a, b) => [v.from[a]!, v.to[b - 1]!], found, excused);
      }
      const hits: PhraseHit[] = [];
      for (const hit of found) {
        if (excused.some((e) => e.entry === hit.entry && e.start <= hit.start && e.end >= hit.end)) continue;
        hits.push({
          entry: entries[hit.entry]!,
          start: norm.starts[hit.start]!,
          end: norm.ends[hit.end - 1]!,
          normStart: hit.start,
          normEnd: hit.end,
        });
      }
      return hits;
    },
  };
}
