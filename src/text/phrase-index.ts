import type { Language, Severity } from '../domain/index.js';
import { buildAhoCorasick } from './aho-corasick.js';
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

function isWordChar(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  return WORD_CHAR.test(text[index]!);
}

export function buildPhraseIndex(language: Language, sources: readonly PhraseSource[]): PhraseIndex {
  const options = normalizeOptionsFor(language);
  const patterns: string[] = [];
  // Pattern id → entry index, and for exception patterns the entry they excuse.
  const entryOf: number[] = [];
  const isException: boolean[] = [];
  const entries: PhraseEntry[] = [];

  for (const source of sources) {
    const entryId = entries.length;
    const { exceptions, ...entry } = source;
    entries.push(entry);
    const normalized = normalizePhrase(source.phrase, options);
    if (normalized.length === 0) continue;
    patterns.push(normalized);
    entryOf.push(entryId);
    isException.push(false);
    for (const exception of exceptions) {
      const normalizedException = normalizePhrase(exception, options);
      if (normalizedException.length === 0) continue;
      patterns.push(normalizedException);
      entryOf.push(entryId);
      isException.push(true);
    }
  }

  const automaton = buildAhoCorasick(patterns);
  const wordBoundaries = language === 'en';

  return {
    language,
    size: entries.length,
    normalize: (text) => normalize(text, options),
    match(norm) {
      const text = norm.text;
      const found: Array<{ entry: number; start: number; end: number }> = [];
      const excused: Array<{ entry: number; start: number; end: number }> = [];
      automaton.scan(text, (pattern, start, end) => {
        // A match may not begin or end in the middle of a word ("hell" in "hello").
        if (wordBoundaries) {
          if (isWordChar(text, start - 1) && isWordChar(text, start)) return;
          if (isWordChar(text, end) && isWordChar(text, end - 1)) return;
        }
        const hit = { entry: entryOf[pattern]!, start, end };
        if (isException[pattern]) excused.push(hit);
        else found.push(hit);
      });
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
