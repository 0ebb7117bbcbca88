import { z } from 'zod';
import type { PhraseHit } from '../text/phrase-index.js';
import { defineRule, hitsOf, PhraseSelector, type RawFinding, Speakers } from './types.js';

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
        const hits = hitsOf(turn, options.match);
        for (const hit of hits) {
          // "这不是我们的责任" also contains "不是我们的责任": report only the longest phrase.
          if (hits.some((o) => o !== hit && contains(o, hit))) continue;
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

function contains(outer: PhraseHit, inner: PhraseHit): boolean {
  const longer = outer.normEnd - outer.normStart > inner.normEnd - inner.normStart;
  const same = outer.normEnd - outer.normStart === inner.normEnd - inner.normStart;
  const within = outer.normStart <= inner.normStart && outer.normEnd >= inner.normEnd;
  // Identical spans (the same phrase listed twice): keep the first one only.
  return within && (longer || (same && outer.entry !== inner.entry && outer.entry.phrase < inner.entry.phrase));
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export type PhraseRuleOptions = z.infer<typeof phraseRule.schema>;
