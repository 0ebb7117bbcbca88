import { z } from 'zod';
import { Severity } from '../domain/index.js';
import { maskPii, PII_LABEL, type PiiKind } from '../text/pii.js';
import { capitalise, defineRule, PhraseSelector, type RawFinding, Speakers } from './define.js';
import { hitsOf, longestHits } from './prepared.js';

const PiiKindSchema = z.enum(['cn_id', 'cn_mobile', 'bank_card', 'email']);
const ALL_SPEAKERS = ['agent', 'customer', 'bot', 'system'] as const;

/**
 * 信息保密: personal data in the transcript (always redacted in what is emitted) and the agent
 * asking for data unrelated to the business (ID number, home address).
 */
export const piiRule = defineRule({
  type: 'pii',
  summary:
    'Finds unmasked personal data (CN ID with checksum, mobile, bank card with Luhn, e-mail) and privacy asks.',
  channels: ['chat', 'call'],
  options: {
    kinds: z
      .array(PiiKindSchema)
      .min(1)
      .default(['cn_id', 'cn_mobile', 'bank_card', 'email'])
      .describe('kinds of personal data to find'),
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
        match: PhraseSelector,
        speakers: Speakers.default(['agent']),
        severity: Severity.default('major'),
        points: z.number().min(0).max(100).default(3),
      })
      .optional()
      .describe('`{match, speakers, severity, points}`: asking for data unrelated to the business'),
  },
  defaults: { category: 'privacy', severity: 'info', points: 0, deduct: 'per_occurrence' },
  selectors: (o) => (o.asks ? [{ path: ['asks', 'match'], selector: o.asks.match }] : []),
  create(options, ctx) {
    const kinds = new Set<PiiKind>(options.kinds);
    const dataSpeakers = new Set(options.data.speakers);
    const asks = options.asks;
    const askSpeakers = new Set(asks?.speakers ?? []);
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
                text: maskPii(m.kind, turn.text.slice(m.start, m.end)),
                atMs: turn.startMs,
                message: `${capitalise(turn.speaker)} turn contains an unmasked ${PII_LABEL[m.kind]} (redacted).`,
              }),
            );
          }
        }
        if (asks && askSpeakers.has(turn.speaker)) {
          for (const hit of longestHits(hitsOf(turn, asks.match))) {
            findings.push(
              ctx.finding({
                severity: asks.severity,
                points: asks.points,
                turnIndex: turn.index,
                start: hit.start,
                end: hit.end,
                text: turn.text.slice(hit.start, hit.end),
                atMs: turn.startMs,
                message: `${capitalise(turn.speaker)} asked for "${hit.entry.phrase}", data unrelated to the business (${hit.entry.category}).`,
              }),
            );
          }
        }
      }
      return findings;
    };
  },
});
