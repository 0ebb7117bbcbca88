import { z } from 'zod';
import { Severity } from '../domain/index.js';
import {
  createPiiDetector,
  DEFAULT_OWN_CONTACTS,
  maskSpan,
  PII_KINDS,
  type PiiDetector,
  type PiiKind,
} from '../text/pii.js';
import { BUSINESS_NUMBER_TYPES, isPhoneRegion } from '../text/pii-phone.js';
import { defineRule, PhraseSelector, type RawFinding, Speakers } from './define.js';
import { hitsOf, hitWords, longestHits, type PreparedTranscript } from './prepared.js';
import type { RuleConfig } from './registry.js';

const PiiKindSchema = z.enum(PII_KINDS);
const ALL_SPEAKERS = ['agent', 'customer', 'bot', 'system'] as const;

const PhoneRegion = z
  .string()
  .refine(isPhoneRegion, 'expected a region code such as CN, US or GB (ISO 3166-1 alpha-2)');
const Domain = z
  .string()
  .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'expected a domain such as example.com')
  .max(253);
const Phone = z
  .string()
  .max(40)
  .refine((s) => s.replace(/\D/g, '').length >= 5, 'expected a telephone number with at least 5 digits');
const TenantContacts = z.strictObject({
  domains: z.array(Domain).default([]).describe("the tenant's e-mail domains"),
  phones: z.array(Phone).default([]).describe("the tenant's telephone numbers"),
});

/** The company's own contacts are not customer data: never flagged, never masked. */
const OwnContactsSchema = z
  .strictObject({
    domains: z
      .array(Domain)
      .default([])
      .describe('e-mail domains of the company (addresses on them and their subdomains are its own)'),
    mailboxes: z
      .array(z.string().min(1).max(64))
      .default([...DEFAULT_OWN_CONTACTS.mailboxes])
      .describe('role mailboxes (local parts such as support, service) that are never a person'),
    phones: z.array(Phone).default([]).describe("the company's telephone numbers (any writing)"),
    number_types: z
      .array(z.enum(BUSINESS_NUMBER_TYPES))
      .default([...BUSINESS_NUMBER_TYPES])
      .describe("telephone number types that are businesses' (toll-free, shared cost such as CN 400…)"),
    tenants: z
      .record(z.string().min(1).max(256), TenantContacts)
      .default({})
      .describe("per tenant (the transcript's `tenant`): `{domains, phones}` added for its conversations"),
  })
  .default({
    domains: [],
    mailboxes: [...DEFAULT_OWN_CONTACTS.mailboxes],
    phones: [],
    number_types: [...BUSINESS_NUMBER_TYPES],
    tenants: {},
  });

/** A business purpose (data, per tenant): stated near an ask, it makes the ask legitimate. */
const Purpose = z.strictObject({
  match: PhraseSelector.describe('phrases stating the purpose ("清关", "verify your identity")'),
  allows: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('ask categories this purpose justifies (default: every ask)'),
  tenants: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('only for transcripts of these tenants (default: every tenant)'),
  within_turns: z
    .number()
    .int()
    .min(0)
    .max(20)
    .default(3)
    .describe(
      "turns before the ask (either speaker) in which the purpose may be stated; the ask's own turn and the next always count",
    ),
});

/**
 * 信息保密: personal data in the transcript (always redacted in what is emitted) and the agent
 * asking for data unrelated to the business (ID number, home address).
 */
