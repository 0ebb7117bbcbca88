import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, defaultWebDir } from '../../src/review/http.js';
import { BACKENDS, ingest, login, sampleItems, startApp, type TestApp, variant } from './helpers.js';

/** What the web pages need from the server: the built files with their headers, and the routes added for them. */
describe.each(BACKENDS)('web app routes on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp(backend);
  });
  afterAll(() => app.cleanup());

  it('serves the built pages: index revalidated, hashed assets immutable, CSP and no-framing on every response', async () => {
    const index = await app.server.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['x-frame-options']).toBe('DENY');
    // No inline script and nothing from another origin.
    expect(index.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(index.body).not.toMatch(/(src|href)="(https?:)?\/\//);

    const js = readdirSync(join(defaultWebDir(), 'assets')).find((f) => f.endsWith('.js'))!;
    const asset = await app.server.inject({ method: 'GET', url: `/assets/${js}` });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const api = await app.server.inject({ method: 'GET', url: '/api/me' });
    expect(api.statusCode).toBe(401);
    expect(api.headers['content-security-policy']).toBeDefined();
    // Unknown paths are still the catalogue's 404, not a page.
    const missing = await app.server.inject({ method: 'GET', url: '/nope.html' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('QA_ERR_REVIEW_NOT_FOUND');
  });

  it('without a build, / says how to make one', async () => {
    const server = await buildServer({
      db: app.db,
      auth: app.auth,
      service: app.service,
      analytics: app.analytics,
      metrics: app.metrics,
      settings: app.settings,
      logger: app.logs.logger,
      webDir: join(defaultWebDir(), 'not-built'),
    });
    const res = await server.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
    await server.close();
  });

  it("GET /api/items/:id/rules lists the item's pipeline rules for staff, not for agents", async () => {
    const { items } = await sampleItems();
    const [id] = await ingest(app, [variant(items[1]!, `rules-${backend}`, { agentId: 'a-rules' })]);
    const reviewer = await login(app, `rules-rev-${backend}`, 'reviewer');
    const res = await reviewer.get(`/api/items/${id}/rules`);
    expect(res.status).toBe(200);
    const ids = res.body.map((r: { id: string }) => r.id);
    const pipeline = app.catalog.get(items[1]!.pipeline.id)!;
    expect(ids).toEqual(pipeline.rules.map((r) => r.id));
    const greeting = res.body.find((r: { id: string }) => r.id === 'greeting');
    expect(greeting).toEqual({
      id: 'greeting',
      type: 'required-phrase',
      category: 'service-language',
      severity: 'minor',
      points: 2,
    });
    const agent = await login(app, `rules-agent-${backend}`, 'agent', { agentId: 'a-rules' });
    expect((await agent.get(`/api/items/${id}/rules`)).status).toBe(403);
    expect((await reviewer.get('/api/items/999999/rules')).status).toBe(404);
  });

  it("GET /api/reviews/:id/preview is the open review's live score, for its reviewer only", async () => {
    const { items } = await sampleItems();
    const agentId = `a-preview-${backend}`;
    const [id] = await ingest(app, [variant(items[1]!, `preview-${backend}`, { agentId })]);
    const r = await login(app, `prev-rev-${backend}`, 'reviewer');
    const claim = (await r.send('POST', '/api/claims', { agent: agentId })).body.claim;
    expect(claim.itemId).toBe(id);
    const item = (await r.get(`/api/items/${id}`)).body;
    const first = await r.get(`/api/reviews/${claim.reviewId}/preview`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ reviewId: claim.reviewId, itemId: id });
    expect(first.body.preview.score).toBe(item.machine.score);

    const f = item.findings.find((x: { points: number }) => x.points > 0);
    const put = await r.send('PUT', `/api/reviews/${claim.reviewId}/verdicts/${f.id}`, {
      verdict: 'rejected',
      reason: 'false_positive',
    });
    const after = await r.get(`/api/reviews/${claim.reviewId}/preview`);
    expect(after.body.preview).toEqual(put.body.preview);
    expect(after.body.preview.score).toBeGreaterThan(item.machine.score);

    const other = await login(app, `prev-other-${backend}`, 'reviewer');
    expect((await other.get(`/api/reviews/${claim.reviewId}/preview`)).status).toBe(403);
    await r.send('POST', `/api/reviews/${claim.reviewId}/release`);
    const released = await r.get(`/api/reviews/${claim.reviewId}/preview`);
    expect(released.status).toBe(409);
    expect(released.body.error.code).toBe('QA_ERR_REVIEW_LEASE_LOST');
  });

  it('GET /api/ops carries items screened per minute and the same queue gauges /metrics exposes', async () => {
    const { items } = await sampleItems();
    const now = new Date().toISOString();
    await ingest(app, [
      variant(items[1]!, `ops-a-${backend}`, { screenedAt: now, queue: 'ops-queue' }),
      variant(items[1]!, `ops-b-${backend}`, { screenedAt: now, queue: 'ops-queue' }),
    ]);
    const sup = await login(app, `ops-sup-${backend}`, 'supervisor');
    const ops = (await sup.get('/api/ops')).body;
    const minute = `${now.slice(0, 16)}:00.000Z`;
    const recent = ops.screenedPerMinute.find((m: { minute: string }) => m.minute === minute);
    expect(recent?.items).toBeGreaterThanOrEqual(2);
    const depth = ops.metrics.queueDepth.find(
      (d: { queue: string; state: string }) => d.queue === 'ops-queue' && d.state === 'unclaimed',
    );
    expect(depth.value).toBe(2);
    const text = (await sup.get('/metrics')).text;
    expect(text).toContain('qa_review_queue_depth{queue="ops-queue",state="unclaimed"} 2');
    expect(ops.metrics.oldestUnclaimedSeconds.some((a: { queue: string }) => a.queue === 'ops-queue')).toBe(
      true,
    );
  });
});
