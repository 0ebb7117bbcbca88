import { toSimplifiedCodePoint } from './chinese.js';

/**
 * Text as the matcher sees it, with a map back to the original.
 * `starts[i]`/`ends[i]` are the original UTF-16 offsets of the source characters
 * that produced normalised unit i, so any span [a, b) of `text` maps back to
 * [starts[a], ends[b - 1]) of the original, exactly.
 */
export interface NormalizedText {
  readonly text: string;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
}

export type SeparatorMode = 'drop' | 'space';

export interface NormalizeOptions {
  /** Traditional → simplified Chinese. */
  simplify: boolean;
  /** 'drop' removes whitespace/punctuation (Chinese), 'space' folds each run into one space (English). */
  separators: SeparatorMode;
}

const SEPARATOR = /^[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}]+$/u;
const COMBINING = /\p{M}/u;

export function isSeparator(s: string): boolean {
  return SEPARATOR.test(s);
}

export function normalize(input: string, options: NormalizeOptions): NormalizedText {
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let pendingSpaceStart = -1;
  let pendingSpaceEnd = -1;

  const emit = (s: string, start: number, end: number) => {
    if (pendingSpaceStart >= 0) {
      if (out.length > 0) {
        out.push(' ');
        starts.push(pendingSpaceStart);
        ends.push(pendingSpaceEnd);
      }
      pendingSpaceStart = -1;
    }
    for (let k = 0; k < s.length; k++) {
      out.push(s[k]!);
      starts.push(start);
      ends.push(end);
    }
  };

  let i = 0;
  const n = input.length;
  while (i < n) {
    const code = input.charCodeAt(i);
    // Fast path: ASCII letters and digits not followed by a combining mark (all are ≥ U+0300).
    if (code < 0x80 && !(i + 1 < n && input.charCodeAt(i + 1) >= 0x300)) {
      if ((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a)) {
        emit(input[i]!, i, i + 1);
        i++;
        continue;
      }
      if (code >= 0x41 && code <= 0x5a) {
        emit(String.fromCharCode(code + 32), i, i + 1);
        i++;
        continue;
      }
    }
    // A chunk is one code point plus any combining marks after it: NFKC may compose them.
    const cp = input.codePointAt(i)!;
    let j = i + (cp > 0xffff ? 2 : 1);
    while (j < n) {
      const next = input.codePointAt(j)!;
      const ch = String.fromCodePoint(next);
      if (!COMBINING.test(ch)) break;
      j += ch.length;
    }
    const chunk = input.slice(i, j);
    let s: string;
    if (cp >= 0x4e00 && cp <= 0x9fff && j - i === 1) {
      s = options.simplify ? String.fromCodePoint(toSimplifiedCodePoint(cp)) : chunk;
    } else {
      s = chunk.normalize('NFKC');
      if (options.simplify) {
        let converted = '';
        for (const c of s) converted += String.fromCodePoint(toSimplifiedCodePoint(c.codePointAt(0)!));
        s = converted;
      }
      s = s.toLowerCase();
    }
    if (s.length === 0 || SEPARATOR.test(s)) {
      if (options.separators === 'space') {
        if (pendingSpaceStart < 0) pendingSpaceStart = i;
        pendingSpaceEnd = j;
      }
    } else {
      emit(s, i, j);
    }
    i = j;
  }
  return { text: out.join(''), starts: Uint32Array.from(starts), ends: Uint32Array.from(ends) };
}

/** Maps a normalised span [a, b) back to original offsets. */
export function toOriginalSpan(norm: NormalizedText, a: number, b: number): { start: number; end: number } {
  return { start: norm.starts[a]!, end: norm.ends[b - 1]! };
}

/** Normalisation of lexicon phrases: the same view the matcher searches. */
export function normalizePhrase(phrase: string, options: NormalizeOptions): string {
  return normalize(phrase, options).text;
}
