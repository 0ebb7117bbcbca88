import { wilson } from '../review/stats.js';
import type { LabelSet } from './labels.js';

export interface RuleScore {
  rule: string;
  /** Conversations where the rule fired and should have. */
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  /** Conversations labelled as needing the rule. */
  support: number;
  /**
   * 95% Wilson intervals: with a handful of conversations one more or less moves a figure a lot, and
   * the interval says how much (null when the rule never fired, or nothing carries the label).
   */
  precisionCi: { low: number; high: number } | null;
  recallCi: { low: number; high: number } | null;
}

export interface Disagreement {
  conversationId: string;
  rule: string;
  /** `false-positive`: fired, should not have; `false-negative`: should have fired, did not. */
  kind: 'false-positive' | 'false-negative';
}

export interface EvalReport {
  conversations: number;
  /** Labelled conversations absent from the screened input. */
  missing: string[];
  rules: RuleScore[];
  disagreements: Disagreement[];
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

/**
 * Conversation-level precision and recall per rule: a rule "fires" on a conversation when the item
 * has at least one finding of that rule id. Only labelled conversations count.
 */
export function evaluate(
  labels: LabelSet,
  fired: ReadonlyMap<string, ReadonlySet<string>>,
  only?: readonly string[],
): EvalReport {
  const rules = only ?? labels.rules;
  const ids = Object.keys(labels.labels);
  const missing = ids.filter((id) => !fired.has(id));
  const present = ids.filter((id) => fired.has(id));
  const disagreements: Disagreement[] = [];
  const scores = rules.map((rule): RuleScore => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const id of present) {
      const expected = labels.labels[id]!.includes(rule);
      const got = fired.get(id)!.has(rule);
      if (expected && got) tp++;
      else if (got) {
        fp++;
        disagreements.push({ conversationId: id, rule, kind: 'false-positive' });
      } else if (expected) {
        fn++;
        disagreements.push({ conversationId: id, rule, kind: 'false-negative' });
      }
    }
    const precision = ratio(tp, tp + fp);
    const recall = ratio(tp, tp + fn);
    return {
      rule,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
      support: tp + fn,
      precisionCi: wilson(tp, tp + fp),
      recallCi: wilson(tp, tp + fn),
    };
  });
  return { conversations: present.length, missing, rules: scores, disagreements };
}
