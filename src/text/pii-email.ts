/**
 * E-mail addresses, found without a regular expression: from each '@' (or full-width '＠', small
 * '﹫') the local part is read leftwards and the domain rightwards, each bounded, so the cost is
 * linear whatever the input. Full-width letters, ideographic dots and invisible characters inside
 * the address are read as what they stand for.
 */
import { isAtSign, isInvisibleAt } from './pii-digits.js';

export interface EmailMatch {
  start: number;
  end: number;
  /** Folded: NFKC, lower case, invisible characters dropped. */
  local: string;
  domain: string;
}

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const DOTS = new Set(['.', '．', '。', '｡']);

function fold(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c >= 0xff01 && c <= 0xff5e) return String.fromCharCode(c - 0xfee0).toLowerCase();
  return ch.toLowerCase();
}

const isAlnum = (f: string) => (f >= 'a' && f <= 'z') || (f >= '0' && f <= '9');
const isLocalChar = (f: string) =>
  isAlnum(f) || f === '.' || f === '_' || f === '%' || f === '+' || f === '-';

export function findEmails(text: string): EmailMatch[] {
  const found: EmailMatch[] = [];
  let floor = 0; // the local part never reaches back into the previous address
  for (let at = 0; at < text.length; at++) {
    // By code unit: a one-character string and a Set lookup per character cost ~10× as much.
    if (!isAtSign(text.charCodeAt(at))) continue;
    // Local part, leftwards.
    let start = at;
    let local = '';
    for (let i = at - 1; i >= floor && at - i <= MAX_LOCAL * 2; i--) {
      if (isInvisibleAt(text, i)) continue;
      const f = fold(text[i]!);
      if (!isLocalChar(f)) break;
      local = f + local;
      start = i;
    }
    while (local.startsWith('.')) {
      local = local.slice(1);
      start = skipTo(text, start, '.');
    }
    // Domain, rightwards: labels of letters, digits and hyphens separated by dots.
    let end = at + 1;
    let domain = '';
    for (let i = at + 1; i < text.length && i - at <= MAX_DOMAIN * 2; i++) {
      const ch = text[i]!;
      if (isInvisibleAt(text, i)) continue;
      const f = DOTS.has(ch) ? '.' : fold(ch);
      if (!(isAlnum(f) || f === '-' || f === '.')) break;
      domain += f;
      if (f !== '.') end = i + 1;
    }
    domain = domain.replace(/\.+$/, '');
    if (local.length === 0 || local.length > MAX_LOCAL || local.endsWith('.') || !validDomain(domain))
      continue;
    found.push({ start, end, local, domain });
    floor = end;
    at = end - 1;
  }
  return found;
}

function skipTo(text: string, from: number, dot: string): number {
  let i = from;
  while (i < text.length && (text[i] === dot || DOTS.has(text[i]!) || isInvisibleAt(text, i))) i++;
  return i;
}

function validDomain(domain: string): boolean {
  if (domain.length === 0 || domain.length > MAX_DOMAIN) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  const tld = labels.at(-1)!;
  if (!/^[a-z]{2,24}$/.test(tld)) return false;
  return labels.every((l) => l.length >= 1 && l.length <= 63 && !l.startsWith('-') && !l.endsWith('-'));
}
