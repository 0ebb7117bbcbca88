import { type CompiledPipeline, compileRule } from '../config/compile.js';
import type { LabelSet } from './labels.js';

/**
 * The pipeline with every rule that expects a phrase in answer (an apology after a complaint,
 * "不客气" after thanks) rebuilt so that no reply counts as the answer: what such a rule flags then is
 * every trigger. Screening with both tells a miss whose trigger never fired (the customer's words
 * were not recognised) from one where a reply was taken for the answer (the agent's words were).
 * Undefined when the pipeline has no such rule.
 */
export function triggersOnly(
  pipeline: CompiledPipeline,
  /** One finding per triggering turn, also for triggers repeated before a reply (turn-level eval). */
  { eachTurn = false }: { eachTurn?: boolean } = {},
): { pipeline: CompiledPipeline; rules: ReadonlySet<string> } | undefined {
  const ids = new Set<string>();
  const rules = pipeline.rules.map((compiled) => {
    const rule = pipeline.config.rules.find((r) => r.id === compiled.id);
    if (rule?.type !== 'conditional' || rule.expect.match === undefined) return compiled;
    ids.add(rule.id);
    // A reply that has an answer phrase does not count (unless), and one without it never did.
    return compileRule({
      ...rule,
      expect: { ...rule.expect, unless: rule.expect.match },
      ...(eachTurn && { repeated: 'each' as const }),
    });
  });
  return ids.size === 0 ? undefined : { pipeline: { ...pipeline, rules }, rules: ids };
}

/** Why a rule that expects an answer agrees or disagrees with the labels, in conversations. */
export interface CauseScore {
  rule: string;
  truePositives: number;
  falsePositives: number;
  /** Labelled, not fired, and no turn triggered the rule at all: the trigger's wording was missed. */
  missedNoTrigger: number;
  /** Labelled, not fired, though a turn triggered it: a reply was counted as the answer. */
  missedAnswered: number;
  /** Not labelled and not fired, though a turn triggered it: answered, as the reviewer agrees. */
  answered: number;
}

/**
 * Per rule of `rules` (those triggersOnly rebuilt) that the labels cover: `fired` is what the
 * pipeline flagged per conversation, `triggered` what its triggers-only twin flagged.
 */
export function causeBreakdown(
  labels: LabelSet,
  fired: ReadonlyMap<string, ReadonlySet<string>>,
  triggered: ReadonlyMap<string, ReadonlySet<string>>,
  rules: ReadonlySet<string>,
  only?: readonly string[],
): CauseScore[] {
  const present = Object.keys(labels.labels).filter((id) => fired.has(id));
  return (only ?? labels.rules)
    .filter((rule) => rules.has(rule))
    .map((rule) => {
      const score: CauseScore = {
        rule,
        truePositives: 0,
        falsePositives: 0,
        missedNoTrigger: 0,
        missedAnswered: 0,
        answered: 0,
      };
      for (const id of present) {
        const expected = labels.labels[id]!.includes(rule);
        const got = fired.get(id)!.has(rule);
        const trigger = triggered.get(id)?.has(rule) === true;
        if (got) {
          if (expected) score.truePositives++;
          else score.falsePositives++;
        } else if (expected) {
          if (trigger) score.missedAnswered++;
          else score.missedNoTrigger++;
        } else if (trigger) score.answered++;
      }
      return score;
    });
}
