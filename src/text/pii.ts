/**
 * Personal data in free text. Every pattern is linear: bounded character classes, no nested
 * quantifiers, so a hostile transcript cannot cause catastrophic backtracking; candidates are
 * then confirmed by checksum (CN resident ID: GB 11643 mod 11-2; bank cards: Luhn).
 */
export type PiiKind = 'cn_id' | 'cn_mobile' | 'bank_card' | 'email';

export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
}

export const PII_LABEL: Record<PiiKind, string> = {
  cn_id: 'CN resident ID number',
  cn_mobile: 'mobile phone number',
  bank_card: 'bank card number',
  email: 'e-mail address',
};

// Digit runs, allowing single spaces or dashes between groups; ASCII and full-width digits.
const DIGIT_RUN = /[0-9０-９](?:[ -]?[0-9０-９]){10,22}(?:[ -]?[xX])?/g;
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

function asciiDigits(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39) out += ch;
    else if (c >= 0xff10 && c <= 0xff19) out += String.fromCharCode(c - 0xff10 + 0x30);
    else if (ch === 'x' || ch === 'X') out += 'X';
  }
  return out;
}

export function isValidCnId(id: string): boolean {
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  if (ID_CHECK[sum % 11] !== id[17]) return false;
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function classifyDigits(digits: string): PiiKind | undefined {
  if (digits.length === 18 && isValidCnId(digits)) return 'cn_id';
  if (digits.includes('X')) return undefined;
  if (digits.length === 11 && /^1[3-9]/.test(digits)) return 'cn_mobile';
  if (digits.length === 13 && /^861[3-9]/.test(digits)) return 'cn_mobile';
  if (digits.length >= 13 && digits.length <= 19 && isLuhnValid(digits)) return 'bank_card';
  return undefined;
}

function isDigitAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  return (c >= 0x30 && c <= 0x39) || (c >= 0xff10 && c <= 0xff19);
}

export function findPii(text: string, kinds: ReadonlySet<PiiKind>): PiiMatch[] {
  const found: PiiMatch[] = [];
  if (kinds.has('cn_id') || kinds.has('cn_mobile') || kinds.has('bank_card')) {
    for (const m of text.matchAll(DIGIT_RUN)) {
      const start = m.index;
      const end = start + m[0].length;
      // Part of a longer number (e.g. an order id): not a phone or card.
      if (isDigitAt(text, start - 1) || isDigitAt(text, end)) continue;
      const kind = classifyDigits(asciiDigits(m[0]));
      if (kind && kinds.has(kind)) found.push({ kind, start, end });
    }
    // Mobile numbers with a +86 prefix or inside shorter runs are caught above; 11-digit runs
    // embedded in text ("号码13812345678谢谢") are matched because CJK is not a digit.
  }
  if (kinds.has('email')) {
    for (const m of text.matchAll(EMAIL))
      found.push({ kind: 'email', start: m.index, end: m.index + m[0].length });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Masks what a reviewer does not need to see, keeping enough to recognise the kind. */
export function maskPii(kind: PiiKind, value: string): string {
  if (kind === 'email') {
    return `${value.slice(0, 1)}***@***`;
  }
  const digits = asciiDigits(value);
  const keep = kind === 'cn_mobile' ? 3 : 4;
  return `${digits.slice(0, keep)}${'*'.repeat(Math.max(0, digits.length - keep - 4))}${digits.slice(-4)}`;
}

function replaceSpans(
  text: string,
  matches: readonly PiiMatch[],
  mask: (kind: PiiKind, value: string) => string,
): string {
  if (matches.length === 0) return text;
  let out = '';
  let last = 0;
  for (const m of matches) {
    if (m.start < last) continue;
    out += text.slice(last, m.start) + mask(m.kind, text.slice(m.start, m.end));
    last = m.end;
  }
  return out + text.slice(last);
}

/** Replaces every PII span in `text` with its mask. */
export function redactText(text: string, matches: readonly PiiMatch[]): string {
  return replaceSpans(text, matches, maskPii);
}

/**
 * Masks personal data without changing the text's length: every hidden UTF-16 unit becomes '*'
 * (separators and the few characters a reviewer needs to recognise the kind are kept), so offsets
 * into the original text, such as findings' start/end, still point at the same words.
 */
export function maskInPlace(text: string, matches: readonly PiiMatch[]): string {
  return replaceSpans(text, matches, maskSameLength);
}

function maskSameLength(kind: PiiKind, value: string): string {
  if (kind === 'email') {
    return value.replace(/[^@.]/g, (ch, i: number) => (i === 0 ? ch : '*'));
  }
  // Keep the first digits (3 of a mobile, 4 otherwise) and the last 4, as maskPii does.
  const positions: number[] = [];
  for (let i = 0; i < value.length; i++) if (/[0-9０-９xX]/.test(value[i]!)) positions.push(i);
  const keepHead = kind === 'cn_mobile' ? 3 : 4;
  const hidden = new Set(positions.slice(keepHead, Math.max(keepHead, positions.length - 4)));
  let out = '';
  for (let i = 0; i < value.length; i++) out += hidden.has(i) ? '*' : value[i];
  return out;
}
