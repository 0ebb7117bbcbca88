import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KEYS } from '../../src/review/keys.js';
import { findPii, type PiiKind } from '../../src/text/pii.js';
import {
  BACKENDS,
  ingest,
  login,
  reviewNext,
  sampleItems,
  startApp,
  type TestApp,
  variant,
} from './helpers.js';

const ALL_KINDS: ReadonlySet<PiiKind> = new Set(['cn_id', 'cn_mobile', 'bank_card', 'email']);

describe.each(BACKENDS)('API auth, roles and hygiene on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp(backend, { REVIEW_LOGIN_MAX_ATTEMPTS: '3', REVIEW_BODY_LIMIT_BYTES: '4096' });
  });
  afterAll(() => app.cleanup());

  it('every route but login, health and the OpenAPI document answers 401 without a session', async () => {
    const doc = (await app.server.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const operations = Object.entries(
      doc.paths as Record<string, Record<string, { 'x-roles': string[] }>>,
    ).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, roles: op['x-roles'] })),
    );
    expect(operations.length).toBeGreaterThan(25);
    for (const op of operations) {
      expect(op.roles.length, `${op.method} ${op.path}`).toBeGreaterThan(0);
      if (op.roles.includes('public')) continue;
      const url = op.path.replace(/\{\w+\}/g, '1');
      const res = await app.server.inject({
        method: op.method.toUpperCase() as 'GET',
        url,
        payload: op.method === 'get' ? undefined : {},
      });
      expect(res.statusCode, `${op.method} ${op.path}`).toBe(401);
      expect(res.json().error.code).toBe('QA_ERR_REVIEW_UNAUTHENTICATED');
    }
    expect(
      operations
        .filter((o) => o.roles.includes('public'))
        .map((o) => `${o.method} ${o.path}`)
        .sort(),
    ).toEqual(['get /api/openapi.json', 'get /healthz', 'post /api/login']);
  });

  it('sets an HttpOnly SameSite=Strict session cookie; state changes need the CSRF token', async () => {
    const { createUser } = await import('../../src/review/auth.js');
    await createUser(
      app.db,
      { username: 'cookie-user', password: 'cookie-password-1', role: 'reviewer' },
      null,
    );
    const res = await app.server.inject({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'cookie-user', password: 'cookie-password-1' },
    });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/qa_review_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    const r = await login(app, `csrf-${backend}`, 'reviewer');
    const wrong = await r.send('POST', '/api/claims', {}, { csrf: 'not-the-token' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('QA_ERR_REVIEW_CSRF');
    expect((await r.send('POST', '/api/claims', {}, { csrf: null })).status).toBe(403);
    expect((await r.send('POST', '/api/claims', {})).status).toBe(200);
    // Logout ends the session.
    expect((await r.send('POST', '/api/logout')).status).toBe(200);
    expect((await r.get('/api/me')).status).toBe(401);
  });

  it("each user moves the item page's keys for themselves; bad maps are refused by field", async () => {
    const r = await login(app, `keys-${backend}`, 'reviewer');
    const other = await login(app, `keys-other-${backend}`, 'reviewer');
    expect((await r.get('/api/me')).body.keys).toEqual(DEFAULT_KEYS);
    const moved = { ...DEFAULT_KEYS, next: 'l', previous: 'h', confirm: ';' };
    const put = await r.send('PUT', '/api/me/keys', moved);
    expect(put.status).toBe(200);
    expect(put.body.keys).toEqual(moved);
    expect((await r.get('/api/me')).body.keys).toEqual(moved);
    expect((await other.get('/api/me')).body.keys).toEqual(DEFAULT_KEYS);
    // A state change like any other: the CSRF token is required.
    expect((await r.send('PUT', '/api/me/keys', DEFAULT_KEYS, { csrf: null })).status).toBe(403);

    const refused = async (body: Record<string, unknown>) => {
      const res = await r.send('PUT', '/api/me/keys', body);
      expect(res.status).toBe(400);
      return (res.body.error.details as string[]).join('\n');
    };
    expect(await refused({ ...moved, confirm: 'l' })).toMatch(/each action needs a key of its own/);
    expect(await refused({ ...moved, reject: '1' })).toMatch(/^body\.reject:/m); // 1–6 choose reasons
    expect(await refused({ ...moved, reject: '?' })).toMatch(/^body\.reject:/m);
    expect(await refused({ ...moved, add: 'A' })).toMatch(/^body\.add:/m);
    expect(await refused({ ...moved, add: 'ab' })).toMatch(/^body\.add:/m);
    const { comment: _, ...missing } = moved;
    expect(await refused(missing)).toMatch(/^body\.comment:/m);
    expect(await refused({ ...moved, dance: 'q' })).toMatch(/dance/);
    expect((await r.get('/api/me')).body.keys).toEqual(moved);

    // Back to the defaults: nothing kept but the audit trail.
    expect((await r.send('PUT', '/api/me/keys', DEFAULT_KEYS)).body.keys).toEqual(DEFAULT_KEYS);
    const [row] = await app.db.query<{ keys: unknown }>('SELECT keys FROM users WHERE username = $1', [
      `keys-${backend}`,
    ]);
    expect(row!.keys).toBeNull();
    const audits = await app.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.keys' AND user_id = $1`,
      [r.user.id],
    );
    expect(audits[0]!.n).toBe(2);
  });

  it('role boundaries: reviewer, agent and supervisor each get 403 outside their role', async () => {
    const reviewer = await login(app, `roles-r-${backend}`, 'reviewer');
    const agent = await login(app, `roles-a-${backend}`, 'agent', { agentId: 'roles-agent' });
    const supervisor = await login(app, `roles-s-${backend}`, 'supervisor');
    const admin = await login(app, `roles-admin-${backend}`, 'admin');
    const forbidden = async (c: typeof reviewer, method: 'GET' | 'POST', url: string, body: unknown = {}) => {
      const res = method === 'GET' ? await c.get(url) : await c.send(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.body.error.code).toBe('QA_ERR_REVIEW_FORBIDDEN');
    };
    await forbidden(reviewer, 'GET', '/api/reports');
    await forbidden(reviewer, 'GET', '/api/rules/quality');
    await forbidden(reviewer, 'GET', '/api/users');
    await forbidden(reviewer, 'POST', '/api/users', {
      username: 'x',
      password: 'yyyyyyyyyyyy',
      role: 'admin',
    });
    await forbidden(reviewer, 'POST', '/api/appeals/1/ruling', { decisions: [] });
    await forbidden(reviewer, 'POST', '/api/calibration', { itemId: 1 });
    await forbidden(agent, 'POST', '/api/claims');
    await forbidden(agent, 'POST', '/api/items/1/comments', { body: 'x' });
    await forbidden(agent, 'GET', '/api/calibration');
    await forbidden(supervisor, 'POST', '/api/users', {
      username: 'x',
      password: 'yyyyyyyyyyyy',
      role: 'admin',
    });
    await forbidden(admin, 'POST', '/api/appeals/1/ruling', { decisions: [] });
    const created = await admin.send('POST', '/api/users', {
      username: `made-${backend}`,
      password: 'a-long-password',
      role: 'agent',
      agentId: `made-agent-${backend}`,
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ role: 'agent', agentId: `made-agent-${backend}` });
    expect(JSON.stringify(created.body)).not.toContain('password');
  });

  it('limits login attempts per client and per user (429 with retry-after)', async () => {
    const { createUser } = await import('../../src/review/auth.js');
    await createUser(app.db, { username: 'limited', password: 'the-right-password', role: 'reviewer' }, null);
    const attempt = (password: string) =>
      app.server.inject({
        method: 'POST',
        url: '/api/login',
        payload: { username: 'limited', password },
        remoteAddress: '10.9.9.9',
      });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong-password')).statusCode).toBe(401);
    const blocked = await attempt('the-right-password');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('QA_ERR_REVIEW_RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // An unknown user fails the same way as a wrong password.
    const unknown = await app.server.inject({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'nobody', password: 'whatever-123' },
      remoteAddress: '10.9.9.10',
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('QA_ERR_REVIEW_LOGIN_FAILED');
  });

  it('rejects oversized and malformed bodies with catalogue errors', async () => {
    const r = await login(app, `limits-${backend}`, 'reviewer');
    const big = await r.send('POST', '/api/items/1/comments', { body: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ code: 'QA_ERR_REVIEW_TOO_LARGE', retriable: false });
    const unknownField = await r.send('POST', '/api/claims', { queue: 'x', surprise: 1 });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.details.join(' ')).toMatch(/body/);
    expect((await r.get('/api/items/abc')).status).toBe(400);
    expect((await r.get('/api/items/999999')).status).toBe(404);
    expect((await r.get('/api/nothing-here')).status).toBe(404);
  });

  it('never logs transcript text, personal data or passwords', async () => {
    const { items, transcripts } = await sampleItems();
    const withPii = items.find((i) => i.conversationId === 'chat-zh-006')!;
    await ingest(app, [variant(withPii, 'log-pii', { queue: 'log-pii' })]);
    const reviewer = await login(app, `logs-${backend}`, 'reviewer');
    const done = (await reviewNext(reviewer, 'log-pii'))!;
    await reviewer.send('POST', `/api/items/${done.itemId}/comments`, {
      body: 'comment text stays out of logs',
    });
    await app.server.inject({
      method: 'POST',
      url: '/api/login',
      payload: { username: 'x', password: 'secret-guess-42' },
    });
    const logs = app.logs.text();
    expect(logs).toContain('"event":"review.request"');
    const original = transcripts.get('chat-zh-006') as { turns: Array<{ text: string }> };
    for (const turn of original.turns) expect(logs).not.toContain(turn.text);
    for (const turn of done.item.conversation.turns) expect(logs).not.toContain(turn.text);
    for (const f of done.item.findings) if (f.text) expect(logs).not.toContain(f.text);
    expect(logs).not.toContain('comment text stays out of logs');
    expect(logs).not.toContain('secret-guess-42');
    expect(logs).not.toContain(`pw-logs-${backend}`);
    // The sample's phone and ID numbers, as the detector finds them in the raw turns.
    const pii = original.turns.flatMap((t) =>
      findPii(t.text, ALL_KINDS).map((m) => t.text.slice(m.start, m.end)),
    );
    expect(pii.length).toBeGreaterThan(0);
    for (const value of pii) expect(logs).not.toContain(value);
  });

  it('serves an OpenAPI document built from the same schemas', async () => {
    const doc = (await app.server.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const verdict = doc.paths['/api/reviews/{id}/verdicts/{findingId}'].put;
    expect(verdict['x-roles']).toEqual(['reviewer', 'supervisor']);
    expect(verdict.requestBody.content['application/json'].schema.properties.verdict.enum).toEqual([
      'confirmed',
      'rejected',
    ]);
    expect(doc.paths['/api/items'].get.parameters.map((p: { name: string }) => p.name)).toContain('rule');
  });
});
