import type { AnyScreenedItem as ScreenedItem } from '../domain/index.js';

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

export interface TeamSummary extends Omit<AgentSummary, 'agentId'> {
  team: string;
  agents: number;
}

type Tally = {
  items: number;
  score: number;
  passed: number;
  fatal: number;
  errors: number;
  opportunities: number;
};

const newTally = (): Tally => ({ items: 0, score: 0, passed: 0, fatal: 0, errors: 0, opportunities: 0 });

function addTo(a: Tally, item: ScreenedItem): void {
  a.items++;
  a.score += item.score;
  if (item.passed) a.passed++;
  if (item.fatal) a.fatal++;
  a.errors += item.stats.nonFatalErrors;
  a.opportunities += item.stats.opportunities;
}

function figures(a: Tally): Omit<AgentSummary, 'agentId'> {
  return {
    items: a.items,
    meanScore: Math.round((a.score / a.items) * 10) / 10,
    passed: a.passed,
    fatalItems: a.fatal,
    fatalAccuracy: round4(1 - a.fatal / a.items),
    nonFatalAccuracy: a.opportunities === 0 ? 1 : round4(1 - a.errors / a.opportunities),
  };
}

/** Per-agent figures as seed 004 computes them per agent and period, gathered item by item (memory per agent, not per item). */
export function agentSummary() {
  const acc = new Map<string, Tally>();
  return {
    add(item: ScreenedItem) {
      addTo(entry(acc, item.agentId, newTally), item);
    },
    result(): AgentSummary[] {
      return [...acc.entries()]
        .map(([agentId, a]) => ({ agentId, ...figures(a) }))
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

export interface RuleSummary {
  ruleId: string;
  /** Findings, listed and omitted alike. */
  findings: number;
  /** Items with at least one finding of the rule. */
  items: number;
  /** Points its findings deducted (before category caps). */
  points: number;
}

/** A batch of items in figures: what a QA manager reads (`screen --summary-json`, `report`). */
export interface BatchSummary {
  items: number;
  /** Routed to a review queue (not the default queue, not the calibration sample). */
  flagged: number;
  passed: number;
  fatal: number;
  sampled: number;
  meanScore: number;
  /** Items per score band: [0,10), [10,20) … [90,100]. */
  scoreBands: number[];
  queues: Array<{ queue: string; items: number }>;
  rules: RuleSummary[];
  agents: Array<AgentSummary & { team?: string }>;
  teams: TeamSummary[];
  /** Items with a data-quality finding (rules not judged), and items whose turns were reordered. */
  dataQuality: number;
  reordered: number;
  /** Items that left findings or their conversation out to stay bounded. */
  omitted: number;
}

const NO_TEAM = '(no team)';

/** The map's value for `key`, created on first use. */
function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/**
 * Gathers a batch's figures item by item: memory grows with agents, teams, rules and queues, never
 * with items (a 200k-item run holds the same few maps as a 10-item one).
 */
export function batchSummary(options: { defaultQueue?: string | ((pipelineId: string) => string) } = {}) {
  const given = options.defaultQueue ?? 'clean';
  const defaultQueue = typeof given === 'function' ? given : () => given;
  const total = newTally();
  const counts = { flagged: 0, sampled: 0, dataQuality: 0, reordered: 0, omitted: 0 };
  const bands = new Array<number>(10).fill(0);
  const queues = new Map<string, number>();
  const rules = new Map<string, RuleSummary>();
  const agents = new Map<string, { tally: Tally; team: string | undefined }>();
  const teams = new Map<string, { tally: Tally; agents: Set<string> }>();
  return {
    add(item: ScreenedItem) {
      addTo(total, item);
      if (item.sampled) counts.sampled++;
      else if (item.queue !== defaultQueue(item.pipeline.id)) counts.flagged++;
      if (item.stats.reordered) counts.reordered++;
      if (item.omitted) counts.omitted++;
      bands[Math.min(9, Math.max(0, Math.floor(item.score / 10)))]!++;
      queues.set(item.queue, (queues.get(item.queue) ?? 0) + 1);
      const seen = new Set<string>();
      const rule = (ruleId: string) => {
        const r = entry(rules, ruleId, () => ({ ruleId, findings: 0, items: 0, points: 0 }));
        if (!seen.has(ruleId)) {
          seen.add(ruleId);
          r.items++;
        }
        return r;
      };
      for (const f of item.findings) {
        const r = rule(f.ruleId);
        r.findings++;
        r.points += f.points;
      }
      for (const o of item.omitted?.rules ?? []) {
        const r = rule(o.ruleId);
        r.findings += o.count;
        r.points += o.points;
      }
      if (seen.has('data-quality')) counts.dataQuality++;
      const agent = entry(agents, item.agentId, () => ({ tally: newTally(), team: item.agentTeam }));
      addTo(agent.tally, item);
      const teamName = item.agentTeam ?? NO_TEAM;
      const team = entry(teams, teamName, () => ({ tally: newTally(), agents: new Set<string>() }));
      addTo(team.tally, item);
      team.agents.add(item.agentId);
    },
    result(): BatchSummary {
      return {
        items: total.items,
        flagged: counts.flagged,
        passed: total.passed,
        fatal: total.fatal,
        sampled: counts.sampled,
        meanScore: total.items === 0 ? 0 : Math.round((total.score / total.items) * 10) / 10,
        scoreBands: [...bands],
        queues: [...queues.entries()]
          .map(([queue, n]) => ({ queue, items: n }))
          .sort((a, b) => b.items - a.items || a.queue.localeCompare(b.queue)),
        rules: [...rules.values()]
          .map((r) => ({ ...r, points: Math.round(r.points * 10) / 10 }))
          .sort((a, b) => b.findings - a.findings || a.ruleId.localeCompare(b.ruleId)),
        agents: [...agents.entries()]
          .map(([agentId, a]) => ({
            agentId,
            ...(a.team !== undefined && { team: a.team }),
            ...figures(a.tally),
          }))
          .sort((x, y) => x.agentId.localeCompare(y.agentId)),
        teams: [...teams.entries()]
          .map(([team, t]) => ({ team, agents: t.agents.size, ...figures(t.tally) }))
          .sort((x, y) => x.team.localeCompare(y.team)),
        dataQuality: counts.dataQuality,
        reordered: counts.reordered,
        omitted: counts.omitted,
      };
    },
  };
}

export type BatchSummarizer = ReturnType<typeof batchSummary>;

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
