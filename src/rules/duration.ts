import { z } from 'zod';
import { defineRule } from './define.js';

/** Seed 000: calls under 20 s or over 200 s are sampled for review. */
export const durationRule = defineRule({
  type: 'duration',
  summary: 'Flags conversations shorter or longer than limits, for review sampling.',
  channels: ['chat', 'call'],
  options: {
    min_seconds: z.number().nonnegative().default(20).describe('shorter conversations are routed for review'),
    max_seconds: z.number().positive().default(200).describe('longer conversations are routed for review'),
  },
  defaults: { category: 'sampling', severity: 'info', points: 0, deduct: 'once' },
  needs: ['duration'],
  create(options, ctx) {
    return (t) => {
      const d = t.durationMs;
      if (d === undefined) return [];
      const short = d < options.min_seconds * 1000;
      const long = d > options.max_seconds * 1000;
      if (!short && !long) return [];
      return [
        ctx.finding({
          atMs: 0,
          durationMs: d,
          messageId: short ? 'duration.short' : 'duration.long',
          params: { ms: d, limitSeconds: short ? options.min_seconds! : options.max_seconds! },
        }),
      ];
    };
  },
});
