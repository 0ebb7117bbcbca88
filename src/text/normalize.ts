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
const COMBINING = /^\p{M}$/u;

// Per BMP code unit: what normalising it alone gives, valid unless the next unit joins it.
// 0: surrogate halves, so astral characters take the slow path.
const KEEP = 1; // maps to `mapped[c]` (or itself)
const SEP = 2; // whitespace, punctuation, symbols, controls
const JOIN = 3; // combining marks and Hangul jamo: NFKC may compose them with what precedes

interface Table {
  kind: Uint8Array;
  /** '' means "itself"; a packed array of strings keeps lookups fast (no holes). */
  mapped: string[];
}

const tables = new Map<boolean, Table>();

function isJamo(c: number): boolean {
  return (
    (c >= 0x1100 && c <= 0x11ff) ||
    (c >= 0x3131 && c <= 0x318e) ||
    (c >= 0xa960 && c <= 0xa97f) ||
    (c >= 0xd7b0 && c <= 0xd7ff)
  );
}

function foldChunk(chunk: string, simplify: boolean): string {
  let s = chunk.normalize('NFKC');
  if (simplify) {
    let converted = '';
    for (const c of s) converted += String.fromCodePoint(toSimplifiedCodePoint(c.codePointAt(0)!));
    s = converted;
  }
  return s.toLowerCase();
}

/** Built once per option set (~65k entries): the hot loop then does one table lookup per unit. */
function tableFor(simplify: boolean): Table {
  let table = tables.get(simplify);
  if (table) return table;
  const kind = new Uint8Array(65536);
  const mapped: string[] = new Array<string>(65536).fill('');
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    if (COMBINING.test(ch) || isJamo(c)) {
      kind[c] = JOIN;
      continue;
    }
    const s = foldChunk(ch, simplify);
    if (s.length === 0 || SEPARATOR.test(s)) {
      kind[c] = SEP;
    } else {
      kind[c] = KEEP;
      if (s !== ch) mapped[c] = s;
    }
  }
  table = { kind, mapped };
  tables.set(simplify, table);
  return table;
}

const decoder = new TextDecoder('utf-16le');

// Scratch buffers reused across calls (normalize is synchronous); results are copied out.
let capacity = 1024;
let codes = new Uint16Array(capacity);
let starts = new Uint32Array(capacity);
let ends = new Uint32Array(capacity);

function decode(units: Uint16Array): string {
  if (units.length < 2048) return String.fromCharCode.apply(null, units as unknown as number[]);
  return decoder.decode(units);
}

export function normalize(input: string, options: NormalizeOptions): NormalizedText {
  const { kind, mapped } = tableFor(options.simplify);
  const spaces = options.separators === 'space';
  const n = input.length;
  let length = 0;
  let pendingStart = -1;
  let pendingEnd = -1;

  const grow = (need: number) => {
    while (capacity < need) capacity *= 2;
    const c = new Uint16Array(capacity);
    c.set(codes.subarray(0, length));
    codes = c;
    const s = new Uint32Array(capacity);
    s.set(starts.subarray(0, length));
    starts = s;
    const e = new Uint32Array(capacity);
    e.set(ends.subarray(0, length));
    ends = e;
  };
  if (n + 16 > capacity) grow(n + 16);

  const flushSpace = () => {
    if (length > 0) {
      if (length + 1 > capacity) grow(length + 1);
      codes[length] = 0x20;
      starts[length] = pendingStart;
      ends[length] = pendingEnd;
      length++;
    }
    pendingStart = -1;
  };

  const emit = (s: string, start: number, end: number) => {
    if (pendingStart >= 0) flushSpace();
    if (length + s.length > capacity) grow(length + s.length);
    for (let k = 0; k < s.length; k++) {
      codes[length] = s.charCodeAt(k);
      starts[length] = start;
      ends[length] = end;
      length++;
    }
  };

  const separator = (start: number, end: number) => {
    if (!spaces) return;
    if (pendingStart < 0) pendingStart = start;
    pendingEnd = end;
  };

  let i = 0;
  while (i < n) {
    const c = input.charCodeAt(i);
    const k = kind[c]!;
    const nextJoins = i + 1 < n && kind[input.charCodeAt(i + 1)] === JOIN;
    if (k === KEEP && !nextJoins) {
      const m = mapped[c]!;
      if (m === '') {
        if (pendingStart >= 0) flushSpace();
        if (length + 1 > capacity) grow(length + 1);
        codes[length] = c;
        starts[length] = i;
        ends[length] = i + 1;
        length++;
      } else {
        emit(m, i, i + 1);
      }
      i++;
      continue;
    }
    if (k === SEP && !nextJoins) {
      separator(i, i + 1);
      i++;
      continue;
    }
    // Slow path: one code point plus every joining unit after it, normalised together.
    const cp = input.codePointAt(i)!;
    let j = i + (cp > 0xffff ? 2 : 1);
    while (j < n) {
      const next = input.codePointAt(j)!;
      const joins = next <= 0xffff ? kind[next] === JOIN : COMBINING.test(String.fromCodePoint(next));
      if (!joins) break;
      j += next > 0xffff ? 2 : 1;
    }
    const s = foldChunk(input.slice(i, j), options.simplify);
    if (s.length === 0 || SEPARATOR.test(s)) separator(i, j);
    else emit(s, i, j);
    i = j;
  }
  return {
    text: decode(codes.subarray(0, length)),
    starts: starts.slice(0, length),
    ends: ends.slice(0, length),
  };
}

/** Normalisation of lexicon phrases: the same view the matcher searches. */
export function normalizePhrase(phrase: string, options: NormalizeOptions): string {
  return normalize(phrase, options).text;
}
