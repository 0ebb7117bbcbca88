import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wilson } from '../../src/review/stats.js';
import {
  BACKENDS,
  type Client,
  ingest,
  login,
  sampleItems,
  startApp,
  type TestApp,
  variant,
} from './helpers.js';

describe.each(BACKENDS)('rule quality, noisy rules and /metrics on %s', (backend) => {
  let app: TestApp;
  let supervisor: Client;
  const reviewedCount = 8;
  let counts: Record<string, { confirmed: number; rejected: number }>;

  beforeAll(async () => {
    app = await startApp(backend, {
      REVIEW_NOISY_WINDOW: '10',
      REVIEW_NOISY_MIN_REVIEWED: '5',
      REVIEW_NOISY_THRESHOLD: '0.5',
      REVIEW_METRICS_TOKEN: 'scrape-token-0123456789',
    });
    const { items } = await sampleItems();
    const base = items.find((i) => i.conversationId === 'chat-zh-002')!;
    await ingest(
      app,
      Array.from({ length: reviewedCount + 3 }, (_, k) => variant(base, `q-${k}`)),
    );
    const reviewer = await login(app, `q-rev-${backend}`, 'reviewer');
    supervisor = await login(app, `q-sup-${backend}`, 'supervisor');
    counts = {};
    for (let k = 0; k < reviewedCount; k++) {
      const claim = (await reviewer.send('POST', '/api/claims', {})).body.claim;
      const item = (await reviewer.get(`/api/items/${claim.itemId}`)).body;
      for (const f of item.findings) {
        // forbidden-phrase is always wrong here, first-response always right, the rest alternate.
        const verdict =
          f.ruleId === 'forbidden-phrase'
            ? 'rejected'
            : f.ruleId === 'first-response' || k % 2
              ? 'confirmed'
              : 'rejected';
        counts[f.ruleId] ??= { confirmed: 0, rejected: 0 };
        counts[f.ruleId]![verdict]++;
        await reviewer.send('PUT', `/api/reviews/${claim.reviewId}/verdicts/${f.id}`, {
          verdict,
          ...(verdict === 'rejected' && { reason: 'false_positive' }),
        });
      }
      if (k < 2) {
        // The reviewer had to add a closing finding the machine missed.
        const turn = item.conversation.turns.length - 1;
        await reviewer.send('POST', `/api/reviews/${claim.reviewId}/findings`, {
          ruleId: 'apology',
          turnIndex: turn,
        });
      }
      await reviewer.send('POST', `/api/reviews/${claim.reviewId}/submit`);
    }
  });
  afterAll(() => app.cleanup());

  it('reports precision with a Wilson interval, misses and a recall bound, and marks noisy rules', async () => {
    const q = (await supervisor.get('/api/rules/quality')).body;
    const byRule = Object.fromEntries(q.rules.map((r: { ruleId: string }) => [r.ruleId, r]));
    const fp = byRule['forbidden-phrase'];
    expect(fp.reviewed).toBe(counts['forbidden-phrase']!.rejected);
    expect(fp).toMatchObject({ confirmed: 0, precision: 0, noisy: true });
    expect(fp.rejectReasons).toEqual({ false_positive: fp.reviewed });
    const first = byRule['first-response'];
    expect(first).toMatchObject({
      reviewed: reviewedCount,
      confirmed: reviewedCount,
      precision: 1,
      noisy: false,
    });
    expect(first.precisionCi).toEqual(wilson(reviewedCount, reviewedCount));
    const apology = byRule.apology;
    expect(apology.added).toBe(2);
    expect(apology.recall).toBeCloseTo(apology.confirmed / (apology.confirmed + 2), 4);
    expect(apology.recallLowerBound).toBe(wilson(apology.confirmed, apology.confirmed + 2)!.low);
    // Unreviewed items count as flagged, not as reviewed.
    expect(first.flagged).toBe(reviewedCount + 3);

    const timeline = (await supervisor.get('/api/rules/quality/timeline?period=day&rule=first-response'))
      .body;
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toMatchObject({ ruleId: 'first-response', reviewed: reviewedCount, precision: 1 });
    expect(timeline[0].period).toBe(new Date().toISOString().slice(0, 10));

    // Each transition is logged once, as a catalogued event: forbidden-phrase turned noisy once; a
    // rule whose precision dipped and came back logged both, so what is logged nets to the state.
    const logs = app.logs.lines.map((l) => JSON.parse(l));
    const noisy = (rule: string) =>
      logs.filter((l) => l.event === 'review.rule_noisy' && l.rule === rule).length;
    const recovered = (rule: string) =>
      logs.filter((l) => l.event === 'review.rule_recovered' && l.rule === rule).length;
    expect(noisy('forbidden-phrase')).toBe(1);
    expect(recovered('forbidden-phrase')).toBe(0);
    for (const r of q.rules) expect(noisy(r.ruleId) - recovered(r.ruleId), r.ruleId).toBe(r.noisy ? 1 : 0);
    expect(noisy('first-response')).toBe(0);
    expect(
      (await supervisor.get('/api/ops')).body.noisyRules.map((r: { ruleId: string }) => r.ruleId),
    ).toEqual(['forbidden-phrase']);
  });

  it('/metrics shows queue depth, oldest unclaimed age, verdicts per rule and noisy rules', async () => {
    const anonymous = await app.server.inject({ method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    const reviewer = await login(app, `q-metrics-rev-${backend}`, 'reviewer');
    expect((await reviewer.get('/metrics')).status).toBe(403);
    const res = await app.server.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer scrape-token-0123456789' },
    });
    expect(res.statusCode).toBe(200);
    const text = res.body;
    expect(text).toContain('qa_review_queue_depth{queue="low-score",state="unclaimed"} 3');
    expect(text).toMatch(/qa_review_oldest_unclaimed_seconds\{queue="low-score"\} \d/);
    expect(text).toContain(
      `qa_review_verdicts{rule="forbidden-phrase",verdict="rejected"} ${counts['forbidden-phrase']!.rejected}`,
    );
    expect(text).toContain(`qa_review_verdicts{rule="apology",verdict="added"} 2`);
    expect(text).toContain('qa_review_rule_noisy{rule="forbidden-phrase"} 1');
    expect(text).toContain('qa_review_rule_noisy{rule="first-response"} 0');
    expect((await supervisor.get('/metrics')).status).toBe(200);
  });
});
