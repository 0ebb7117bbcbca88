import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, ingest, login, sampleItems, startApp, type TestApp, variant } from './helpers.js';

describe.each(BACKENDS)('queues and claims on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp(backend, { REVIEW_LEASE_SECONDS: '2' });
    const { items } = await sampleItems();
    const queued = items.filter((i) => i.queue !== 'clean');
    // 40 items across the sample queues, two agents per team.
    await ingest(
      app,
      Array.from({ length: 40 }, (_, k) =>
        variant(queued[k % queued.length]!, `claim-${k}`, { agentTeam: k % 2 ? 'team-a' : 'team-b' }),
      ),
    );
  });
  afterAll(() => app.cleanup());

  it('lists queues with counts and the oldest unclaimed age, items in priority order with filters', async () => {
    const r = await login(app, `r-list-${backend}`, 'reviewer');
    const queues = (await r.get('/api/queues')).body;
    const names = queues.map((q: { queue: string }) => q.queue);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('fatal');
    const total = queues.reduce((s: number, q: { unclaimed: number }) => s + q.unclaimed, 0);
    expect(total).toBe(40);
    for (const q of queues) expect(q.oldestUnclaimedAgeSeconds).toBeGreaterThanOrEqual(0);

    const list = (await r.get('/api/items?limit=200')).body;
    expect(list.total).toBe(40);
    const keys = list.items.map((i: { machine: { fatal: boolean; score: number } }) => [
      i.machine.fatal ? 0 : 1,
      i.machine.score,
    ]);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(keys).toEqual(sorted);
    expect(list.items[0].machine.fatal).toBe(true);

    const teamA = (await r.get('/api/items?team=team-a&limit=200')).body;
    expect(teamA.total).toBe(20);
    const byRule = (await r.get('/api/items?rule=first-response&limit=200')).body;
    expect(byRule.total).toBeGreaterThan(0);
    for (const i of byRule.items) expect(i.rules).toContain('first-response');
    const byAgent = (await r.get('/api/items?agent=a-1003&limit=200')).body;
    for (const i of byAgent.items) expect(i.agentId).toBe('a-1003');
    const future = (await r.get('/api/items?from=2099-01-01')).body;
    expect(future.total).toBe(0);
    const bad = await r.get('/api/items?limit=100000');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('QA_ERR_REVIEW_BAD_REQUEST');
  });

  it('claims the next item by priority; two reviewers never get the same item, even at once', async () => {
    const reviewers = await Promise.all(
      Array.from({ length: 8 }, (_, k) => login(app, `r-race-${backend}-${k}`, 'reviewer')),
    );
    const first = await reviewers[0]!.send('POST', '/api/claims', { queue: 'fatal' });
    expect(first.status).toBe(200);
    const fatalItem = (await reviewers[0]!.get(`/api/items/${first.body.claim.itemId}`)).body;
    expect(fatalItem.machine.fatal).toBe(true);
    await reviewers[0]!.send('POST', `/api/reviews/${first.body.claim.reviewId}/release`);

    // 8 reviewers × 3 concurrent claims: 24 claims, all distinct items.
    const claims = await Promise.all(
      reviewers.flatMap((r) => [0, 1, 2].map(() => r.send('POST', '/api/claims', {}))),
    );
    const itemIds = claims.map((c) => c.body.claim.itemId);
    expect(claims.every((c) => c.status === 200)).toBe(true);
    expect(new Set(itemIds).size).toBe(24);
    const queues = (await reviewers[0]!.get('/api/queues')).body;
    expect(queues.reduce((s: number, q: { claimed: number }) => s + q.claimed, 0)).toBe(24);
    // The other reviewers' claimed items are not offered again.
    const more = await Promise.all(
      Array.from({ length: 16 }, () => reviewers[1]!.send('POST', '/api/claims', {})),
    );
    const moreIds = more.map((c) => c.body.claim?.itemId).filter(Boolean);
    expect(moreIds).toHaveLength(16);
    for (const id of moreIds) expect(itemIds).not.toContain(id);
    const empty = await reviewers[2]!.send('POST', '/api/claims', {});
    expect(empty.body.claim).toBeNull();
    // Release everything for the next test.
    await Promise.all(
      claims.map((c, k) =>
        reviewers[Math.floor(k / 3)]!.send('POST', `/api/reviews/${c.body.claim.reviewId}/release`),
      ),
    );
    await Promise.all(
      more.map((c) => reviewers[1]!.send('POST', `/api/reviews/${c.body.claim.reviewId}/release`)),
    );
  });

  it('leases expire, can be renewed, and a lost lease refuses changes', async () => {
    const a = await login(app, `r-lease-a-${backend}`, 'reviewer');
    const b = await login(app, `r-lease-b-${backend}`, 'reviewer');
    const claim = (await a.send('POST', '/api/claims', { queue: 'fatal' })).body.claim;
    const renewed = await a.send('POST', `/api/reviews/${claim.reviewId}/renew`);
    expect(renewed.status).toBe(200);
    expect(Date.parse(renewed.body.leaseExpiresAt)).toBeGreaterThanOrEqual(Date.parse(claim.leaseExpiresAt));
    // B cannot renew or release A's review.
    expect((await b.send('POST', `/api/reviews/${claim.reviewId}/renew`)).status).toBe(403);
    await new Promise((r) => setTimeout(r, 2300));
    // Expired: B may claim the same item now (it is first in priority), A's lease is lost.
    const taken = (await b.send('POST', '/api/claims', { queue: 'fatal' })).body.claim;
    expect(taken.itemId).toBe(claim.itemId);
    const lost = await a.send('PUT', `/api/reviews/${claim.reviewId}/verdicts/1`, { verdict: 'confirmed' });
    expect(lost.status).toBe(409);
    expect(lost.body.error.code).toBe('QA_ERR_REVIEW_LEASE_LOST');
    expect((await a.send('POST', `/api/reviews/${claim.reviewId}/renew`)).body.error.code).toBe(
      'QA_ERR_REVIEW_LEASE_LOST',
    );
    const audit = await app.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE item_id = $1 AND action LIKE 'review.%' ORDER BY id`,
      [claim.itemId],
    );
    expect(audit.map((x) => x.action)).toEqual(expect.arrayContaining(['review.claim', 'review.expire']));
    await b.send('POST', `/api/reviews/${taken.reviewId}/release`);
  });

  it('shows the daily quota (seed 001: 20 a day) without enforcing it', async () => {
    const r = await login(app, `r-quota-${backend}`, 'reviewer');
    const me = (await r.get('/api/me')).body;
    expect(me.quota).toEqual({ daily: 20, today: 0, remaining: 20, enforced: false });
    expect(me.csrfToken).toBe(r.csrf);
  });
});
