import { z } from 'zod';
import { defineRule } from './define.js';

/** 后挂机差错 (seed 004): the agent hung up while the customer was still talking. */
export const agentHangupRule = defineRule({
  type: 'agent-hangup',
  summary: 'Call: the agent hung up first while the customer was still speaking (fatal for some seat types).',
  channels: ['call'],
  options: {
    require_customer_last: z
      .boolean()
      .default(true)
      .describe('true: only when the customer had the last word; false: any agent hang-up'),
  },
  defaults: { category: 'hangup', severity: 'major', points: 5, deduct: 'once' },
  create(options, ctx) {
    return (t) => {
      if (t.transcript.hangupBy !== 'agent') return [];
      const spoken = t.turns.filter((turn) => turn.speaker === 'agent' || turn.speaker === 'customer');
      const last = spoken.at(-1);
      if (options.require_customer_last && last?.speaker !== 'customer') return [];
      return [
        ctx.finding({
          turnIndex: last?.index,
          atMs: last?.endMs ?? last?.startMs,
          message: options.require_customer_last
            ? 'Agent hung up while the customer still had the last word.'
            : 'Agent hung up first.',
        }),
      ];
    };
  },
});
