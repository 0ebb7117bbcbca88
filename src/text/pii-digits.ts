/**
 * Numbers as people write them, found in one linear pass over the original text: ASCII, full-width,
 * circled and mathematical digits, Chinese numerals (一三八…, 幺 for 1, 〇/零/○ for 0, financial
 * forms 壹贰叁…), groups separated by spaces of any kind (NBSP, ideographic), dashes, dots, slashes or
 * brackets, and zero-width or other invisible characters anywhere. Each run keeps the original
 * offsets of its groups, so whatever is found maps back to the exact characters written.
 */

/** Character classes; 0–9 are digit values. */
const X = 10; // x/X: the check character of a CN ID number
const WEAK = 11; // a separator that may sit inside one number: spaces, dashes, dots, slashes, brackets
const IGNORE = 12; // invisible (format characters, variation selectors, keycap): skipped
const PLUS = 13; // + before an international number
const WORD = 14; // a letter that glues to digits (ASCII/Latin letters, _): part of a code, not a number
const OTHER = 15; // anything else ends a run (CJK text, commas, colons, line breaks…)

/** At most this many visible separator characters between two groups of one number. */
const MAX_GAP = 3;
/** No number has fewer digits (local telephone numbers have 7). */
export const MIN_DIGITS = 7;
/** Longer runs are kept (their groups may hold numbers) but never classified whole. */
export const MAX_NUMBER_DIGITS = 19;

const CHINESE_DIGITS: Record<string, number> = {};
for (const [chars, value] of [
  ['〇零○◯', 0],
  ['一壹幺', 1],
  ['二贰貳两兩', 2],
  ['三叁', 3],
  ['四肆', 4],
  ['五伍', 5],
  ['六陆陸', 6],
  ['七柒', 7],
  ['八捌', 8],
  ['九玖', 9],
] as const) {
  for (const ch of chars) CHINESE_DIGITS[ch] = value;
}

const WEAK_CHARS = new Set([...'.．。｡・·/／\\()（）[]［］']);

let table: Uint8Array | undefined;
/** Per UTF-16 unit: CHINESE_NUMERAL, CONTENT (a letter or number, \p{L} or \p{N}), or 0. */
let flags: Uint8Array | undefined;
/** A change between Chinese numerals and other digits starts a new group. */
const CHINESE_NUMERAL = 1;
/** Letters and numbers: a run with none of them before (after) it starts (ends) its text. */
const CONTENT_UNIT = 2;

function classTable(): Uint8Array {
  if (table) return table;
  const t = new Uint8Array(65536).fill(OTHER);
  const f = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) {
    if (CONTENT.test(String.fromCharCode(c))) f[c] = CONTENT_UNIT;
    // Surrogates, and CJK ideographs and Hangul syllables (other than the numerals, set below).
    if ((c >= 0x3400 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xdfff)) continue;
    const ch = String.fromCharCode(c);
    const nfkc = ch.normalize('NFKC');
    if (nfkc.length === 1 && nfkc >= '0' && nfkc <= '9') t[c] = nfkc.charCodeAt(0) - 48;
    else if (nfkc === 'x' || nfkc === 'X') t[c] = X;
    else if (nfkc === '+') t[c] = PLUS;
    else if (/^[\p{Cf}\p{Mn}\p{Me}]$/u.test(ch)) t[c] = IGNORE;
    else if (c === 0x09 || /^[\p{Zs}\p{Pd}]$/u.test(ch) || WEAK_CHARS.has(ch)) t[c] = WEAK;
    else if (ch === '_' || (/^\p{L}$/u.test(ch) && c < 0x2e80)) t[c] = WORD;
  }
  for (const [ch, value] of Object.entries(CHINESE_DIGITS)) {
    const code = ch.charCodeAt(0);
    t[code] = value;
    f[code] = f[code]! | CHINESE_NUMERAL;
  }
  flags = f;
  table = t;
  return t;
}

/** Class of the astral code point at `i` (mathematical digits count as digits). */
function astralClass(text: string, i: number): number {
  const cp = text.codePointAt(i)!;
  if (cp >= 0x1d7ce && cp <= 0x1d7ff) return (cp - 0x1d7ce) % 10;
  if (cp >= 0xe0000 && cp <= 0xe0fff) return IGNORE; // tags, variation selectors
  return OTHER;
}

