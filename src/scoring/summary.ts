import type { ScreenedItem } from '../domain/index.js';

export interface AgentSummary {
  agentId: string;
  items: number;
  meanScore: number;
  passed: number;
  fatalItems: number;
  /** Seed 004: 1 − (items failed by fatal errors / items screened). */
  fatalAccuracy: number;
  /** Seed 004: 1 − non-fatal errors / (opportunities × items screened). */
  nonFatalAccuracy: number;
}

type Tally = {
  items: number;
  score: number;
  passed: number;
  fatal: number;
  errors: number;
  opportunities: number;
};

/** Per-agent figures as seed 004 computes them per agent and period, gathered item by item (memory per agent, not per item). */
export function agentSummary() {
  const acc = new Map<string, Tally>();
  return {
    add(item: ScreenedItem) {
      let a = acc.get(item.agentId);
      if (!a) {
        a = { items: 0, score: 0, passed: 0, fatal: 0, errors: 0, opportunities: 0 };
        acc.set(item.agentId, a);
      }
      a.items++;
      a.score += item.score;
      if (item.passed) a.passed++;
      if (item.fatal) a.fatal++;
      a.errors += item.stats.nonFatalErrors;
      a.opportunities += item.stats.opportunities;
    },
    result(): AgentSummary[] {
      return [...acc.entries()]
        .map(([agentId, a]) => ({
          agentId,
          items: a.items,
          meanScore: Math.round((a.score / a.items) * 10) / 10,
          passed: a.passed,
          fatalItems: a.fatal,
          fatalAccuracy: round4(1 - a.fatal / a.items),
          nonFatalAccuracy: a.opportunities === 0 ? 1 : round4(1 - a.errors / a.opportunities),
        }))
        .sort((x, y) => x.agentId.localeCompare(y.agentId));
    },
  };
}

/** Per-agent figures over a batch of screened items. */
export function summariseByAgent(items: Iterable<ScreenedItem>): AgentSummary[] {
  const summary = agentSummary();
  for (const item of items) summary.add(item);
  return summary.result();
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
