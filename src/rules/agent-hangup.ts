import { z } from 'zod';
import type { MessageParams } from '../domain/messages.js';
import { defineRule, PhraseSelector } from './define.js';
import { asksQuestion, hitsOf, isCoveredBy, type PreparedTurn } from './prepared.js';

const Grace = z.strictObject({
  farewell: PhraseSelector.describe('the agent\'s last turn must take leave ("感谢您的来电,再见")'),
  acknowledgements: PhraseSelector.optional().describe(
    'a turn made only of these and farewells ("好的", "谢谢", "没有了") says nothing new: the customer may say it after the farewell, and it answers no question',
  ),
  pending: PhraseSelector.optional().describe(
    "a customer turn with one of these (a question, a complaint) needs an answer before the agent's farewell",
  ),
  question_marks: z
    .boolean()
    .default(true)
    .describe('a customer turn with "?" or "？" is a question that needs an answer'),
});

/**
 * 后挂机差错 (seed 004; seed 000: 客户没有挂机的情况下客户代表提前挂机): the customer hangs up first.
 * An agent hang-up is an error unless, with `grace`, the farewell was complete: the agent's last
 * turn takes leave, the customer said nothing after it but acknowledgements, and the customer's
 * last question or complaint got more than a goodbye.
 */
export const agentHangupRule = defineRule({
  type: 'agent-hangup',
  summary:
    'Call: the agent hung up before the customer (fatal for some seat types), unless the farewell was complete.',
  channels: ['call'],
  options: {
    grace: Grace.optional().describe(
      '`{farewell, acknowledgements?, pending?, question_marks true}`: no finding after a completed farewell with nothing pending; absent, every agent hang-up is flagged',
    ),
  },
  defaults: { category: 'hangup', severity: 'major', points: 5, deduct: 'once' },
  selectors: (o) =>
    o.grace
      ? [
          { path: ['grace', 'farewell'], selector: o.grace.farewell },
          ...(o.grace.acknowledgements
            ? [{ path: ['grace', 'acknowledgements'], selector: o.grace.acknowledgements }]
            : []),
          ...(o.grace.pending ? [{ path: ['grace', 'pending'], selector: o.grace.pending }] : []),
        ]
      : [],
  create(options, ctx) {
    const grace = options.grace;
    const saysNothingNew = (turn: PreparedTurn) =>
      grace !== undefined &&
      isCoveredBy(turn, grace.farewell, ...(grace.acknowledgements ? [grace.acknowledgements] : []));
    const needsAnswer = (turn: PreparedTurn) =>
      grace !== undefined &&
      ((grace.question_marks && asksQuestion(turn)) ||
        (grace.pending !== undefined && hitsOf(turn, grace.pending).length > 0));
    return (t) => {
      if (t.transcript.hangupBy !== 'agent') return [];
      const spoken = t.turns.filter((turn) => turn.speaker === 'agent' || turn.speaker === 'customer');
      const lastAgent = spoken.findLast((turn) => turn.speaker === 'agent');
      // `why` (src/domain/messages.ts agent-hangup): none, no-farewell, still-talking, unanswered.
      const flag = (turn: PreparedTurn | undefined, why: MessageParams = {}) => [
        ctx.finding({
          turnIndex: turn?.index,
          atMs: turn?.endMs ?? turn?.startMs,
          messageId: 'agent-hangup',
          params: why,
        }),
      ];
      if (!grace) return flag(spoken.at(-1));
      if (!lastAgent || hitsOf(lastAgent, grace.farewell).length === 0)
        return flag(lastAgent ?? spoken.at(-1), { why: 'no-farewell' });
      const after = spoken.filter((turn) => turn.index > lastAgent.index);
      const stillTalking = after.find((turn) => needsAnswer(turn) || !saysNothingNew(turn));
      if (stillTalking) return flag(stillTalking, { why: 'still-talking' });
      // The customer's last word before the farewell: a question or complaint wants more than a goodbye.
      const before = spoken.findLast((turn) => turn.speaker === 'customer' && turn.index < lastAgent.index);
      if (before && needsAnswer(before)) {
        const answered = spoken.some(
          (turn) => turn.speaker === 'agent' && turn.index > before.index && !saysNothingNew(turn),
        );
        if (!answered) {
          return flag(before, { why: 'unanswered', turn: before.index });
        }
      }
      return [];
    };
  },
});
