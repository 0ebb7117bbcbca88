import type { CompiledRule } from '../config/compile.js';
import type { DataQuality } from '../config/pipeline.js';
import type { Finding, InlineTranscript } from '../domain/index.js';
import { dataProblemText, type MessageParams, renderMessage } from '../domain/messages.js';
import { QaError } from '../errors.js';
import type { DataNeed } from '../rules/define.js';

/** A transcript's turns in time order, and whether that differs from the order they arrived in. */
export interface OrderedTranscript {
  readonly transcript: InlineTranscript;
  /** Turns that carry no time (chat `at`; call `startMs` and `endMs`). */
  readonly untimed: number;
  readonly firstUntimed: number | undefined;
  readonly reordered: boolean;
  /** Each turn's start (ms since the conversation start), in the order of `transcript.turns`. */
  readonly times: ReadonlyArray<number | undefined>;
}

function parseTime(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/** Milliseconds since the conversation start: `startMs` when given, else chat `at` − startedAt. */
export function turnStartMs(
  t: InlineTranscript,
  turn: InlineTranscript['turns'][number],
): number | undefined {
  return startOf(turn, t.startedAt, undefined);
}

/** As turnStartMs, with the conversation start parsed once per transcript (`started` caches it). */
function startOf(
  turn: InlineTranscript['turns'][number],
  startedAt: string,
  started: { ms: number } | undefined,
): number | undefined {
  if (turn.startMs !== undefined) return turn.startMs;
  const at = parseTime(turn.at);
  if (at === undefined) return undefined;
  return at - (started ? started.ms : Date.parse(startedAt));
}

/** Every turn's start, in array order, parsing the conversation start once. */
export function turnStarts(t: InlineTranscript): Array<number | undefined> {
  const started = { ms: Date.parse(t.startedAt) };
  return t.turns.map((turn) => startOf(turn, t.startedAt, started));
}

/**
 * Puts the turns in time order, stable (turns with the same time keep their order), when every turn
 * has a time; with a turn untimed the array order is all there is and the turns stay as they came.
 */
export function orderTurns(t: InlineTranscript): OrderedTranscript {
  const times = turnStarts(t);
  let untimed = 0;
  let firstUntimed: number | undefined;
  t.turns.forEach((turn, i) => {
    if (times[i] === undefined || (t.channel === 'call' && turn.endMs === undefined)) {
      untimed++;
      firstUntimed ??= i;
    }
  });
  const inOrder = times.every(
    (time, i) => i === 0 || time === undefined || time >= (times[i - 1] ?? -Infinity),
  );
  if (untimed > 0 || inOrder) return { transcript: t, untimed, firstUntimed, reordered: false, times };
  const order = t.turns.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  return {
    transcript: { ...t, turns: order.map((i) => t.turns[i]!) },
    untimed,
    firstUntimed,
    reordered: true,
    times: order.map((i) => times[i]),
  };
}

/** What the data-quality check decided: the rules to run, and the findings that explain the rest. */
export interface DataQualityVerdict {
  readonly rules: readonly CompiledRule[];
  readonly findings: readonly Finding[];
}

/**
 * Checks that the transcript's data can support the pipeline's rules. Each problem is rejected
 * (QA_ERR_TRANSCRIPT_DATA_QUALITY, the reason naming the problem, never the text) or, per the
 * pipeline's `data_quality`, reported as a `data-quality` finding naming the rules it kept from
 * being judged; those rules are not run, so their silence is never mistaken for a clean result.
 */
export function checkDataQuality(
  ordered: OrderedTranscript,
  rules: readonly CompiledRule[],
  policy: DataQuality,
): DataQualityVerdict {
  const t = ordered.transcript;
  const findings: Finding[] = [];
  const missing = new Set<DataNeed>();
  const problem = (
    outcome: 'review' | 'reject' | 'reorder',
    what: MessageParams,
    lacks: readonly DataNeed[] | 'all',
    turnIndex?: number,
  ) => {
    if (outcome === 'reject')
      throw new QaError('QA_ERR_TRANSCRIPT_DATA_QUALITY', dataProblemText('en', what));
    if (outcome === 'reorder') return;
    const blocked = lacks === 'all' ? rules : rules.filter((r) => r.needs.some((n) => lacks.includes(n)));
    for (const need of lacks === 'all' ? [] : lacks) missing.add(need);
    const params = { ...what, notJudged: blocked.map((r) => r.id) };
    findings.push({
      ruleId: 'data-quality',
      type: 'data-quality',
      category: 'data-quality',
      severity: 'info',
      points: 0,
      ...(turnIndex !== undefined && { turnIndex }),
      message: renderMessage('data-quality', params, 'en')!,
      messageId: 'data-quality',
      params,
    });
  };
  const uses = (...needs: DataNeed[]) => rules.some((r) => r.needs.some((n) => needs.includes(n)));

  if (t.turns.length === 0) {
    problem(policy.empty_turns, { problem: 'no-turns' }, 'all');
    return { rules: [], findings };
  }
  const started = Date.parse(t.startedAt);
  const ended = parseTime(t.endedAt);
  if (ended !== undefined && ended < started && uses('duration'))
    problem(policy.ended_before_started, { problem: 'ended-before-started' }, ['duration']);
  // Without endedAt, the length comes from the turn times.
  const untimedLacks: DataNeed[] = t.endedAt === undefined ? ['turn_times', 'duration'] : ['turn_times'];
  if (ordered.untimed > 0 && uses(...untimedLacks)) {
    const field = t.channel === 'call' ? 'startMs/endMs' : 'at';
    problem(
      policy.missing_times,
      { problem: 'missing-times', untimed: ordered.untimed, turns: t.turns.length, field },
      untimedLacks,
      ordered.firstUntimed,
    );
  }
  if (ordered.reordered) problem(policy.out_of_order, { problem: 'out-of-order' }, []);
  if (t.channel === 'call' && t.answerDelayMs === undefined && uses('answer_delay'))
    problem(policy.missing_answer_delay, { problem: 'no-answer-delay' }, ['answer_delay']);
  return { rules: rules.filter((r) => !r.needs.some((n) => missing.has(n))), findings };
}