/** Digits written in one script and without a visible separator. */
export interface DigitGroup {
  /** ASCII digits, with a trailing 'X' when an ID number's check character follows. */
  digits: string;
  /** Original UTF-16 offsets of the first and past the last character of the group. */
  start: number;
  end: number;
}

/** Groups joined by weak separators: one number, or several numbers written next to each other. */
export interface DigitRun {
  groups: DigitGroup[];
  /** gaps[k] is the separator between groups k and k+1, folded ('-', ' ', '.', '/', '(' …; '' for a change of script). */
  gaps: string[];
  /** A '+' right before the first digit. */
  plus: boolean;
  /** Letters stick to the first / last digit ("SN2023…", "…7abc"): a code, not a number. */
  gluedStart: boolean;
  gluedEnd: boolean;
  /** Nothing but separators before the run / after it in the text (for numbers split over two turns). */
  atTextStart: boolean;
  atTextEnd: boolean;
}

/** The total number of digits of a run (an ID's 'X' counts). */
export function runDigits(run: DigitRun): number {
  let total = 0;
  for (const g of run.groups) total += g.digits.length;
  return total;
}

const folded = new Map<string, string>();
const foldGap = (ch: string): string => {
  let f = folded.get(ch);
  if (f === undefined) {
    f = foldSeparator(ch);
    folded.set(ch, f);
  }
  return f;
};

function foldSeparator(ch: string): string {
  const n = ch.normalize('NFKC');
  if (/^\p{Zs}$/u.test(n) || n === '\t') return ' ';
  if (/^\p{Pd}$/u.test(n)) return '-';
  if (n === '。' || n === '｡' || n === '・' || n === '·') return '.';
  return n;
}

const DIGIT_STRINGS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * Runs too short to be a number matter only first or last in the text (a number split over two
 * turns); the others (一个, 第3次…) are dropped as soon as the next run starts.
 */
interface Closed {
  /** The first short run (if it came before every long one), then the long runs. */
  runs: DigitRun[];
  long: number;
  short: DigitRun | undefined;
  firstShort: boolean;
}

function closeRun(run: DigitRun, closed: Closed): void {
  if (runDigits(run) >= MIN_DIGITS) {
    closed.runs.push(run);
    closed.long++;
    closed.short = undefined;
  } else if (closed.long === 0 && !closed.firstShort) {
    closed.runs.push(run);
    closed.firstShort = true;
  } else {
    closed.short = run;
  }
}

/** Whether a letter or number (\p{L}, \p{N}) is in text[from, to). */
function hasContent(text: string, from: number, to: number, f: Uint8Array): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        if (CONTENT.test(text.slice(i, i + 2))) return true;
        i++;
        continue;
      }
    }
    if ((f[c]! & CONTENT_UNIT) !== 0) return true;
  }
  return false;
}

/**
 * Every run of digits in `text`, in order. Linear in the length of the text: one table lookup per
 * character outside runs (most of any text), and state in locals (this runs on every turn and on
 * every string an item emits).
 */
