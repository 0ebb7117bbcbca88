/**
 * Personal data in free text, as people really write it: digits spaced, dotted, slashed, full-width
 * or in Chinese numerals, invisible characters inside, a number split over two messages. Numbers
 * are read by a linear scanner (pii-digits.ts) and confirmed by checksum (CN resident ID: GB 11643
 * mod 11-2, or the 15-digit first generation's date; bank cards: Luhn and issuer prefix) or by the
 * numbering plans of libphonenumber (pii-phone.ts); e-mail addresses by a linear scanner
 * (pii-email.ts). Nothing here runs a regular expression that could backtrack on hostile input.
 *
 * Not personal data: digits inside a link (archive timestamps, article ids), codes glued to letters
 * (order and tracking ids), and the company's own contacts (its domains, role mailboxes such as
 * support@, its numbers, and business number types such as toll-free and 400 numbers).
 */
import {
  AT_SIGNS,
  type DigitRun,
  digitRuns,
  hasDigitsOrAt,
  isDigitAt,
  MAX_NUMBER_DIGITS,
  MIN_DIGITS,
  runDigits,
  windowDigits,
} from './pii-digits.js';
import { findEmails } from './pii-email.js';
import { BUSINESS_NUMBER_TYPES, checkPhone } from './pii-phone.js';

export const PII_KINDS = ['cn_id', 'cn_mobile', 'bank_card', 'email', 'phone'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
  /**
   * Digits left visible at the start and end when masked. Set on the two parts of a number split
   * over two turns, so that together they show no more than the whole number would.
   */
  head?: number;
  tail?: number;
}

/** The company's own contacts: not customer data, never flagged or masked. */
export interface OwnContacts {
  /** E-mail domains (and their subdomains). */
  domains: readonly string[];
  /** Local parts of role mailboxes (support@…, service@…), on any domain. */
  mailboxes: readonly string[];
  /** Telephone numbers, any writing (only the digits count). */
  phones: readonly string[];
  /** Number types that are businesses' (libphonenumber: toll_free, shared_cost, premium_rate, uan). */
  numberTypes: readonly string[];
}

export interface PiiDetectorOptions {
  /** Regions (ISO 3166 alpha-2) whose national telephone numbers are recognised; '+' numbers always are. */
  phoneRegions: readonly string[];
  own: OwnContacts;
  /** Contacts of one tenant, added to `own` for its transcripts. */
  tenants?: Readonly<Record<string, Partial<Pick<OwnContacts, 'domains' | 'phones'>>>>;
}

export const DEFAULT_OWN_CONTACTS: OwnContacts = {
  domains: [],
  mailboxes: [
    'support',
    'help',
    'helpdesk',
    'service',
    'services',
    'customerservice',
    'customercare',
    'care',
    'kefu',
    'noreply',
    'no-reply',
    // RFC 2142 role mailboxes and the usual reporting addresses: a company's, never a person's.
    'abuse',
    'security',
    'phishing',
    'reportphishing',
    'reportphish',
    'phish',
    'spam',
    'fraud',
    'privacy',
    'postmaster',
    'webmaster',
    'hostmaster',
  ],
  phones: [],
  numberTypes: [...BUSINESS_NUMBER_TYPES],
};

export const DEFAULT_PII_OPTIONS: PiiDetectorOptions = { phoneRegions: [], own: DEFAULT_OWN_CONTACTS };

