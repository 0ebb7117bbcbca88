import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohenKappa } from '../../src/review/stats.js';
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

describe.each(BACKENDS)('calibration on %s', (backend) => {
  let app: TestApp;
  let raters: Client[];
  let supervisor: Client;
  beforeAll(async () => {
    app = await startApp(backend);
    const { items } = await sampleItems();
    const base = items.find((i) => i.conversationId === 'chat-zh-002')!;
    // The calibration sample: sampled items land in the calibration queue.
    await ingest(app, [
      variant(base, 'cal-a', { queue: 'calibration', sampled: true }),
      variant(base, 'cal-b', { queue: 'calibration', sampled: true }),
    ]);
    raters = await Promise.all([1, 2, 3, 4].map((k) => login(app, `cal-r${k}-${backend}`, 'reviewer')));
    supervisor = await login(app, `cal-sup-${backend}`, 'supervisor');
  });
  afterAll(() => app.cleanup());

  it('each calibration item is reviewed independently by 3 reviewers; agreement and kappas are reported', async () => {
    const decide = [
      () => 'confirmed' as const,
      (f: { ruleId: string }) =>
        (f.ruleId === 'first-response' ? 'rejected' : 'confirmed') as 'confirmed' | 'rejected',
      (f: { ruleId: string }) =>
        (f.ruleId === 'forbidden-phrase' ? 'rejected' : 'confirmed') as 'confirmed' | 'rejected',
    ];
    const labels: Record<number, Map<number, string>> = { 0: new Map(), 1: new Map(), 2: new Map() };
    for (let round = 0; round < 2; round++) {
      for (let k = 0; k < 3; k++) {
        const done = await reviewNext(raters[k]!, 'calibration', decide[k]);
        expect(done).not.toBeNull();
        for (const f of done!.item.findings) labels[k]!.set(f.id, decide[k]!(f));
        // Independence: a rater sees only their own calibration review, never a colleague's verdicts.
        const seen = (await raters[k]!.get(`/api/items/${done!.itemId}`)).body;
        expect(seen.reviews.every((r: { reviewerId: number }) => r.reviewerId === raters[k]!.user.id)).toBe(
          true,
        );
      }
    }
    // Each rater reviewed both items; nobody gets a third, and a fourth rater gets nothing: 3 each.
    expect((await raters[0]!.send('POST', '/api/claims', { queue: 'calibration' })).body.claim).toBeNull();
    expect((await raters[3]!.send('POST', '/api/claims', { queue: 'calibration' })).body.claim).toBeNull();

    const report = (await supervisor.get('/api/calibration')).body;
    expect(report.items.map((i: { submitted: number; status: string }) => [i.submitted, i.status])).toEqual([
      [3, 'reviewed'],
      [3, 'reviewed'],
    ]);
    expect(report.pairs).toHaveLength(3);
    const names = [1, 2, 3].map((k) => `cal-r${k}-${backend}`);
    for (const pair of report.pairs) {
      const [a, b] = pair.raters.map((n: string) => names.indexOf(n));
      const both = [...labels[a]!.keys()].map(
        (id) => [labels[a]!.get(id)!, labels[b]!.get(id)!] as [string, string],
      );
      expect(pair.n).toBe(both.length);
      expect(pair.kappa).toBe(cohenKappa(both));
      expect(pair.agreement).toBeCloseTo(both.filter(([x, y]) => x === y).length / both.length, 4);
    }
    expect(report.fleiss.raters).toBe(3);
    expect(report.fleiss.subjects).toBe(labels[0]!.size);
    expect(report.fleiss.kappa).toBeLessThan(1);

    const one = (await supervisor.get(`/api/calibration/${report.items[0].itemId}`)).body;
    const fr = one.findings.find((f: { ruleId: string }) => f.ruleId === 'first-response');
    expect(fr).toMatchObject({ confirmed: 2, rejected: 1, unanimous: false });
    expect(fr.agreement).toBeCloseTo(1 / 3, 4);
    const greeting = one.findings.find((f: { ruleId: string }) => f.ruleId === 'greeting');
    expect(greeting).toMatchObject({ confirmed: 3, agreement: 1, unanimous: true });
    expect((await raters[0]!.get('/api/calibration')).status).toBe(403);
  });

  it('a supervisor picks a reviewed item for calibration; more reviewers review it, the outcome stays', async () => {
    const { items } = await sampleItems();
    const [id] = await ingest(app, [
      variant(items.find((i) => i.conversationId === 'chat-zh-005')!, 'cal-pick', { queue: 'picked' }),
    ]);
    const first = (await reviewNext(raters[0]!, 'picked'))!;
    expect(first.itemId).toBe(id);
    expect((await raters[1]!.send('POST', '/api/calibration', { itemId: id })).status).toBe(403);
    const pick = await supervisor.send('POST', '/api/calibration', { itemId: id, reviewers: 2 });
    expect(pick.body).toMatchObject({ calibrationTarget: 2, submitted: 1, status: 'pending' });
    // The first reviewer already reviewed it; another one gets it.
    expect((await raters[0]!.send('POST', '/api/claims', { queue: 'picked' })).body.claim).toBeNull();
    const second = (await reviewNext(raters[1]!, 'picked', () => 'rejected'))!;
    expect(second.itemId).toBe(id);
    const item = (await supervisor.get(`/api/items/${id}`)).body;
    expect(item.status).toBe('reviewed');
    expect(item.final.score).toBe(first.result.score);
    expect(item.reviews.map((r: { kind: string }) => r.kind)).toEqual(['primary', 'calibration']);
  });
});
