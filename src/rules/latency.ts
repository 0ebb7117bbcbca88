import { z } from 'zod';
import { defineRule, type RawFinding, Speakers, seconds } from './types.js';

/** 应答及时性: the first agent reply to a chat must come within a limit (seed 003: 2 min). */
export const firstResponseRule = defineRule({
  type: 'first-response',
  summary: "Chat: time from the customer's first message to the first reply must stay within a limit.",
  channels: ['chat'],
  options: {
    max_seconds: z.number().positive().default(120),
    responders: Speakers.default(['agent']),
  },
  defaults: { category: 'responsiveness', severity: 'major', points: 5, deduct: 'once' },
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
      const base = { category: ctx.category, severity: ctx.severity, points: ctx.points };
      if (!reply) {
        return [
          {
            ...base,
            turnIndex: firstCustomer.index,
            atMs: from,
            message: `The customer never got a reply (limit ${seconds(limitMs)}).`,
          },
        ];
      }
      const waited = reply.startMs! - from;
      if (waited <= limitMs) return [];
      return [
        {
          ...base,
          turnIndex: reply.index,
          atMs: from,
          durationMs: waited,
          message: `First reply came ${seconds(waited)} after the customer's first message (limit ${seconds(limitMs)}).`,
        },
      ];
    };
  },
});

/** Every reply to a customer message within a limit; counts and the worst case are reported. */
export const responseLatencyRule = defineRule({
  type: 'response-latency',
  summary: 'Chat: each reply to a customer message must come within a limit; reports every breach.',
  channels: ['chat'],
  options: {
    max_seconds: z.number().positive().default(60),
    responders: Speakers.default(['agent']),
    /** The first reply is the first-response rule's business. */
    skip_first_reply: z.boolean().default(true),
  },
  defaults: { category: 'responsiveness', severity: 'minor', points: 1, deduct: 'per_occurrence' },
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
      return breaches.map(
        (b): RawFinding => ({
          category: ctx.category,
          severity: ctx.severity,
          points: ctx.points,
          turnIndex: b.turnIndex,
          atMs: b.from,
          durationMs: b.waited,
          message: `Reply came ${seconds(b.waited)} after the customer's message (limit ${seconds(limitMs)}; ${breaches.length} slow repl${breaches.length === 1 ? 'y' : 'ies'}, worst ${seconds(worst)}).`,
        }),
      );
    };
  },
});
