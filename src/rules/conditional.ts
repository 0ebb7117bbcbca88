import { z } from 'zod';
import { type Language, Speaker } from '../domain/index.js';
import type { MessageParams } from '../domain/messages.js';
import { reasonSpan } from '../text/turn-model.js';
import { SignKind, surfaceSigns } from './complaint-signs.js';
import { defineRule, PhraseSelector, type RawFinding } from './define.js';
import { asksQuestion, hitsOf, hitWords, type PreparedTurn, quoted } from './prepared.js';

const Cues = z
  .strictObject({
    match: PhraseSelector.optional().describe(
      'weak phrases: not enough alone, but `min` different ones in a turn are ("tried everything" + "please help")',
    ),
    signs: z
      .array(SignKind)
      .default([])
      .describe(
        'signs on the surface of the original text that count as weak cues: `negative-emoji` (😠 😭 :( T_T), `repeated-marks` (?? !! ?! 。。), `shouting` (three words in capitals, or REALLY/PLEASE/NEVER… in capitals)',
      ),
    strong: z
      .array(SignKind)
      .default([])
      .describe('signs that trigger on their own (a frowning emoji is negative emotion)'),
    min: z.number().int().min(2).default(2).describe('how many different weak cues one turn needs'),
  })
  .describe(
    'several weak cues together trigger too: a turn with `min` different ones (phrases of `match`, surface `signs`) or one `strong` sign',
  );

const Trigger = z.strictObject({
  speaker: Speaker.describe('who says it'),
  match: PhraseSelector.describe('the phrases that call for an answer'),
  unless: PhraseSelector.optional().describe(
    'a turn that also has one of these phrases does not trigger ("thanks for nothing" is no thanks)',
  ),
  unless_question: z
    .boolean()
    .default(false)
    .describe('a turn with "?" or "？" does not trigger: thanks attached to a question wants the answer'),
  after_reply: z
    .boolean()
    .default(false)
    .describe(
      'only after the other speaker has spoken once: thanks in the first message is thanks in advance',
    ),
  cues: Cues.optional(),
  model: z
    .strictObject({
      lexicon: z.string().describe('the lexicon whose `model:` scores the turn'),
      threshold: z
        .number()
        .gt(0)
        .max(1)
        .default(0.8)
        .describe(
          'the probability at which a turn triggers (0.8: measured on conversations the model never saw)',
        ),
      unless: PhraseSelector.optional().describe(
        'a turn with one of these phrases is not read by the model: the customer says they are calm ("不着急", "no rush"), which words weighed one by one cannot see',
      ),
    })
    .optional()
    .describe(
      'a learned model of the turn triggers too, when no phrase or cue did: `{lexicon, threshold 0.8, unless?}` (the finding names what the model reads, from its lexicon)',
    ),
});

const Expect = z.strictObject({
  speaker: Speaker.describe('who must answer'),
  match: PhraseSelector.optional().describe("absent: any of the speaker's turns is the answer"),
  unless: PhraseSelector.optional().describe(
    'a reply that also has one of these phrases does not count ("工号不方便透露" names the 工号 and refuses it)',
  ),
});

interface TriggerHit {
  readonly start: number;
  readonly end: number;
  /** What the trigger speaker did, as message parameters (src/domain/messages.ts `trigger`). */
  readonly said: MessageParams;
}

/**
 * Politeness and follow-up (致歉语/致谢语/投诉响应/报工号): when one speaker says a trigger phrase
 * (customer dissatisfaction, thanks, a request for the agent's number), the other must answer with
 * an expected phrase (an apology, "不客气", the number), or at all, within their next K turns and,
 * optionally, within a time limit.
 */
