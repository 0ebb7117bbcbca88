import { describe, expect, it } from 'vitest';
import type { ScreenedItem } from '../../src/domain/index.js';
import { summariseByAgent } from '../../src/scoring/summary.js';

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
  pipeline: { id: 'p', version: '1' },
  lexicons: [],
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
