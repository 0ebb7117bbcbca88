import type { z } from 'zod';
import { defineRule, hitsOf, longestHits, PhraseSelector, type RawFinding, Speakers } from './types.js';

/** Forbidden phrases (服务禁语): every hit of the lexicon said by the given speakers. */
export const phraseRule = defineRule({
  type: 'phrase',
  summary: 'Flags lexicon phrases (e.g. forbidden phrases) said by the given speakers, with exceptions.',
  channels: ['chat', 'call'],
  options: {
    match: PhraseSelector,
    speakers: Speakers.default(['agent']),
  },
  defaults: { category: 'forbidden-phrase', severity: 'minor', points: 1, deduct: 'per_occurrence' },
  selectors: (o) => [{ path: ['match'], selector: o.match }],
  create(options) {
    const speakers = new Set(options.speakers);
    return (t) => {
      const findings: RawFinding[] = [];
      for (const turn of t.turns) {
        if (!speakers.has(turn.speaker)) continue;
        for (const hit of longestHits(hitsOf(turn, options.match))) {
          const entry = hit.entry;
          findings.push({
            category: entry.category,
            severity: options.severity ?? entry.severity,
            points: options.points ?? entry.points,
            turnIndex: turn.index,
            start: hit.start,
            end: hit.end,
            text: turn.text.slice(hit.start, hit.end),
            atMs: turn.startMs,
            message: `${capitalise(turn.speaker)} said "${entry.phrase}" (${entry.category}).`,
          });
        }
      }
      return findings;
    };
  },
});

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export type PhraseRuleOptions = z.infer<typeof phraseRule.schema>;
