import { z } from 'zod';
import { defineRule } from './define.js';

/** 30-second answer rule (seed 003): ring time before the agent picked up. */
export const answerTimeRule = defineRule({
  type: 'answer-time',
  summary: 'Call: the call must be answered within a limit (answerDelayMs).',
  channels: ['call'],
  options: {
    max_ms: z.number().int().positive().default(30_000).describe('longest ring time, ms (seed 003: 30 s)'),
  },
  defaults: { category: 'responsiveness', severity: 'major', points: 2, deduct: 'once' },
  needs: ['answer_delay'],
  create(options, ctx) {
    return (t) => {
      const delay = t.transcript.answerDelayMs;
      if (delay === undefined || delay <= options.max_ms) return [];
      return [
        ctx.finding({
          atMs: 0,
          durationMs: delay,
          messageId: 'answer-time',
          params: { ms: delay, limitMs: options.max_ms },
        }),
      ];
    };
  },
});
