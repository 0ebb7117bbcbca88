import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeBand } from '../../src/review/analytics.js';
import {
  BACKENDS,
  type Client,
  ingest,
  login,
  reviewNext,
  sampleItems,
  startApp,
  type TestApp,
  variant,
} from './helpers.js';

describe.each(BACKENDS)('reports on %s', (backend) => {
  let app: TestApp;
  let supervisor: Client;
  const results: Array<{
    agent: string;
    team: string;
    score: number;
    passed: boolean;
    fatal: boolean;
    nonFatal: number;
    opportunities: number;
    rules: string[];
  }> = [];

  beforeAll(async () => {
    app = await startApp(backend);
    const { items } = await sampleItems();
    const pick = (id: string) => items.find((i) => i.conversationId === id)!;
    const plan = [
      { src: 'chat-zh-002', agent: 'r-a1', team: 't-1', decide: () => 'confirmed' as const },
      { src: 'chat-zh-002', agent: 'r-a1', team: 't-1', decide: () => 'rejected' as const },
      { src: 'chat-zh-004', agent: 'r-a1', team: 't-1', decide: () => 'confirmed' as const },
      { src: 'chat-zh-005', agent: 'r-a2', team: 't-1', decide: () => 'confirmed' as const },
      { src: 'chat-zh-008', agent: 'r-a3', team: 't-2', decide: () => 'confirmed' as const },
    ];
    await ingest(
      app,
      plan.map((p, k) =>
        variant(pick(p.src), `rep-${k}`, { agentId: p.agent, agentTeam: p.team, queue: `rep-${k}` }),
      ),
    );
    const reviewer = await login(app, `rep-rev-${backend}`, 'reviewer');
    supervisor = await login(app, `rep-sup-${backend}`, 'supervisor');
    for (const [k, p] of plan.entries()) {
      const done = (await reviewNext(reviewer, `rep-${k}`, p.decide))!;
      const item = (await supervisor.get(`/api/items/${done.itemId}`)).body;
      results.push({
        agent: p.agent,
        team: p.team,
        score: done.result.score,
        passed: done.result.passed,
        fatal: done.result.fatal,
        nonFatal: item.final.nonFatalErrors,
        opportunities: item.stats.opportunities,
        rules: item.findings
          .filter((f: { final: string }) => f.final === 'confirmed')
          .map((f: { ruleId: string }) => f.ruleId),
      });
    }
  });
  afterAll(() => app.cleanup());

  it('per agent and month: items, mean score, pass rate, grade bands, seed-004 accuracy, top rules', async () => {
    const report = (await supervisor.get('/api/reports?by=agent&period=month')).body;
    const month = `${new Date().toISOString().slice(0, 7)}-01`;
    expect(report.rows.map((r: { agent: string }) => r.agent)).toEqual(['r-a1', 'r-a2', 'r-a3']);
    for (const row of report.rows) {
      const mine = results.filter((r) => r.agent === row.agent);
      expect(row.period).toBe(month);
      expect(row.items).toBe(mine.length);
      expect(row.meanScore).toBeCloseTo(mine.reduce((s, r) => s + r.score, 0) / mine.length, 3);
      expect(row.passRate).toBeCloseTo(mine.filter((r) => r.passed).length / mine.length, 3);
      const bands = { excellent: 0, good: 0, pass: 0, poor: 0 };
      for (const r of mine) bands[gradeBand(r.score)]++;
      expect(row.bands).toEqual(bands);
      // Seed 004: fatal accuracy = 1 − fatal items / items; non-fatal = 1 − errors / (opportunities × items).
      expect(row.fatalAccuracy).toBeCloseTo(1 - mine.filter((r) => r.fatal).length / mine.length, 3);
      const opportunities = mine.reduce((s, r) => s + r.opportunities, 0);
      expect(row.nonFatalAccuracy).toBeCloseTo(
        1 - mine.reduce((s, r) => s + r.nonFatal, 0) / opportunities,
        3,
      );
    }
    const a1 = report.rows[0];
    expect(a1.fatalAccuracy).toBeCloseTo(2 / 3, 3);
    // Top rules: confirmed findings per rule, most first, ties by rule id.
    const counts = new Map<string, number>();
    for (const r of results.filter((x) => x.agent === 'r-a1'))
      for (const rule of r.rules) counts.set(rule, (counts.get(rule) ?? 0) + 1);
    const expected = [...counts.entries()]
      .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
      .slice(0, 3)
      .map(([ruleId, count]) => ({ ruleId, count }));
    expect(expected.length).toBeGreaterThan(0);
    expect(a1.topRules).toEqual(expected);
  });

  it('per team and day, with a date range; CSV export', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const teams = (await supervisor.get(`/api/reports?by=team&period=day&from=${today}`)).body;
    expect(
      teams.rows.map((r: { team: string; items: number; period: string }) => [r.team, r.items, r.period]),
    ).toEqual([
      ['t-1', 4, today],
      ['t-2', 1, today],
    ]);
    expect((await supervisor.get('/api/reports?by=all&to=2000-01-01')).body.rows).toEqual([]);

    const csv = await supervisor.get('/api/reports?by=agent&period=week&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain('attachment');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'period,agent,items,mean_score,pass_rate,excellent,good,pass,poor,fatal_accuracy,non_fatal_accuracy,top_rules',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2},r-a1,3,/);
  });
});