export interface PiiDetector {
  /** Personal data in one text (a turn on its own, or any string about to be emitted). */
  find(text: string, tenant?: string): PiiMatch[];
  /** Personal data in every turn, including numbers split over two consecutive turns of one speaker. */
  scan(turns: ReadonlyArray<{ text: string; speaker: string }>, tenant?: string): PiiMatch[][];
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
/** First two digits of CN resident IDs: provinces, and 71/81/82 for Taiwan, Hong Kong, Macao. */
const ID_PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83, 91,
]);
/** Library checks per text before candidates are taken as numbers unchecked (hostile input stays cheap). */
const PHONE_CHECKS_PER_TEXT = 64;
const URL_HINT = /https?:\/\/|www\./i;
const URL = /(?:https?:\/\/|www\.)[^\s<>"'`\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]*/gi;

const validDate = (month: number, day: number) => month >= 1 && month <= 12 && day >= 1 && day <= 31;

export function isValidCnId(id: string): boolean {
  if (id.length === 15) {
    return (
      /^[1-9]\d{14}$/.test(id) &&
      ID_PROVINCES.has(Number(id.slice(0, 2))) &&
      validDate(Number(id.slice(8, 10)), Number(id.slice(10, 12)))
    );
  }
  if (!/^[1-9]\d{16}[\dX]$/.test(id) || !ID_PROVINCES.has(Number(id.slice(0, 2)))) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  if (ID_CHECK[sum % 11] !== id[17]) return false;
  return validDate(Number(id.slice(10, 12)), Number(id.slice(12, 14)));
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

/** Card issuers' prefixes (Amex/Diners/JCB 3, Visa 4, Mastercard 5 and 2221–2720, UnionPay/Discover 6). */
function isCardPrefix(digits: string): boolean {
  const first = digits[0];
  if (first === '3' || first === '4' || first === '5' || first === '6') return true;
  const four = Number(digits.slice(0, 4));
  return four >= 2221 && four <= 2720;
}

const isCnMobile = (d: string) =>
  (d.length === 11 && /^1[3-9]/.test(d)) ||
  (d.length === 13 && /^861[3-9]/.test(d)) ||
  (d.length === 15 && /^00861[3-9]/.test(d));

const digitsOf = (s: string) => s.replace(/\D/g, '');

function samePhone(a: string, b: string): boolean {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  return short.length >= 5 && long.endsWith(short) && long.length - short.length <= 4;
}

type Verdict = PiiKind | 'own' | undefined;

interface Resolved {
  regions: readonly string[];
  domains: readonly string[];
  mailboxes: ReadonlySet<string>;
  phones: readonly string[];
  numberTypes: ReadonlySet<string>;
}

/** What a candidate number is; `budget` counts the library checks left for this text. */
function classify(
  d: string,
  plus: boolean,
  glued: boolean,
  own: Resolved,
  budget: { phone: number },
  cardGrouped = true,
): Verdict {
  if (d.length > MAX_NUMBER_DIGITS) return undefined;
  if (d.includes('X')) return d.length === 18 && isValidCnId(d) ? 'cn_id' : undefined;
  if (d.length === 18 && isValidCnId(d)) return 'cn_id';
  if (own.phones.some((p) => samePhone(d, p))) return 'own';
  // Where CN is the preferred region (or none is set), 1[3-9]… is a CN mobile: no library call.
  if (isCnMobile(d) && (own.regions.length === 0 || own.regions[0] === 'CN')) return 'cn_mobile';
  let phone = false;
  if (d.length >= 7 && d.length <= 15 && (plus || own.regions.length > 0)) {
    if (budget.phone > 0) {
      budget.phone--;
      const verdict = checkPhone(d, plus, own.regions, own.numberTypes);
      if (verdict?.business) return 'own';
      if (verdict && own.phones.some((p) => samePhone(verdict.e164, p))) return 'own';
      phone = verdict !== undefined;
    } else {
      phone = d.length >= 8; // past the budget (hostile input): masked unchecked rather than leaked
    }
  }
  if (isCnMobile(d)) return 'cn_mobile';
  if (glued) return undefined;
  if (d.length >= 13 && cardGrouped && isCardPrefix(d) && isLuhnValid(d)) return 'bank_card';
  if (d.length === 15 && isValidCnId(d)) return 'cn_id';
  return phone ? 'phone' : undefined;
}

function urlSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  if (!URL_HINT.test(text)) return spans;
  for (const m of text.matchAll(URL)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

const inside = (spans: ReadonlyArray<[number, number]>, at: number) =>
  spans.some(([a, b]) => a <= at && at < b);

interface RunMatch {
  kind: PiiKind;
  from: number;
  to: number;
}

/**
 * Whether groups `from`..`to` are written as cards are: one group, or fours with a last group of at
 * most seven (4-4-4-4, 4-4-4-4-3, a last group typed together), or 4-6-5 / 4-6-4 (Amex, Diners).
 * An order number such as 112-3456789-1234567 passes Luhn one time in ten; its grouping says what it is.
 */
function cardGrouped(run: DigitRun, from: number, to: number): boolean {
  if (from === to) return true;
  const sizes: number[] = [];
  for (let k = from; k <= to; k++) sizes.push(run.groups[k]!.digits.length);
  if (sizes.slice(0, -1).every((n) => n === 4) && sizes.at(-1)! <= 7) return true;
  return sizes.length === 3 && sizes[0] === 4 && sizes[1] === 6 && (sizes[2] === 5 || sizes[2] === 4);
}

/** The numbers in one run: the whole run if it is one, else windows of groups with one kind of separator. */
function numbersInRun(run: DigitRun, own: Resolved, budget: { phone: number }): RunMatch[] {
  const last = run.groups.length - 1;
  const verdict = (digits: string, from: number, to: number) =>
    classify(
      digits,
      from === 0 && run.plus,
      (from === 0 && run.gluedStart) || (to === last && run.gluedEnd),
      own,
      budget,
      cardGrouped(run, from, to),
    );
  const whole = verdict(windowDigits(run, 0, last), 0, last);
  if (whole !== undefined) return whole === 'own' ? [] : [{ kind: whole, from: 0, to: last }];
  const found: RunMatch[] = [];
  let s = 0;
  while (s <= last) {
    // Windows starting at group s whose groups share one separator, longest first.
    const prefixes = [run.groups[s]!.digits];
    while (
      s + prefixes.length <= last &&
      run.gaps[s + prefixes.length - 1] === run.gaps[s] &&
      prefixes.at(-1)!.length + run.groups[s + prefixes.length]!.digits.length <= MAX_NUMBER_DIGITS
    ) {
      prefixes.push(prefixes.at(-1)! + run.groups[s + prefixes.length]!.digits);
    }
    let next = s + 1;
    for (let k = prefixes.length - 1; k >= 0; k--) {
      const to = s + k;
      if ((s === 0 && to === last) || prefixes[k]!.length < MIN_DIGITS) continue;
      const v = verdict(prefixes[k]!, s, to);
      if (v === undefined) continue;
      if (v !== 'own') found.push({ kind: v, from: s, to });
      next = to + 1;
      break;
    }
    s = next;
  }
  return found;
}

function resolve(options: PiiDetectorOptions, tenant: string | undefined): Resolved {
  const extra = tenant !== undefined ? options.tenants?.[tenant] : undefined;
  return {
    regions: options.phoneRegions,
    domains: [...options.own.domains, ...(extra?.domains ?? [])].map((d) => d.toLowerCase()),
    mailboxes: new Set(options.own.mailboxes.map((m) => m.toLowerCase())),
    phones: [...options.own.phones, ...(extra?.phones ?? [])].map(digitsOf).filter((p) => p.length > 0),
    numberTypes: new Set(options.own.numberTypes),
  };
}

const onDomain = (domain: string, own: string) => domain === own || domain.endsWith(`.${own}`);

interface TextScan {
  matches: PiiMatch[];
  runs: DigitRun[];
  /** Runs that are part of a match, a link or a code: not to be joined with the next turn. */
  used: Set<DigitRun>;
}

const NOTHING: TextScan = { matches: [], runs: [], used: new Set() };

function scanText(text: string, own: Resolved): TextScan {
  const runs = digitRuns(text);
  const at = AT_SIGNS.some((a) => text.includes(a));
  if (runs.length === 0 && !at) return { matches: [], runs: NOTHING.runs, used: NOTHING.used };
  const matches: PiiMatch[] = [];
  const used = new Set<DigitRun>();
  let urls: Array<[number, number]> | undefined;
  let budget: { phone: number } | undefined;
  for (const run of runs) {
    const short = runDigits(run) < MIN_DIGITS;
    // A run too short for a number matters only as half of one split over two turns, and only
    // the run at the text's start or end can be that half: others are left alone.
    if (short && !run.atTextStart && !run.atTextEnd) continue;
    urls ??= urlSpans(text);
    if (inside(urls, run.groups[0]!.start)) {
      used.add(run);
      continue;
    }
    if (short) continue;
    budget ??= { phone: PHONE_CHECKS_PER_TEXT };
    for (const m of numbersInRun(run, own, budget)) {
      used.add(run);
      // "(212) 555-0123": the opening bracket belongs to the number.
      const first = run.groups[m.from]!.start;
      const start = m.from === 0 && (text[first - 1] === '(' || text[first - 1] === '（') ? first - 1 : first;
      matches.push({ kind: m.kind, start, end: run.groups[m.to]!.end });
    }
  }
  if (at) {
    for (const e of findEmails(text)) {
      if (own.mailboxes.has(e.local) || own.domains.some((d) => onDomain(e.domain, d))) continue;
      matches.push({ kind: 'email', start: e.start, end: e.end });
    }
  }
  return { matches: matches.sort((a, b) => a.start - b.start), runs, used };
}

/** Forgets the matches that lie within a run (it is about to be claimed by a number split over two turns). */
function dropWithin(
  scan: { matches: PiiMatch[] },
  run: { groups: ReadonlyArray<{ start: number; end: number }> },
): void {
  const start = run.groups[0]!.start;
  const end = run.groups.at(-1)!.end;
  scan.matches = scan.matches.filter((m) => m.end <= start || m.start >= end);
}

/** Visible digits of each part of a number split in two, so the two together show head + tail. */
function splitKeep(kind: PiiKind, first: number, total: number): [[number, number], [number, number]] {
  const [head, tail] = keep(kind, total);
  return [
    [Math.min(head, first), Math.max(0, tail - (total - first))],
    [Math.max(0, head - first), Math.min(tail, total - first)],
  ];
}

export function createPiiDetector(options: PiiDetectorOptions = DEFAULT_PII_OPTIONS): PiiDetector {
  const cache = new Map<string | undefined, Resolved>();
  const ownFor = (tenant: string | undefined) => {
    let r = cache.get(tenant);
    if (!r) {
      r = resolve(options, tenant);
      if (cache.size < 1000) cache.set(tenant, r);
    }
    return r;
  };
  return {
    // Every number found has MIN_DIGITS digits at least (a number split over two turns is scan's).
    find: (text, tenant) => (hasDigitsOrAt(text, MIN_DIGITS) ? scanText(text, ownFor(tenant)).matches : []),
    scan(turns, tenant) {
      const own = ownFor(tenant);
      const scans = turns.map((t) => scanText(t.text, own));
      for (let i = 0; i + 1 < turns.length; i++) {
        if (turns[i]!.speaker !== turns[i + 1]!.speaker) continue;
        const tail = scans[i]!.runs.at(-1);
        const head = scans[i + 1]!.runs[0];
        if (!tail?.atTextEnd || !head?.atTextStart || tail.gluedEnd || head.gluedStart) continue;
        if (scans[i]!.used.has(tail) && scans[i + 1]!.used.has(head)) continue;
        const first = windowDigits(tail, 0, tail.groups.length - 1);
        const second = windowDigits(head, 0, head.groups.length - 1);
        const kind = classify(first + second, tail.plus, false, own, { phone: 1 });
        if (kind === undefined || kind === 'own') continue;
        // One part may also read as a number of its own ("02853995" as a landline): the whole
        // number wins, so neither part is left in clear.
        dropWithin(scans[i]!, tail);
        dropWithin(scans[i + 1]!, head);
        const [a, b] = splitKeep(kind, first.length, first.length + second.length);
        scans[i]!.matches.push({
          kind,
          start: tail.groups[0]!.start,
          end: tail.groups.at(-1)!.end,
          head: a[0],
          tail: a[1],
        });
        scans[i + 1]!.matches.unshift({
          kind,
          start: head.groups[0]!.start,
          end: head.groups.at(-1)!.end,
          head: b[0],
          tail: b[1],
        });
        scans[i + 1]!.used.add(head);
      }
      return scans.map((s) => s.matches);
    },
  };
}

const defaultDetector = createPiiDetector();

/** Personal data of the given kinds in one text, with the default detector (no national phone regions). */
export function findPii(text: string, kinds: ReadonlySet<PiiKind>): PiiMatch[] {
  return defaultDetector.find(text).filter((m) => kinds.has(m.kind));
}

/** Digits shown at the start and end of a masked number of `total` digits. */
function keep(kind: PiiKind, total: number): [number, number] {
  if (kind === 'phone') return [0, Math.min(2, Math.floor(total / 4))];
  return [kind === 'cn_mobile' ? 3 : 4, 4];
}

/**
 * The span's text masked without changing its length: hidden digits and letters become '*'
 * (separators, and the few characters a reviewer needs to recognise the kind, stay), so offsets
 * into the original text, such as findings' start/end, still point at the same words.
 */
export function maskSpan(text: string, m: PiiMatch): string {
  const value = text.slice(m.start, m.end);
  if (m.kind === 'email') {
    let out = '';
    for (let i = 0; i < value.length; i++) {
      const ch = value[i]!;
      out += i === 0 || '@＠﹫.．。｡'.includes(ch) ? ch : '*';
    }
    return out;
  }
  let total = 0;
  for (let i = 0; i < value.length; i++) if (isDigitAt(value, i)) total++;
  const [head, tail] = m.head !== undefined && m.tail !== undefined ? [m.head, m.tail] : keep(m.kind, total);
  let out = '';
  let k = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (!isDigitAt(value, i)) {
      out += ch;
      continue;
    }
    const shown = k < head || k >= total - tail;
    k++;
    const astral = ch.charCodeAt(0) >= 0xd800 && ch.charCodeAt(0) <= 0xdbff;
    out += shown ? value.slice(i, i + (astral ? 2 : 1)) : astral ? '**' : '*';
    if (astral) i++;
  }
  return out;
}

/** `text` with every match masked in place (same length; see maskSpan). */
export function maskInPlace(text: string, matches: readonly PiiMatch[]): string {
  if (matches.length === 0) return text;
  let out = '';
  let last = 0;
  for (const m of [...matches].sort((a, b) => a.start - b.start)) {
    if (m.end <= last) continue;
    // Overlapping detections ("138 1234 5678zhang.san@example.com": a mobile, then an e-mail that
    // starts inside it): the part past the previous one is masked too, never left in clear.
    const from = Math.max(last, m.start);
    out += text.slice(last, from) + maskSpan(text, m).slice(from - m.start);
    last = m.end;
  }
  return out + text.slice(last);
}
