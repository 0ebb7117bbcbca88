import { z } from 'zod';
import { defineRule, Speakers } from './define.js';

/** 应答及时性: the first agent reply to a chat must come within a limit (seed 003: 2 min). */
export const firstResponseRule = defineRule({
  type: 'first-response',
  summary: "Chat: time from the customer's first message to the first reply must stay within a limit.",
  channels: ['chat'],
  options: {
    max_seconds: z.number().positive().default(120).describe('limit in seconds (seed 003: 120)'),
    responders: Speakers.default(['agent']).describe('whose turn counts as a reply'),
  },
  defaults: { category: 'responsiveness', severity: 'major', points: 5, deduct: 'once' },
  needs: ['turn_times'],
  create(options, ctx) {
    const responders = new Set(options.responders);
    const limitMs = options.max_seconds * 1000;
    return (t) => {
      const firstCustomer = t.turns.find((turn) => turn.speaker === 'customer' && turn.startMs !== undefined);
      if (!firstCustomer) return [];
      const from = firstCustomer.startMs!;
      const reply = t.turns.find(
        (turn) =>
          responders.has(turn.speaker) && turn.startMs !== undefined && turn.index > firstCustomer.index,
      );
      if (!reply) {
        return [
          ctx.finding({
            turnIndex: firstCustomer.index,
            atMs: from,
            messageId: 'first-response.never',
            params: { limitMs },
          }),
        ];
      }
      const waited = reply.startMs! - from;
      if (waited <= limitMs) return [];
      return [
        ctx.finding({
          turnIndex: reply.index,
          atMs: from,
          durationMs: waited,
          messageId: 'first-response.late',
          params: { ms: waited, limitMs },
        }),
      ];
    };
  },
});
