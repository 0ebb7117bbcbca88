import { z } from 'zod';
import { Speaker } from '../domain/index.js';
import { capitalise, defineRule, PhraseSelector, type RawFinding } from './define.js';
import { hitsOf } from './prepared.js';

const Side = z.strictObject({ speaker: Speaker, match: PhraseSelector });

/**
 * Politeness (致歉语/致谢语): when one speaker says a trigger phrase (customer dissatisfaction),
 * the other must answer with an expected phrase (an apology) within their next K turns.
 */
export const conditionalRule = defineRule({
  type: 'conditional',
  summary: 'When a trigger phrase occurs, expects a phrase from the other speaker within K of their turns.',
  channels: ['chat', 'call'],
  options: {
    trigger: Side.describe('`{speaker, match}`: who says what that calls for an answer'),
    expect: Side.describe('`{speaker, match}`: the answer expected'),
    within_turns: z
      .number()
      .int()
      .positive()
      .default(2)
      .describe("how many of the answerer's turns may pass"),
    expectation: z
      .string()
      .max(200)
      .optional()
      .describe('what is missing, for the reviewer: "apology (致歉语)"'),
  },
  defaults: { category: 'politeness', severity: 'minor', points: 1, deduct: 'per_occurrence' },
  selectors: (o) => [
    { path: ['trigger', 'match'], selector: o.trigger.match },
    { path: ['expect', 'match'], selector: o.expect.match },
  ],
  create(options, ctx) {
    const what =
      options.expectation ?? `"${options.expect.match.categories?.join('/') ?? 'expected'}" phrase`;
    return (t) => {
      const findings: RawFinding[] = [];
      let coveredUntil = -1;
      for (const turn of t.turns) {
        if (turn.speaker !== options.trigger.speaker || turn.index <= coveredUntil) continue;
        const trigger = hitsOf(turn, options.trigger.match)[0];
        if (!trigger) continue;
        const replies = t.turns
          .filter((r) => r.index > turn.index && r.speaker === options.expect.speaker)
          .slice(0, options.within_turns);
        // Triggers repeated before the other side replies share this window: one finding, not
        // several. A trigger after a reply is a new complaint and gets its own window.
        coveredUntil = (replies[0]?.index ?? Number.POSITIVE_INFINITY) - 1;
        if (replies.some((r) => hitsOf(r, options.expect.match).length > 0)) continue;
        findings.push(
          ctx.finding({
            turnIndex: turn.index,
            start: trigger.start,
            end: trigger.end,
            text: turn.text.slice(trigger.start, trigger.end),
            atMs: turn.startMs,
            message: `${capitalise(options.trigger.speaker)} said "${trigger.entry.phrase}" (${trigger.entry.category}) and ${options.expect.speaker} gave no ${what} within the next ${options.within_turns} ${options.expect.speaker} turn(s).`,
          }),
        );
      }
      return findings;
    };
  },
});
