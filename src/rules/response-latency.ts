import { z } from 'zod';
import { defineRule, Speakers } from './define.js';

/** Every reply to a customer message within a limit; counts and the worst case are reported. */
export const responseLatencyRule = defineRule({
  type: 'response-latency',
  summary: 'Chat: each reply to a customer message must come within a limit; reports every breach.',
  channels: ['chat'],
  options: {
    max_seconds: z.number().positive().default(60).describe('limit in seconds per reply'),
    responders: Speakers.default(['agent']).describe('whose turn counts as a reply'),
    skip_first_reply: z.boolean().default(true).describe('leave the first reply to the first-response rule'),
  },
  defaults: { category: 'responsiveness', severity: 'minor', points: 1, deduct: 'per_occurrence' },
  needs: ['turn_times'],
  create(options, ctx) {
    const responders = new Set(options.responders);
    const limitMs = options.max_seconds * 1000;
    return (t) => {
      const breaches: Array<{ turnIndex: number; from: number; waited: number }> = [];
      let waitingSince: number | undefined;
      let replies = 0;
      for (const turn of t.turns) {
        if (turn.startMs === undefined) continue;
        if (turn.speaker === 'customer') {
          waitingSince ??= turn.startMs;
        } else if (responders.has(turn.speaker) && waitingSince !== undefined) {
          const waited = turn.startMs - waitingSince;
          if (waited > limitMs && !(options.skip_first_reply && replies === 0)) {
            breaches.push({ turnIndex: turn.index, from: waitingSince, waited });
          }
          replies++;
          waitingSince = undefined;
        }
      }
      const worst = Math.max(0, ...breaches.map((b) => b.waited));
      return breaches.map((b) =>
        ctx.finding({
          turnIndex: b.turnIndex,
          atMs: b.from,
          durationMs: b.waited,
          messageId: 'response-latency',
          params: { ms: b.waited, limitMs, count: breaches.length, worstMs: worst },
        }),
      );
    };
  },
});
