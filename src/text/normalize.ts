import { toSimplifiedCodePoint } from './chinese.js';

/**
 * Text as the matcher sees it, with a map back to the original.
 * `starts[i]`/`ends[i]` are the original UTF-16 offsets of the source characters
 * that produced normalised unit i, so any span [a, b) of `text` maps back to
 * [starts[a], ends[b - 1]) of the original, exactly.
 */
export interface NormalizedText {
  readonly text: string;
  // Plain arrays, not typed ones: a typed array costs ~10× as much to allocate, and most turns are a
  // few dozen characters, so allocating the result was most of normalising one.
  readonly starts: readonly number[];
  readonly ends: readonly number[];
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

/** Makes the scratch buffers hold at least `need` units, keeping the first `length`. */
function grow(need: number, length: number): void {
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
}

// No closures over the loop's state: captured variables live in a heap context, and every
// `length++` of the hot loop would be a store there (measured: ~2× the whole call on short turns).
export function normalize(input: string, options: NormalizeOptions): NormalizedText {
  const { kind, mapped } = tableFor(options.simplify);
  const spaces = options.separators === 'space';
  const n = input.length;
  let length = 0;
  // A run of separators not yet written: one space, written before the next kept unit (English).
  let pendingStart = -1;
  let pendingEnd = -1;
  if (n + 16 > capacity) grow(n + 16, 0);

  let i = 0;
  while (i < n) {
    const c = input.charCodeAt(i);
    const k = kind[c]!;
    const nextJoins = i + 1 < n && kind[input.charCodeAt(i + 1)] === JOIN;
    let s: string;
    let j: number;
    if (k === KEEP && !nextJoins) {
      j = i + 1;
      s = mapped[c]!;
      if (s === '' && pendingStart < 0) {
        // The common case: one unit, itself (the buffers hold n + 16 units before any expansion).
        if (length + 1 > capacity) grow(length + 1, length);
        codes[length] = c;
        starts[length] = i;
        ends[length] = j;
        length++;
        i = j;
        continue;
      }
      if (s === '') s = input[i]!;
    } else if (k === SEP && !nextJoins) {
      j = i + 1;
      s = '';
    } else {
      // Slow path: one code point plus every joining unit after it, normalised together.
      const cp = input.codePointAt(i)!;
      j = i + (cp > 0xffff ? 2 : 1);
      while (j < n) {
        const next = input.codePointAt(j)!;
        const joins = next <= 0xffff ? kind[next] === JOIN : COMBINING.test(String.fromCodePoint(next));
        if (!joins) break;
        j += next > 0xffff ? 2 : 1;
      }
      s = foldChunk(input.slice(i, j), options.simplify);
      if (SEPARATOR.test(s)) s = '';
    }
    if (s === '') {
      if (spaces) {
        if (pendingStart < 0) pendingStart = i;
        pendingEnd = j;
      }
      i = j;
      continue;
    }
    const need = length + s.length + 1;
    if (need > capacity) grow(need, length);
    if (pendingStart >= 0) {
      if (length > 0) {
        codes[length] = 0x20;
        starts[length] = pendingStart;
        ends[length] = pendingEnd;
        length++;
      }
      pendingStart = -1;
    }
    for (let u = 0; u < s.length; u++) {
      codes[length] = s.charCodeAt(u);
      starts[length] = i;
      ends[length] = j;
      length++;
    }
    i = j;
  }
  const startsOut = new Array<number>(length);
  const endsOut = new Array<number>(length);
  for (let u = 0; u < length; u++) {
    startsOut[u] = starts[u]!;
    endsOut[u] = ends[u]!;
  }
  return { text: decode(codes.subarray(0, length)), starts: startsOut, ends: endsOut };
}

/** Normalisation of lexicon phrases: the same view the matcher searches. */
export function normalizePhrase(phrase: string, options: NormalizeOptions): string {
  return normalize(phrase, options).text;
}
