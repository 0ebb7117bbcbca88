import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { ScreenedItem } from '../../src/domain/index.js';
import { agentSummary, batchSummary, summariseByAgent } from '../../src/scoring/summary.js';

const item = (agentId: string, score: number, fatal: boolean, nonFatalErrors: number): ScreenedItem => ({
  conversationId: `${agentId}-${score}`,
  channel: 'call',
  language: 'zh',
  agentId,
  score,
  passed: !fatal && score >= 80,
  fatal,
  findings: [],
  bonuses: [],
  deducted: 100 - score,
  priority: 0,
  queue: 'clean',
  sampled: false,
  scheme: 's',
  itemVersion: 2,
  pipeline: { id: 'p', version: '1' },
  stats: { turns: 1, opportunities: 10, nonFatalErrors },
  screenedAt: '2026-11-23T00:00:00.000Z',
});

describe('per-agent summary (seed 004 accuracy)', () => {
  it('computes fatal accuracy = 1 − fatal items / items and non-fatal accuracy = 1 − errors / (opportunities × items)', () => {
    const [a, b] = summariseByAgent([
      item('a', 90, false, 1),
      item('a', 70, true, 2),
      item('a', 100, false, 0),
      item('a', 80, false, 1),
      item('b', 100, false, 0),
    ]);
    expect(a).toEqual({
      agentId: 'a',
      items: 4,
      meanScore: 85,
      passed: 3,
      fatalItems: 1,
      fatalAccuracy: 0.75,
      nonFatalAccuracy: 0.9,
    });
    expect(b).toMatchObject({ agentId: 'b', fatalAccuracy: 1, nonFatalAccuracy: 1 });
  });
});

/** The collector, for tests that prove what is not retained. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('summaries hold per-agent state, never items', () => {
  it('keeps no item alive: 2,000 items added, all collectable afterwards', async () => {
    const gc = collector();
    const agents = agentSummary();
    const batch = batchSummary();
    const refs: WeakRef<ScreenedItem>[] = [];
    const feed = (i: number) => {
      const it = {
        ...item(`a-${i % 3}`, 50 + (i % 50), i % 7 === 0, i % 2),
        agentTeam: `t-${i % 2}`,
        findings: [
          {
            ruleId: 'r',
            type: 'phrase',
            category: 'c',
            severity: 'minor' as const,
            points: 1,
            message: 'x'.repeat(1000),
          },
        ],
      };
      refs.push(new WeakRef(it));
      agents.add(it);
      batch.add(it);
    };
    for (let i = 0; i < 2000; i++) feed(i);
    // WeakRef targets created in this job stay alive until it ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(refs.map((r, i) => (r.deref() === undefined ? -1 : i)).filter((i) => i >= 0)).toEqual([]);
    expect(agents.result()).toHaveLength(3);
    const result = batch.result();
    expect(result.items).toBe(2000);
    expect(result.agents).toHaveLength(3);
    expect(result.teams.map((t) => [t.team, t.items, t.agents])).toEqual([
      ['t-0', 1000, 3],
      ['t-1', 1000, 3],
    ]);
    expect(result.rules).toEqual([{ ruleId: 'r', findings: 2000, items: 2000, points: 2000 }]);
    expect(result.scoreBands.reduce((a, b) => a + b, 0)).toBe(2000);
  });
});
