import { z } from 'zod';
import {
  defineRule,
  hitsOf,
  isCoveredBy,
  PhraseSelector,
  type PreparedTurn,
  type RawFinding,
  Speakers,
  seconds,
} from './types.js';

function timed(turns: readonly PreparedTurn[]): PreparedTurn[] {
  return turns
    .filter((t) => t.startMs !== undefined && t.endMs !== undefined)
    .sort((a, b) => a.startMs! - b.startMs! || a.index - b.index);
}

/** Dead air: a gap between turns longer than allowed, unless the agent announced a hold. */
export const silenceRule = defineRule({
  type: 'silence',
  summary:
    'Call: flags silences (dead air) between turns longer than a limit; announced holds get a longer limit.',
  channels: ['call'],
  options: {
    max_gap_ms: z.number().int().positive().default(10_000),
    /** Whose silence counts: the gap before one of these speakers talks. */
    before_speakers: Speakers.default(['agent']),
    hold: z
      .strictObject({ match: PhraseSelector, max_gap_ms: z.number().int().positive().default(60_000) })
      .optional(),
  },
  defaults: { category: 'responsiveness', severity: 'minor', points: 1, deduct: 'per_occurrence' },
  selectors: (o) => (o.hold ? [{ path: ['hold', 'match'], selector: o.hold.match }] : []),
  create(options, ctx) {
    const before = new Set(options.before_speakers);
    return (t) => {
      const findings: RawFinding[] = [];
      let lastEnd: number | undefined;
      let lastAgent: PreparedTurn | undefined;
      for (const turn of timed(t.turns)) {
        if (lastEnd !== undefined && before.has(turn.speaker)) {
          const gap = turn.startMs! - lastEnd;
          const onHold =
            options.hold !== undefined &&
            lastAgent !== undefined &&
            hitsOf(lastAgent, options.hold.match).length > 0;
          const limit = onHold ? options.hold!.max_gap_ms : options.max_gap_ms;
          if (gap > limit) {
            findings.push({
              category: ctx.category,
              severity: ctx.severity,
              points: ctx.points,
              turnIndex: turn.index,
              atMs: lastEnd,
              durationMs: gap,
              message: `${seconds(gap)} of silence before this turn (limit ${seconds(limit)}${onHold ? ', announced hold' : ''}).`,
            });
          }
        }
        lastEnd = Math.max(lastEnd ?? 0, turn.endMs!);
        if (turn.speaker === 'agent') lastAgent = turn;
      }
      return findings;
    };
  },
});

/** 30-second answer rule (seed 003): ring time before the agent picked up. */
export const answerTimeRule = defineRule({
  type: 'answer-time',
  summary: 'Call: the call must be answered within a limit (answerDelayMs).',
  channels: ['call'],
  options: { max_ms: z.number().int().positive().default(30_000) },
  defaults: { category: 'responsiveness', severity: 'major', points: 2, deduct: 'once' },
  create(options, ctx) {
    return (t) => {
      const delay = t.transcript.answerDelayMs;
      if (delay === undefined || delay <= options.max_ms) return [];
      return [
        {
          category: ctx.category,
          severity: ctx.severity,
          points: ctx.points,
          atMs: 0,
          durationMs: delay,
          message: `Call answered after ${seconds(delay)} of ringing (limit ${seconds(options.max_ms)}).`,
        },
      ];
    };
  },
});