export const conditionalRule = defineRule({
  type: 'conditional',
  summary:
    'When a trigger phrase occurs, expects an answer (a phrase, or any reply) from the other speaker within K of their turns, optionally within T seconds.',
  channels: ['chat', 'call'],
  options: {
    trigger: Trigger.describe(
      '`{speaker, match, unless?, unless_question false, after_reply false, cues?}`: who says what that calls for an answer',
    ),
    expect: Expect.describe('`{speaker, match?, unless?}`: the answer expected (no `match`: any reply)'),
    within_turns: z
      .number()
      .int()
      .positive()
      .default(2)
      .describe("how many of the answerer's turns may pass"),
    repeated: z
      .enum(['once', 'each'])
      .default('once')
      .describe(
        'triggers repeated before the other side replies: one finding for the run (`once`), or one per triggering turn (`each`, what `qa-screen eval --turns` measures)',
      ),
    at_end: z
      .enum(['flag', 'skip'])
      .default('flag')
      .describe(
        '`skip`: a trigger the other speaker never gets to answer because the conversation ends (a trailing "谢谢") is not judged',
      ),
    within_seconds: z
      .number()
      .positive()
      .optional()
      .describe(
        'the answer must also start within this many seconds of the trigger (seed 003: complaints within 600); turns without times are judged by turns alone',
      ),
    expectation: z
      .string()
      .max(200)
      .optional()
      .describe('what is missing, for the reviewer: "apology (致歉语)"'),
  },
  defaults: { category: 'politeness', severity: 'minor', points: 1, deduct: 'per_occurrence' },
  selectors: (o) => [
    { path: ['trigger', 'match'], selector: o.trigger.match },
    ...(o.trigger.unless ? [{ path: ['trigger', 'unless'], selector: o.trigger.unless }] : []),
    ...(o.trigger.cues?.match
      ? [{ path: ['trigger', 'cues', 'match'], selector: o.trigger.cues.match }]
      : []),
    ...(o.trigger.model?.unless
      ? [{ path: ['trigger', 'model', 'unless'], selector: o.trigger.model.unless }]
      : []),
    ...(o.expect.match ? [{ path: ['expect', 'match'], selector: o.expect.match }] : []),
    ...(o.expect.unless ? [{ path: ['expect', 'unless'], selector: o.expect.unless }] : []),
  ],
  models: (o) => (o.trigger.model ? [{ path: ['trigger', 'model'], lexicon: o.trigger.model.lexicon }] : []),
  create(options, ctx) {
    const { trigger, expect } = options;
    const what: MessageParams =
      options.expectation !== undefined
        ? { expectation: options.expectation }
        : expect.match
          ? { expectCategories: expect.match.categories?.join('/') ?? 'expected' }
          : {};
    const limitMs = options.within_seconds === undefined ? undefined : options.within_seconds * 1000;
    const has = (turn: PreparedTurn, selector: PhraseSelector | undefined) =>
      selector !== undefined && hitsOf(turn, selector).length > 0;
    const answers = (turn: PreparedTurn) =>
      (expect.match === undefined || has(turn, expect.match)) && !has(turn, expect.unless);
    const cues = trigger.cues;
    const strong = new Set(cues?.strong ?? []);
    const signKinds = [...new Set([...(cues?.signs ?? []), ...strong])];
    /** The trigger phrase, or else enough weak cues together, with what to tell the reviewer. */
    const triggerOf = (turn: PreparedTurn, language: Language): TriggerHit | undefined => {
      const hit = hitsOf(turn, trigger.match)[0];
      if (hit)
        return {
          start: hit.start,
          end: hit.end,
          said: {
            trigger: 'phrase',
            words: hitWords(turn, hit),
            category: hit.entry.category,
            lexicon: hit.entry.lexicon,
          },
        };
      return cueTrigger(turn) ?? modelTrigger(turn, language);
    };
    /** Enough weak cues together (phrases of `cues.match`, surface signs), or one strong sign. */
    const cueTrigger = (turn: PreparedTurn): TriggerHit | undefined => {
      if (cues === undefined) return undefined;
      // `label`: the phrase's category, or `sign:<kind>` (src/domain/messages.ts names both).
      const found: Array<{
        start: number;
        end: number;
        words: string;
        label: string;
        sign?: SignKind;
        strong: boolean;
      }> = [];
      const seen = new Set<string>();
      const weak = cues.match ? hitsOf(turn, cues.match) : [];
      weak.sort((a, b) => a.start - b.start || b.end - a.end); // longest first where two start together
      for (const h of weak) {
        // One entry counts once however often it occurs, and an entry on words another already
        // counted ("还没" and "没收到" in "还没收到") does not count again: one phrase, one cue.
        if (seen.has(h.entry.phrase) || found.some((f) => h.start < f.end && f.start < h.end)) continue;
        seen.add(h.entry.phrase);
        found.push({
          start: h.start,
          end: h.end,
          words: quoted(turn, h.start, h.end),
          label: h.entry.category,
          strong: false,
        });
      }
      for (const s of surfaceSigns(turn.text, signKinds)) {
        const isStrong = strong.has(s.kind);
        found.push({
          start: s.start,
          end: s.end,
          words: quoted(turn, s.start, s.end),
          label: `sign:${s.kind}`,
          sign: s.kind,
          strong: isStrong,
        });
      }
      const decisive = found.find((f) => f.strong);
      if (!decisive && found.length < cues.min) return undefined;
      const shown = decisive ? [decisive] : found.sort((a, b) => a.start - b.start);
      // The evidence span is the first cue; the message names every cue.
      const first = shown[0]!;
      return {
        start: first.start,
        end: first.end,
        said: decisive
          ? { trigger: 'sign', words: decisive.words, sign: decisive.sign! }
          : { trigger: 'cues', cues: shown.map((f) => f.words), cueLabels: shown.map((f) => f.label) },
      };
    };
    /** The learned model's probability at or above its threshold; the evidence is its strongest word. */
    const modelTrigger = (turn: PreparedTurn, language: Language): TriggerHit | undefined => {
      if (trigger.model === undefined || has(turn, trigger.model.unless)) return undefined;
      const score = turn.model(trigger.model.lexicon);
      if (!score || score.probability < trigger.model.threshold) return undefined;
      const span = score.reasons.length > 0 ? reasonSpan(turn.text, score.reasons[0]!, language) : undefined;
      const [start, end] = span ?? [0, turn.text.length];
      return {
        start,
        end,
        said: {
          trigger: 'model',
          words: quoted(turn, start, end),
          reads: score.reads,
          // Two decimals, as the message shows it (the number formats back to the same text).
          probability: Number(score.probability.toFixed(2)),
          reasons: [...score.reasons],
        },
      };
    };
    const window: MessageParams = {
      answerer: expect.speaker,
      withinTurns: options.within_turns,
      ...(limitMs !== undefined && { withinMs: limitMs }),
      ...what,
    };
    return (t) => {
      const findings: RawFinding[] = [];
      let coveredUntil = -1;
      // The answerer's turns in order, and the first of them after the current turn: one pass.
      const answerer = t.turns.filter((r) => r.speaker === expect.speaker);
      let next = 0;
      for (const turn of t.turns) {
        while (next < answerer.length && answerer[next]!.index <= turn.index) next++;
        if (turn.speaker !== trigger.speaker || (options.repeated === 'once' && turn.index <= coveredUntil))
          continue;
        const replies = answerer.slice(next, next + options.within_turns);
        // Answered with no clock to beat, the turn cannot give a finding whatever it says: it is not
        // read (a learned model scores only turns that matter). Later turns of the window find the
        // same answer, so sharing the window changes nothing.
        if (limitMs === undefined && replies.some(answers)) continue;
        const hit = triggerOf(turn, t.transcript.language);
        if (!hit || has(turn, trigger.unless) || (trigger.unless_question && asksQuestion(turn))) continue;
        if (trigger.after_reply && !(answerer[0] !== undefined && answerer[0].index < turn.index)) continue;
        if (replies.length === 0 && options.at_end === 'skip') continue;
        // Triggers repeated before the other side replies share this window (and its clock): one
        // finding, not several. A trigger after a reply is a new one and gets its own window.
        coveredUntil = (replies[0]?.index ?? Number.POSITIVE_INFINITY) - 1;
        const answer = replies.find(answers);
        const waited =
          answer?.startMs !== undefined && turn.startMs !== undefined
            ? answer.startMs - turn.startMs
            : undefined;
        const late = limitMs !== undefined && waited !== undefined && waited > limitMs;
        if (answer && !late) continue;
        const params = { speaker: trigger.speaker, ...hit.said, ...window };
        findings.push(
          ctx.finding({
            turnIndex: turn.index,
            start: hit.start,
            end: hit.end,
            text: turn.text.slice(hit.start, hit.end),
            atMs: turn.startMs,
            ...(late && { durationMs: waited }),
            ...(late
              ? { messageId: 'conditional.late', params: { ...params, ms: waited! } }
              : {
                  messageId: replies.length === 0 ? 'conditional.no-reply' : 'conditional.unanswered',
                  params,
                }),
          }),
        );
      }
      return findings;
    };
  },
});