export const piiRule = defineRule({
  type: 'pii',
  summary:
    'Finds unmasked personal data in any common writing (CN ID with checksum, mobile and telephone numbers, bank card with Luhn, e-mail) and privacy asks.',
  channels: ['chat', 'call'],
  options: {
    kinds: z
      .array(PiiKindSchema)
      .min(1)
      .default(['cn_id', 'cn_mobile', 'bank_card', 'email'])
      .describe(
        'kinds of personal data to flag (`phone`: telephone numbers of `phone_regions` and any written with +); every kind is masked in what is emitted whatever this says',
      ),
    phone_regions: z
      .array(PhoneRegion)
      .default([])
      .describe(
        'regions whose national telephone numbers are recognised (libphonenumber), e.g. [US, GB] or [CN]; numbers written with + always are',
      ),
    own_contacts: OwnContactsSchema.describe(
      "`{domains, mailboxes, phones, number_types, tenants}`: the company's own contacts, not customer data",
    ),
    data: z
      .strictObject({
        speakers: Speakers.default([...ALL_SPEAKERS]),
        severity: Severity.default('info'),
        points: z.number().min(0).max(100).default(0),
      })
      .default({ speakers: [...ALL_SPEAKERS], severity: 'info', points: 0 })
      .describe("`{speakers, severity info, points 0}`: personal data found in these speakers' turns"),
    asks: z
      .strictObject({
        match: PhraseSelector.describe(
          'how asks for personal data are worded (categories name the kind of data)',
        ),
        speakers: Speakers.default(['agent']).describe('whose asks count'),
        severity: Severity.default('major'),
        points: z.number().min(0).max(100).default(3),
        purposes: z
          .array(Purpose)
          .default([])
          .describe(
            '`[{match, allows?, tenants?, within_turns}]`: business purposes that make an ask legitimate when stated nearby (customs clearance, identity check before an account change)',
          ),
      })
      .optional()
      .describe('`{match, speakers, severity, points, purposes}`: asking for data unrelated to the business'),
  },
  defaults: { category: 'privacy', severity: 'info', points: 0, deduct: 'per_occurrence' },
  selectors: (o) =>
    o.asks
      ? [
          { path: ['asks', 'match'], selector: o.asks.match },
          ...o.asks.purposes.map((p, i) => ({ path: ['asks', 'purposes', i, 'match'], selector: p.match })),
        ]
      : [],
  create(options, ctx) {
    const kinds = new Set<PiiKind>(options.kinds);

    const dataSpeakers = new Set(options.data.speakers);
    const asks = options.asks;
    const askSpeakers = new Set(asks?.speakers ?? []);
    /** A purpose that covers this kind of ask is stated in the ask's neighbourhood. */
    const statedPurpose = (t: PreparedTranscript, at: number, category: string): boolean =>
      (asks?.purposes ?? []).some(
        (p) =>
          (p.allows === undefined || p.allows.includes(category)) &&
          (p.tenants === undefined ||
            (t.transcript.tenant !== undefined && p.tenants.includes(t.transcript.tenant))) &&
          t.turns
            .slice(Math.max(0, at - p.within_turns), at + 2)
            .some((near) => hitsOf(near, p.match).length > 0),
      );
    return (t) => {
      const findings: RawFinding[] = [];
      for (const turn of t.turns) {
        if (dataSpeakers.has(turn.speaker)) {
          for (const m of turn.pii()) {
            if (!kinds.has(m.kind)) continue;
            findings.push(
              ctx.finding({
                category: 'personal-data',
                severity: options.data.severity,
                points: options.data.points,
                turnIndex: turn.index,
                start: m.start,
                end: m.end,
                text: maskSpan(turn.text, m),
                atMs: turn.startMs,
                messageId: 'pii.unmasked',
                params: { speaker: turn.speaker, kind: m.kind },
              }),
            );
          }
        }
        if (asks && askSpeakers.has(turn.speaker)) {
          for (const hit of longestHits(hitsOf(turn, asks.match))) {
            if (statedPurpose(t, turn.index, hit.entry.category)) continue;
            findings.push(
              ctx.finding({
                severity: asks.severity,
                points: asks.points,
                turnIndex: turn.index,
                start: hit.start,
                end: hit.end,
                text: turn.text.slice(hit.start, hit.end),
                atMs: turn.startMs,
                messageId: 'pii.ask',
                params: {
                  speaker: turn.speaker,
                  words: hitWords(turn, hit),
                  category: hit.entry.category,
                  lexicon: hit.entry.lexicon,
                },
              }),
            );
          }
        }
      }
      return findings;
    };
  },
});

type PiiOptions = z.output<z.ZodObject<typeof piiRule.options>>;

/** The detector a pii rule's options describe (phone regions, own contacts). */
export function piiDetector(options: Pick<PiiOptions, 'phone_regions' | 'own_contacts'>): PiiDetector {
  const own = options.own_contacts;
  return createPiiDetector({
    phoneRegions: options.phone_regions,
    own: {
      domains: own.domains,
      mailboxes: own.mailboxes,
      phones: own.phones,
      numberTypes: own.number_types,
    },
    tenants: own.tenants,
  });
}

const detectors = new WeakMap<object, PiiDetector>();

/**
 * The personal-data detector of a pipeline: its first enabled pii rule's settings, else the
 * defaults. Redaction uses it whatever rules run, so every kind is masked in what is emitted.
 */
export function pipelineDetector(pipeline: { rules: readonly RuleConfig[] }): PiiDetector {
  let detector = detectors.get(pipeline);
  if (!detector) {
    const rule = pipeline.rules.find(
      (r): r is Extract<RuleConfig, { type: 'pii' }> => r.type === 'pii' && r.enabled,
    );
    detector = rule ? piiDetector(rule) : createPiiDetector();
    detectors.set(pipeline, detector);
  }
  return detector;
}
