import { z } from 'zod';
import { Speaker } from '../domain/index.js';
import { defineRule, PhraseSelector } from './define.js';
import { hitsOf, type PreparedTurn } from './prepared.js';

const Window = z
  .strictObject({
    first_turns: z.number().int().positive().optional(),
    last_turns: z.number().int().positive().optional(),
    first_seconds: z.number().positive().optional(),
    last_seconds: z.number().positive().optional(),
  })
  .refine((w) => Object.values(w).filter((v) => v !== undefined).length === 1, {
    message: 'expected exactly one of first_turns, last_turns, first_seconds, last_seconds',
  });

/** Greeting (开头语) and closing (结束语): a phrase must occur in a window of the speaker's turns. */
export const requiredPhraseRule = defineRule({
  type: 'required-phrase',
  summary:
    "Requires a lexicon phrase within a window of a speaker's turns (first/last N turns or seconds; turns with no words do not count).",
  channels: ['chat', 'call'],
  options: {
    match: PhraseSelector.describe('phrases any one of which satisfies the rule'),
    speaker: Speaker.default('agent').describe('whose turns must contain one'),
    window: Window.describe('exactly one of `first_turns`, `last_turns`, `first_seconds`, `last_seconds`'),
    expectation: z
      .string()
      .max(200)
      .optional()
      .describe('what is missing, for the reviewer: "greeting (开头语)"'),
  },
  defaults: { category: 'service-language', severity: 'minor', points: 2, deduct: 'once' },
  selectors: (o) => [{ path: ['match'], selector: o.match }],
  needs: (o) =>
    o.window.first_seconds ? ['turn_times'] : o.window.last_seconds ? ['turn_times', 'duration'] : [],
  create(options, ctx) {
    const what = options.expectation ?? ctx.id;
    const w = options.window;
    const windowParams = w.first_turns
      ? { window: 'first_turns', n: w.first_turns }
      : w.last_turns
        ? { window: 'last_turns', n: w.last_turns }
        : w.first_seconds
          ? { window: 'first_seconds', n: w.first_seconds }
          : { window: 'last_seconds', n: w.last_seconds! };
    return (t) => {
      const own = t.turns.filter((turn) => turn.speaker === options.speaker);
      // A turn with no words ("、", "~", an emoji) neither greets nor closes, and it does not push the
      // real last turns out of the window: judged on the turns that say something.
      const spoken = own.filter((turn) => turn.norm.text.trim().length > 0);
      const window = pickWindow(spoken, w, t.durationMs);
      if (window.some((turn) => hitsOf(turn, options.match).length > 0)) return [];
      const anchor =
        window.length > 0 ? (w.last_turns || w.last_seconds ? window.at(-1) : window[0]) : undefined;
      return [
        ctx.finding({
          turnIndex: anchor?.index,
          atMs: anchor?.startMs,
          ...(own.length === 0
            ? {
                messageId: 'required-phrase.never-spoke',
                params: { speaker: options.speaker, expectation: what },
              }
            : {
                messageId: 'required-phrase.missing',
                params: { speaker: options.speaker, expectation: what, ...windowParams },
              }),
        }),
      ];
    };
  },
});

function pickWindow(
  own: readonly PreparedTurn[],
  w: z.infer<typeof Window>,
  durationMs: number | undefined,
): readonly PreparedTurn[] {
  if (w.first_turns) return own.slice(0, w.first_turns);
  if (w.last_turns) return own.slice(-w.last_turns);
  if (w.first_seconds)
    return own.filter((t) => t.startMs !== undefined && t.startMs < w.first_seconds! * 1000);
  const end = durationMs ?? Math.max(0, ...own.map((t) => t.endMs ?? t.startMs ?? 0));
  return own.filter((t) => (t.endMs ?? t.startMs ?? 0) >= end - w.last_seconds! * 1000);
}
