import { z } from 'zod';
import { Severity } from '../domain/index.js';
import { maskPii, PII_LABEL, type PiiKind } from '../text/pii.js';
import { capitalise } from './phrase.js';
import { defineRule, hitsOf, longestHits, PhraseSelector, type RawFinding, Speakers } from './types.js';

const PiiKindSchema = z.enum(['cn_id', 'cn_mobile', 'bank_card', 'email']);

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
    kinds: z.array(PiiKindSchema).min(1).default(['cn_id', 'cn_mobile', 'bank_card', 'email']),
    data: z
      .strictObject({
        speakers: Speakers.default(['agent', 'customer', 'bot', 'system']),
        severity: Severity.default('info'),
        points: z.number().min(0).max(100).default(0),
      })
      .default({ speakers: ['agent', 'customer', 'bot', 'system'], severity: 'info', points: 0 }),
    asks: z
      .strictObject({
        match: PhraseSelector,
        speakers: Speakers.default(['agent']),
        severity: Severity.default('major'),
        points: z.number().min(0).max(100).default(3),
      })
      .optional(),
  },
  defaults: { category: 'privacy', severity: 'info', points: 0, deduct: 'per_occurrence' },
  selectors: (o) => (o.asks ? [{ path: ['asks', 'match'], selector: o.asks.match }] : []),
  create(options, ctx) {
    const kinds = new Set<PiiKind>(options.kinds);
    const dataSpeakers = new Set(options.data.speakers);
    const askSpeakers = new Set(options.asks?.speakers ?? []);
    return (t) => {
      const findings: RawFinding[] = [];
      for (const turn of t.turns) {
        if (dataSpeakers.has(turn.speaker)) {
          for (const m of turn.pii()) {
            if (!kinds.has(m.kind)) continue;
            findings.push({
              category: 'personal-data',
              severity: options.data.severity,
              points: options.data.points,
              turnIndex: turn.index,
              start: m.start,
              end: m.end,
              text: maskPii(m.kind, turn.text.slice(m.start, m.end)),
              atMs: turn.startMs,
              message: `${capitalise(turn.speaker)} turn contains an unmasked ${PII_LABEL[m.kind]} (redacted).`,
            });
          }
        }
        if (options.asks && askSpeakers.has(turn.speaker)) {
          for (const hit of longestHits(hitsOf(turn, options.asks.match))) {
            findings.push({
              category: ctx.category,
              severity: options.asks.severity,
              points: options.asks.points,
              turnIndex: turn.index,
              start: hit.start,
              end: hit.end,
              text: turn.text.slice(hit.start, hit.end),
              atMs: turn.startMs,
              message: `${capitalise(turn.speaker)} asked for "${hit.entry.phrase}", data unrelated to the business (${hit.entry.category}).`,
            });
          }
        }
      }
      return findings;
    };
  },
});
