import { z } from 'zod';
import { defineRule, PhraseSelector, type RawFinding } from './define.js';
import { isCoveredBy, type PreparedTurn, timedTurns } from './prepared.js';

/** 抢话/打断: the agent starts talking while the customer is still talking. */
export const interruptionRule = defineRule({
  type: 'interruption',
  summary:
    "Call: the agent starts speaking before the customer's turn ends, overlapping by at least a threshold.",
  channels: ['call'],
  options: {
    min_overlap_ms: z.number().int().nonnegative().default(500).describe('overlap that counts, ms'),
    interrupter: z.enum(['agent', 'customer']).default('agent').describe('who must not interrupt'),
    ignore: PhraseSelector.optional().describe(
      'backchannels ("嗯", "好的") while listening are not interruptions',
    ),
  },
  defaults: { category: 'listening', severity: 'minor', points: 1, deduct: 'per_occurrence' },
  needs: ['turn_times'],
  selectors: (o) => (o.ignore ? [{ path: ['ignore'], selector: o.ignore }] : []),
  create(options, ctx) {
    const victim = options.interrupter === 'agent' ? 'customer' : 'agent';
    return (t) => {
      const findings: RawFinding[] = [];
      const open: PreparedTurn[] = [];
      for (const turn of timedTurns(t.turns)) {
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
        findings.push(
          ctx.finding({
            turnIndex: turn.index,
            atMs: turn.startMs,
            durationMs: overlap,
            messageId: 'interruption',
            params: {
              speaker: options.interrupter,
              ms: overlap,
              turn: interrupted.index,
              interrupted: victim,
            },
          }),
        );
      }
      return findings;
    };
  },
});
