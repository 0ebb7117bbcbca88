import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe.each(BACKENDS)('appeals (申诉) on %s', (backend) => {
  let app: TestApp;
  let reviewer: Client;
  let supervisor: Client;
  let agent: Client;
  let other: Client;
  let reviewed: { itemId: number; result: { score: number } };
  let unreviewedId: number;
  let othersItemId: number;

  beforeAll(async () => {
    app = await startApp(backend, { REVIEW_APPEAL_WINDOW_DAYS: '7' });
    const { items } = await sampleItems();
    const base = items.find((i) => i.conversationId === 'chat-zh-002')!;
    const ids = await ingest(app, [
      variant(base, 'ap-mine', { agentId: 'agent-mine', queue: 'mine' }),
      variant(base, 'ap-mine-2', { agentId: 'agent-mine', queue: 'mine-later' }),
      variant(base, 'ap-other', { agentId: 'agent-other', queue: 'other' }),
    ]);
    unreviewedId = ids[1]!;
    reviewer = await login(app, `ap-rev-${backend}`, 'reviewer');
    supervisor = await login(app, `ap-sup-${backend}`, 'supervisor');
    agent = await login(app, `ap-agent-${backend}`, 'agent', { agentId: 'agent-mine' });
    other = await login(app, `ap-other-${backend}`, 'agent', { agentId: 'agent-other' });
    reviewed = (await reviewNext(reviewer, 'mine'))!;
    othersItemId = (await reviewNext(reviewer, 'other'))!.itemId;
  });
  afterAll(() => app.cleanup());

  it('an agent sees only their own reviewed items; another agent gets 403', async () => {
    const mine = (await agent.get('/api/items')).body;
    expect(mine.items.map((i: { id: number }) => i.id)).toEqual([reviewed.itemId]);
    const detail = await agent.get(`/api/items/${reviewed.itemId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.final.score).toBe(reviewed.result.score);
    // Reviewer identities and review internals are not shown to agents.
    expect(detail.body.reviews).toEqual([]);
    expect((await other.get(`/api/items/${reviewed.itemId}`)).status).toBe(403);
    expect((await agent.get(`/api/items/${othersItemId}`)).status).toBe(403);
    // Own but not reviewed yet: not visible.
    expect((await agent.get(`/api/items/${unreviewedId}`)).status).toBe(404);
    // Agents cannot claim, list queues or read reports.
    expect((await agent.send('POST', '/api/claims', {})).status).toBe(403);
    expect((await agent.get('/api/queues')).status).toBe(403);
    expect((await agent.get('/api/reports')).status).toBe(403);
  });

  it('an agent appeals once; a reviewer cannot rule; a supervisor overturns per finding; the score is recomputed', async () => {
    expect(
      (await other.send('POST', `/api/items/${reviewed.itemId}/appeals`, { reason: 'not mine' })).status,
    ).toBe(403);
    expect(
      (await reviewer.send('POST', `/api/items/${reviewed.itemId}/appeals`, { reason: 'x' })).status,
    ).toBe(403);
    const appeal = await agent.send('POST', `/api/items/${reviewed.itemId}/appeals`, {
      reason: '客户先说的这句话,我只是复述',
    });
    expect(appeal.status).toBe(200);
    const twice = await agent.send('POST', `/api/items/${reviewed.itemId}/appeals`, { reason: 'again' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('QA_ERR_REVIEW_APPEAL_CLOSED');

    const detail = (await supervisor.get(`/api/items/${reviewed.itemId}`)).body;
    const confirmed = detail.findings.filter((f: { final: string }) => f.final === 'confirmed');
    const target = confirmed.find((f: { ruleId: string }) => f.ruleId === 'first-response');
    const ruling = {
      decisions: [{ findingId: target.id, decision: 'overturn' }],
      note: 'customer was on hold',
    };

    const byReviewer = await reviewer.send('POST', `/api/appeals/${appeal.body.id}/ruling`, ruling);
    expect(byReviewer.status).toBe(403);
    expect(byReviewer.body.error.code).toBe('QA_ERR_REVIEW_FORBIDDEN');
    expect((await reviewer.get(`/api/appeals/${appeal.body.id}`)).status).toBe(403);
    expect((await agent.send('POST', `/api/appeals/${appeal.body.id}/ruling`, ruling)).status).toBe(403);
    const noCsrf = await supervisor.send('POST', `/api/appeals/${appeal.body.id}/ruling`, ruling, {
      csrf: null,
    });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.code).toBe('QA_ERR_REVIEW_CSRF');

    const ruled = await supervisor.send('POST', `/api/appeals/${appeal.body.id}/ruling`, ruling);
    expect(ruled.status).toBe(200);
    expect(ruled.body.status).toBe('partial');
    expect(ruled.body.scoreAfter).toBe(reviewed.result.score + target.points);
    expect((await supervisor.send('POST', `/api/appeals/${appeal.body.id}/ruling`, ruling)).status).toBe(409);

    // The agent sees the ruling and the new score.
    const seen = (await agent.get(`/api/appeals/${appeal.body.id}`)).body;
    expect(seen.status).toBe('partial');
    expect(seen.ruling).toMatchObject({ note: 'customer was on hold', scoreBefore: reviewed.result.score });
    expect(seen.ruling.decisions).toContainEqual({ findingId: target.id, decision: 'overturn' });
    const after = (await agent.get(`/api/items/${reviewed.itemId}`)).body;
    expect(after.final.score).toBe(ruled.body.scoreAfter);
    expect(after.appeal.id).toBe(appeal.body.id);
    expect(after.findings.find((f: { id: number }) => f.id === target.id).final).toBe('rejected');
    expect((await other.get(`/api/appeals/${appeal.body.id}`)).status).toBe(403);
    expect((await other.get('/api/appeals')).body).toEqual([]);
    expect((await agent.get('/api/appeals')).body.map((a: { id: number }) => a.id)).toEqual([appeal.body.id]);
    const audit = (await supervisor.get(`/api/items/${reviewed.itemId}/audit`)).body;
    const rule = audit.find((x: { action: string }) => x.action === 'appeal.rule');
    expect(rule.before.score).toBe(reviewed.result.score);
    expect(rule.after).toMatchObject({ status: 'partial', overturned: [target.id] });
  });

  it('refuses an appeal after the window', async () => {
    const late = await startApp(backend, { REVIEW_APPEAL_WINDOW_DAYS: '0' });
    try {
      const { items } = await sampleItems();
      await ingest(late, [
        variant(items.find((i) => i.conversationId === 'chat-zh-002')!, 'late', { agentId: 'agent-late' }),
      ]);
      const r = await login(late, 'late-rev', 'reviewer');
      const done = (await reviewNext(r, undefined))!;
      const a = await login(late, 'late-agent', 'agent', { agentId: 'agent-late' });
      const res = await a.send('POST', `/api/items/${done.itemId}/appeals`, { reason: 'too late' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('QA_ERR_REVIEW_APPEAL_CLOSED');
    } finally {
      await late.cleanup();
    }
  });
});