export function digitRuns(text: string): DigitRun[] {
  const t = classTable();
  const f = flags!;
  const closed: Closed = { runs: [], long: 0, short: undefined, firstShort: false };
  let run: DigitRun | undefined;
  let group: DigitGroup | undefined;
  let groupChinese = false;
  let gap = '';
  let gapVisible = 0;
  let plusPending = false;
  let wordBefore = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!run) {
      // Outside a run, text that cannot start one (most of any text) is skipped in a tight loop.
      const from = i;
      let c = text.charCodeAt(i);
      while (t[c] === OTHER && (c < 0xd800 || c > 0xdbff) && ++i < n) c = text.charCodeAt(i);
      if (i > from) {
        plusPending = false;
        wordBefore = false;
        if (i === n) break;
      }
    }
    const c = text.charCodeAt(i);
    let cls: number;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff) {
      cls = astralClass(text, i);
      width = 2;
    } else {
      cls = t[c]!;
    }
    if (cls === OTHER && !run) {
      plusPending = false;
      wordBefore = false;
    } else if (cls <= 9) {
      const isChinese = (f[c]! & CHINESE_NUMERAL) !== 0;
      if (!run) {
        group = { digits: '', start: i, end: i };
        run = {
          groups: [group],
          gaps: [],
          plus: plusPending,
          gluedStart: wordBefore,
          gluedEnd: false,
          atTextStart: false,
          atTextEnd: false,
        };
      } else if (gapVisible > 0 || isChinese !== groupChinese) {
        run.gaps.push(gapVisible > 0 ? gap : '');
        group = { digits: '', start: i, end: i };
        run.groups.push(group);
      }
      group!.digits += DIGIT_STRINGS[cls]!;
      group!.end = i + width;
      groupChinese = isChinese;
      gap = '';
      gapVisible = 0;
      wordBefore = false;
      plusPending = false;
    } else if (cls === IGNORE) {
      // invisible: neither a separator nor a boundary
    } else if (cls === WEAK && run) {
      gapVisible++;
      gap += foldGap(text[i]!);
      if (gapVisible > MAX_GAP) {
        closeRun(run, closed);
        run = undefined;
        group = undefined;
      }
    } else if (cls === X && run && gapVisible <= 1 && !group!.digits.endsWith('X')) {
      const next = i + 1 < n ? t[text.charCodeAt(i + 1)]! : OTHER;
      if (next === WORD || next === X || next <= 9) {
        run.gluedEnd = true;
        closeRun(run, closed);
        run = undefined;
        group = undefined;
        wordBefore = true;
      } else {
        group!.digits += 'X';
        group!.end = i + 1;
        gap = '';
        gapVisible = 0;
      }
    } else {
      if (run) {
        if ((cls === WORD || cls === X) && gapVisible === 0) run.gluedEnd = true;
        closeRun(run, closed);
        run = undefined;
        group = undefined;
      }
      plusPending = cls === PLUS || (cls === WEAK && plusPending);
      wordBefore = cls === WORD || cls === X;
    }
    i += width;
  }
  if (run) closeRun(run, closed);
  const runs = closed.runs;
  if (closed.short) runs.push(closed.short);
  const first = runs[0];
  if (first) first.atTextStart = !hasContent(text, 0, first.groups[0]!.start, f);
  const last = runs.at(-1);
  if (last) last.atTextEnd = !hasContent(text, last.groups.at(-1)!.end, n, f);
  return runs;
}

const CONTENT = /[\p{L}\p{N}]/u;

/** The at signs an e-mail address may be written with: '@', full-width '＠', small '﹫'. */
export const AT_SIGNS = ['@', '＠', '﹫'] as const;
const [AT_SIGN, FULLWIDTH_AT, SMALL_AT] = AT_SIGNS.map((a) => a.charCodeAt(0));

/** Whether a UTF-16 code unit is one of `AT_SIGNS` (a comparison, not a one-character string per unit). */
export function isAtSign(code: number): boolean {
  return code === AT_SIGN || code === FULLWIDTH_AT || code === SMALL_AT;
}

/**
 * Whether `text` has at least `min` digits (any writing digitRuns reads) or an at sign of any width:
 * without either, no number and no e-mail address can be found in it. One table lookup per
 * character and no allocation, so the many short strings an item emits (messages, quotes) are
 * cleared for a fraction of what scanning them costs.
 */
export function hasDigitsOrAt(text: string, min: number): boolean {
  const t = classTable();
  let digits = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let cls: number;
    if (c >= 0xd800 && c <= 0xdbff) {
      cls = astralClass(text, i);
      i++;
    } else {
      if (isAtSign(c)) return true;
      cls = t[c]!;
    }
    if (cls <= 9 && ++digits >= min) return true;
  }
  return false;
}

/** Whether the character at `i` is invisible (format characters such as zero-width spaces). */
export function isInvisibleAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c < 0xd800 || c > 0xdbff ? classTable()[c] === IGNORE : astralClass(text, i) === IGNORE;
}

/** Whether the character at `i` is a digit or an ID check character (for masking digits only). */
export function isDigitAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  const cls = c >= 0xd800 && c <= 0xdbff ? astralClass(text, i) : classTable()[c]!;
  return cls <= X;
}

/** The digits of groups `from`..`to` (inclusive). */
export function windowDigits(run: DigitRun, from: number, to: number): string {
  let s = '';
  for (let k = from; k <= to; k++) s += run.groups[k]!.digits;
  return s;
}