/** 抢话/打断: the agent starts talking while the customer is still talking. */
export const interruptionRule = defineRule({
  type: 'interruption',
  summary:
    "Call: the agent starts speaking before the customer's turn ends, overlapping by at least a threshold.",
  channels: ['call'],
  options: {
    min_overlap_ms: z.number().int().nonnegative().default(500),
    interrupter: z.enum(['agent', 'customer']).default('agent'),
    /** Backchannels ("嗯", "好的") while listening are good practice, not interruptions. */
    ignore: PhraseSelector.optional(),
  },
  defaults: { category: 'listening', severity: 'minor', points: 1, deduct: 'per_occurrence' },
  selectors: (o) => (o.ignore ? [{ path: ['ignore'], selector: o.ignore }] : []),
  create(options, ctx) {
    const victim = options.interrupter === 'agent' ? 'customer' : 'agent';
    return (t) => {
      const findings: RawFinding[] = [];
      const turns = timed(t.turns);
      const open: PreparedTurn[] = [];
      for (const turn of turns) {
        // Keep only the victim's turns still running when this turn starts.
        for (let k = open.length - 1; k >= 0; k--) if (open[k]!.endMs! <= turn.startMs!) open.splice(k, 1);
        if (turn.speaker === victim) {
          open.push(turn);
          continue;
        }
        if (turn.speaker !== options.interrupter || open.length === 0) continue;
        if (options.ignore && isCoveredBy(turn, options.ignore)) continue;
        const interrupted = open.reduce((a, b) => (a.endMs! >= b.endMs! ? a : b));
        if (interrupted.startMs! >= turn.startMs!) continue;
        const overlap = Math.min(turn.endMs!, interrupted.endMs!) - turn.startMs!;
        if (overlap < options.min_overlap_ms) continue;
        findings.push({
          category: ctx.category,
          severity: ctx.severity,
          points: ctx.points,
          turnIndex: turn.index,
          atMs: turn.startMs,
          durationMs: overlap,
          message: `${options.interrupter === 'agent' ? 'Agent' : 'Customer'} started speaking ${seconds(overlap)} before turn ${interrupted.index} (${victim}) ended.`,
        });
      }
      return findings;
    };
  },
});

/** 后挂机差错 (seed 004): the agent hung up while the customer was still talking. */
export const agentHangupRule = defineRule({
  type: 'agent-hangup',
  summary: 'Call: the agent hung up first while the customer was still speaking (fatal for some seat types).',
  channels: ['call'],
  options: {
    /** When true, only flag when the customer had the last word; when false, any agent hang-up. */
    require_customer_last: z.boolean().default(true),
  },
  defaults: { category: 'hangup', severity: 'major', points: 5, deduct: 'once' },
  create(options, ctx) {
    return (t) => {
      if (t.transcript.hangupBy !== 'agent') return [];
      const spoken = t.turns.filter((turn) => turn.speaker === 'agent' || turn.speaker === 'customer');
      const last = spoken.at(-1);
      if (options.require_customer_last && last?.speaker !== 'customer') return [];
      return [
        {
          category: ctx.category,
          severity: ctx.severity,
          points: ctx.points,
          turnIndex: last?.index,
          atMs: last?.endMs ?? last?.startMs,
          message: options.require_customer_last
            ? 'Agent hung up while the customer still had the last word.'
            : 'Agent hung up first.',
        },
      ];
    };
  },
});

/** Seed 000: calls under 20 s or over 200 s are sampled for review. */
export const durationRule = defineRule({
  type: 'duration',
  summary: 'Flags conversations shorter or longer than limits, for review sampling.',
  channels: ['chat', 'call'],
  options: {
    min_seconds: z.number().nonnegative().default(20),
    max_seconds: z.number().positive().default(200),
  },
  defaults: { category: 'sampling', severity: 'info', points: 0, deduct: 'once' },
  create(options, ctx) {
    return (t) => {
      const d = t.durationMs;
      if (d === undefined) return [];
      const short = d < options.min_seconds * 1000;
      const long = d > options.max_seconds * 1000;
      if (!short && !long) return [];
      return [
        {
          category: ctx.category,
          severity: ctx.severity,
          points: ctx.points,
          atMs: 0,
          durationMs: d,
          message: short
            ? `Conversation lasted ${seconds(d)}, under ${options.min_seconds} s: routed for review.`
            : `Conversation lasted ${seconds(d)}, over ${options.max_seconds} s: routed for review.`,
        },
      ];
    };
  },
});
