import { z } from 'zod';
import { defineRule, PhraseSelector, type RawFinding, Speakers } from './define.js';
import { hitsOf, type PreparedTurn, timedTurns } from './prepared.js';

/** Dead air: a gap between turns longer than allowed, unless the agent announced a hold. */
export const silenceRule = defineRule({
  type: 'silence',
  summary:
    'Call: flags silences (dead air) between turns longer than a limit; announced holds get a longer limit.',
  channels: ['call'],
  options: {
    max_gap_ms: z.number().int().positive().default(10_000).describe('longest silence allowed, ms'),
    before_speakers: Speakers.default(['agent']).describe(
      'whose silence counts: the gap before one of them talks',
    ),
    hold: z
      .strictObject({ match: PhraseSelector, max_gap_ms: z.number().int().positive().default(60_000) })
      .optional()
      .describe('`{match, max_gap_ms 60000}`: after the agent announces a hold ("请稍等"), a longer limit'),
  },
  defaults: { category: 'responsiveness', severity: 'minor', points: 1, deduct: 'per_occurrence' },
  needs: ['turn_times'],
  selectors: (o) => (o.hold ? [{ path: ['hold', 'match'], selector: o.hold.match }] : []),
  create(options, ctx) {
    const before = new Set(options.before_speakers);
    return (t) => {
      const findings: RawFinding[] = [];
      let lastEnd: number | undefined;
      let lastAgent: PreparedTurn | undefined;
      for (const turn of timedTurns(t.turns)) {
        if (lastEnd !== undefined && before.has(turn.speaker)) {
          const gap = turn.startMs! - lastEnd;
          const onHold =
            options.hold !== undefined &&
            lastAgent !== undefined &&
            hitsOf(lastAgent, options.hold.match).length > 0;
          const limit = onHold ? options.hold!.max_gap_ms : options.max_gap_ms;
          if (gap > limit) {
            findings.push(
              ctx.finding({
                turnIndex: turn.index,
                atMs: lastEnd,
                durationMs: gap,
                messageId: 'silence',
                params: { ms: gap, limitMs: limit, hold: onHold },
              }),
            );
          }
        }
        lastEnd = Math.max(lastEnd ?? 0, turn.endMs!);
        if (turn.speaker === 'agent') lastAgent = turn;
      }
      return findings;
    };
  },
});
