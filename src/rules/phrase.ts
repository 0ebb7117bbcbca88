import { defineRule, PhraseSelector, Speakers } from './define.js';
import { hitsOf, hitWords, longestHits } from './prepared.js';

/** Forbidden phrases (服务禁语): every hit of the lexicon said by the given speakers. */
export const phraseRule = defineRule({
  type: 'phrase',
  summary: 'Flags lexicon phrases (e.g. forbidden phrases) said by the given speakers, with exceptions.',
  channels: ['chat', 'call'],
  options: {
    match: PhraseSelector.describe(
      'the phrases to flag; category, severity and points come from the lexicon',
    ),
    speakers: Speakers.default(['agent']).describe('whose turns are checked'),
  },
  defaults: { category: 'forbidden-phrase', severity: 'minor', points: 1, deduct: 'per_occurrence' },
  selectors: (o) => [{ path: ['match'], selector: o.match }],
  create(options, ctx) {
    const speakers = new Set(options.speakers);
    return (t) =>
      t.turns
        .filter((turn) => speakers.has(turn.speaker))
        .flatMap((turn) =>
          longestHits(hitsOf(turn, options.match)).map((hit) =>
            ctx.finding({
              category: hit.entry.category,
              severity: options.severity ?? hit.entry.severity,
              points: options.points ?? hit.entry.points,
              turnIndex: turn.index,
              start: hit.start,
              end: hit.end,
              text: turn.text.slice(hit.start, hit.end),
              atMs: turn.startMs,
              messageId: 'phrase.said',
              params: {
                speaker: turn.speaker,
                words: hitWords(turn, hit),
                category: hit.entry.category,
                lexicon: hit.entry.lexicon,
              },
            }),
          ),
        );
  },
});
