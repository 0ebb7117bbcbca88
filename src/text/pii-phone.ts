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

const trunkPrefixes = new Map<string, string | undefined>();
/** The national (trunk) prefix of a region: '0' in most, '1' in North America, none in some. */
function trunkPrefix(region: string): string | undefined {
  if (!trunkPrefixes.has(region)) {
    const metadata = new Metadata();
    metadata.selectNumberingPlan(region as CountryCode);
    // Not in the typings, but part of the metadata API (a test fails if it goes away).
    const plan = metadata.numberingPlan as unknown as { nationalPrefix?: () => string | undefined };
    trunkPrefixes.set(region, plan?.nationalPrefix?.());
  }
  return trunkPrefixes.get(region);
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
    : regions.map((r) => [digits, r as CountryCode]);
  for (const [text, region] of attempts) {
    const parsed = parsePhoneNumberFromString(text, region);
    if (!parsed?.isValid()) continue;
    const type = parsed.getType()?.toLowerCase();
    // Where landlines are written with a trunk 0 (GB 020…, CN 010…), ten bare digits are an id.
    if (region && type !== 'mobile' && trunkPrefix(region) === '0' && !digits.startsWith('0')) continue;
    return { business: type !== undefined && businessTypes.has(type), e164: parsed.number.slice(1) };
  }
  return undefined;
}
