import { describe, expect, it } from 'vitest';
import { loadCatalog, recompute, type ScoringSnapshot } from '../../src/review/pipelines.js';
import { Scoring } from '../../src/scoring/scheme.js';

const snapshot: ScoringSnapshot = {
  scoring: Scoring.parse({ scheme: 't', category_caps: { language: 6 }, pass_mark: 80 }),
  rules: [
    { id: 'rude', type: 'phrase', category: 'language', severity: 'major', points: 3, deduct: 'once' },
    { id: 'slow', type: 'latency', category: 'time', severity: 'minor', points: 2, deduct: 'per_occurrence' },
    { id: 'hangup', type: 'call', category: 'conduct', severity: 'fatal', points: 0, deduct: 'once' },
  ],
};
const f = (ruleId: string, points: number, severity: 'fatal' | 'major' | 'minor' = 'major') => ({
  ruleId,
  type: 'x',
  category: ruleId === 'rude' ? 'language' : ruleId === 'slow' ? 'time' : 'conduct',
  severity,
  points,
  message: 'm',
});

describe('recompute', () => {
  it("gives a once rule's 0-point repeat the rule's heaviest points when the heaviest was rejected", () => {
    // Machine: rude 5 (heaviest, carried the deduction) and rude 0 (repeat). Reviewer rejects the 5.
    const heaviest = new Map([['rude', 5]]);
    expect(recompute(snapshot, [f('rude', 5), f('rude', 0)], 'c', heaviest).score).toBe(95);
    expect(recompute(snapshot, [f('rude', 0)], 'c', heaviest).score).toBe(95);
    expect(recompute(snapshot, [f('rude', 0)], 'c').score).toBe(97);
  });

  it('applies caps per category and the fatal veto', () => {
    const many = [f('slow', 2, 'minor'), f('slow', 2, 'minor'), f('slow', 2, 'minor')];
    expect(recompute(snapshot, many, 'c')).toMatchObject({ score: 94, passed: true, nonFatalErrors: 1 });
    const fatal = recompute(snapshot, [f('hangup', 0, 'fatal')], 'c');
    expect(fatal).toMatchObject({ score: 100, fatal: true, passed: false, nonFatalErrors: 0 });
  });
});

describe('loadCatalog', () => {
  it('loads every bundled pipeline and passes over the routing file beside them', async () => {
    const catalog = await loadCatalog('pipelines');
    expect(catalog.problems).toEqual([]);
    expect(catalog.ids().sort()).toEqual(['call-zh', 'chat-en', 'chat-zh', 'social-en']);
  });
});
