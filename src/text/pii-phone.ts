/**
 * Telephone numbers checked against Google's numbering plans (libphonenumber-js, "max" metadata so
 * the type of a number is known): the scanner in pii-digits.ts proposes bounded candidates, the
 * library says whether they are real numbers of a region, and whether they are a person's
 * (mobile, fixed line…) or a business's (toll-free, shared cost…). The library never scans free
 * text, so the cost stays linear in the text.
 */
import {
  type CountryCode,
  isSupportedCountry,
  Metadata,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';

/** Number types that belong to businesses, never to a customer (libphonenumber's names, lower case). */
export const BUSINESS_NUMBER_TYPES = ['toll_free', 'shared_cost', 'premium_rate', 'uan'] as const;
export type BusinessNumberType = (typeof BUSINESS_NUMBER_TYPES)[number];

export const isPhoneRegion = (region: string): boolean => isSupportedCountry(region);

interface Plan {
  /** The national (trunk) prefix: '0' in most regions, '1' in North America, none in some. */
  trunk: string | undefined;
  lengths: ReadonlySet<number>;
  mobileLengths: ReadonlySet<number>;
  /** The region's national numbers (the library's own pattern, anchored): a cheap first test. */
  pattern: RegExp;
}

const plans = new Map<string, Plan>();
// numberingPlan's methods are part of the metadata API but not of its typings (tests fail if they go).
type RawPlan = {
  nationalPrefix(): string | undefined;
  possibleLengths(): number[];
  nationalNumberPattern(): string;
  type(t: string): { possibleLengths(): number[] } | undefined;
};

function planOf(region: string): Plan {
  let plan = plans.get(region);
  if (!plan) {
    const metadata = new Metadata();
    metadata.selectNumberingPlan(region as CountryCode);
    const raw = metadata.numberingPlan as unknown as RawPlan;
    plan = {
      trunk: raw.nationalPrefix(),
      lengths: new Set(raw.possibleLengths()),
      mobileLengths: new Set(raw.type('MOBILE')?.possibleLengths() ?? []),
      pattern: new RegExp(`^(?:${raw.nationalNumberPattern()})$`),
    };
    plans.set(region, plan);
  }
  return plan;
}

/** Whether `digits` can be a national number of the region at all, before asking the library. */
function mayBeNational(digits: string, plan: Plan): boolean {
  const prefixed = plan.trunk !== undefined && digits.startsWith(plan.trunk);
  const national = prefixed ? digits.slice(plan.trunk!.length) : digits;
  if (!plan.lengths.has(national.length) && !plan.lengths.has(digits.length)) return false;
  // Where landlines are written with a trunk 0 (GB 020…, CN 010…), bare digits can only be a mobile.
  if (plan.trunk === '0' && !prefixed && !plan.mobileLengths.has(digits.length)) return false;
  return plan.pattern.test(national) || plan.pattern.test(digits);
}

export interface PhoneVerdict {
  /** A business's own number (one of `businessTypes`), not customer data. */
  business: boolean;
  /** E.164 digits without '+'. */
  e164: string;
}

/**
 * `digits` as a telephone number: international when written with '+', else national in the first
 * of `regions` where it is valid. Undefined when it is no valid number.
 */
export function checkPhone(
  digits: string,
  plus: boolean,
  regions: readonly string[],
  businessTypes: ReadonlySet<string>,
): PhoneVerdict | undefined {
  if (digits.length < 7 || digits.length > 15) return undefined;
  const attempts: Array<[string, CountryCode | undefined]> = plus
    ? [[`+${digits}`, undefined]]
    : regions.filter((r) => mayBeNational(digits, planOf(r))).map((r) => [digits, r as CountryCode]);
  for (const [text, region] of attempts) {
    const parsed = parsePhoneNumberFromString(text, region);
    if (!parsed?.isValid()) continue;
    const type = parsed.getType()?.toLowerCase();
    if (region && type !== 'mobile' && planOf(region).trunk === '0' && !digits.startsWith('0')) continue;
    return { business: type !== undefined && businessTypes.has(type), e164: parsed.number.slice(1) };
  }
  return undefined;
}
