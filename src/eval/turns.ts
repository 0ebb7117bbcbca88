import { z } from 'zod';
import type { Finding, InlineTranscript, Speaker } from '../domain/index.js';
import { orderTurns } from '../pipeline/data-quality.js';
import type { LabelSet } from './labels.js';

/**
 * Turn labels (eval/labels/*.turns.json): per conversation, which turns of one speaker a reviewer
 * marks (say, the customer turns that express dissatisfaction), by index in the transcript file as
 * given. Ids and indices only, never conversation text.
 */
export const TurnLabelSet = z.strictObject({
  dataset: z.string().min(1),
  split: z.string().min(1),
  reads: z.string().min(1).optional(),
  source: z.string().optional(),
  labelled: z.string().optional(),
  turns: z.record(z.string().min(1), z.array(z.number().int().min(0))),
});
export type TurnLabelSet = z.infer<typeof TurnLabelSet>;

/** A turn as a unit of evaluation: `conversationId#index`. */
export const turnKey = (conversationId: string, index: number) => `${conversationId}#${index}`;

/**
 * The turns of `rule`'s findings, as indices in the transcript as given: the screener orders turns
 * by time, and a finding's turnIndex counts in that order.
 */
export function findingTurns(t: InlineTranscript, findings: readonly Finding[], rule: string): Set<number> {
  const ordered = orderTurns(t).transcript.turns;
  const original = new Map(t.turns.map((turn, i) => [turn, i]));
  const turns = new Set<number>();
  for (const f of findings) {
    if (f.ruleId !== rule || f.turnIndex === undefined) continue;
    const index = original.get(ordered[f.turnIndex]!);
    if (index !== undefined) turns.add(index);
  }
  return turns;
}

/** Indices of `speaker`'s turns, in the transcript as given. */
export const speakerTurns = (t: InlineTranscript, speaker: Speaker) =>
  t.turns.flatMap((turn, i) => (turn.speaker === speaker ? [i] : []));

/**
 * Turn labels as a conversation-level label set whose "conversations" are the speaker's turns of the
 * screened conversations (`id#3`), so `evaluate` scores triggers per turn with the same precision,
 * recall, intervals and disagreements as conversations. `spoken`: per screened labelled
 * conversation, its speaker's turn indices.
 */
export function turnsAsLabels(
  labels: TurnLabelSet,
  rule: string,
  spoken: ReadonlyMap<string, readonly number[]>,
): LabelSet {
  const byTurn: Record<string, string[]> = {};
  for (const [id, indices] of spoken) {
    const marked = new Set(labels.turns[id] ?? []);
    for (const i of indices) byTurn[turnKey(id, i)] = marked.has(i) ? [rule] : [];
  }
  return {
    dataset: labels.dataset,
    split: `${labels.split}, per turn`,
    rules: [rule],
    labels: byTurn,
  };
}
