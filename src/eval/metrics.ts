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

/** Per rule, how the conversations it fired on were triggered: the words its findings quote. */
export interface TriggerScore {
  rule: string;
  /** The quoted words, lower-cased with spaces collapsed; `(no quote)` for findings that quote none. */
  trigger: string;
  /** Labelled conversations where the rule fired with this trigger. */
  fired: number;
  truePositives: number;
  falsePositives: number;
  precision: number;
}

export const NO_QUOTE = '(no quote)';

/** What a finding's quote counts as: one trigger for "Keeps Crashing" and "keeps  crashing". */
export function triggerOf(text: string | undefined): string {
  const t = text?.trim().toLowerCase().replace(/\s+/g, ' ');
  return t ? t : NO_QUOTE;
}

/**
 * Precision per trigger: which wording makes a rule fire where reviewers say it should not. A
 * conversation counts once per trigger of a rule however often the words recur; a conversation with
 * two triggers counts for both. Sorted by false positives, then by how often the trigger fired.
 */
export function triggerBreakdown(
  labels: LabelSet,
  triggers: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>,
  only?: readonly string[],
): TriggerScore[] {
  const rules = new Set(only ?? labels.rules);
  const rows = new Map<string, TriggerScore>();
  for (const [id, byRule] of triggers) {
    const expected = labels.labels[id];
    if (!expected) continue;
    for (const [rule, words] of byRule) {
      if (!rules.has(rule)) continue;
      for (const trigger of words) {
        const key = `${rule}\u0000${trigger}`;
        const row = rows.get(key) ?? {
          rule,
          trigger,
          fired: 0,
          truePositives: 0,
          falsePositives: 0,
          precision: 0,
        };
        row.fired++;
        if (expected.includes(rule)) row.truePositives++;
        else row.falsePositives++;
        rows.set(key, row);
      }
    }
  }
  for (const row of rows.values()) row.precision = row.truePositives / row.fired;
  return [...rows.values()].sort(
    (a, b) =>
      b.falsePositives - a.falsePositives ||
      b.fired - a.fired ||
      a.rule.localeCompare(b.rule) ||
      a.trigger.localeCompare(b.trigger),
  );
}
