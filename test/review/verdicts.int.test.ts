import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, ingest, login, sampleItems, startApp, type TestApp, variant } from './helpers.js';

describe.each(BACKENDS)('verdicts, added findings and recomputed scores on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp(backend);
  });
  afterAll(() => app.cleanup());

  async function claimOne(id: string, source = 'chat-zh-002') {
    const { items } = await sampleItems();
    const agent = `agent-${id}`;
    const [itemId] = await ingest(app, [
      variant(items.find((i) => i.conversationId === source)!, id, { agentId: agent }),
    ]);
    const r = await login(app, `rev-${id}-${backend}`, 'reviewer');
    const claim = (await r.send('POST', '/api/claims', { agent })).body.claim;
    expect(claim.itemId).toBe(itemId);
    const item = (await r.get(`/api/items/${itemId}`)).body;
    return { r, claim, item, itemId };
  }

  it('confirming every finding reproduces the machine score; rejecting them all scores 100 with the bonus', async () => {
    const a = await claimOne('all-confirm');
    for (const f of a.item.findings) {
      const res = await a.r.send('PUT', `/api/reviews/${a.claim.reviewId}/verdicts/${f.id}`, {
        verdict: 'confirmed',
      });
      expect(res.status).toBe(200);
    }
    const done = await a.r.send('POST', `/api/reviews/${a.claim.reviewId}/submit`);
    expect(done.status).toBe(200);
    expect(done.body.score).toBe(a.item.machine.score);
    expect(done.body.passed).toBe(false);

    const b = await claimOne('all-reject');
    let last: { body: { preview: { score: number } } } | undefined;
    for (const f of b.item.findings) {
      last = await b.r.send('PUT', `/api/reviews/${b.claim.reviewId}/verdicts/${f.id}`, {
        verdict: 'rejected',
        reason: 'false_positive',
      });
    }
    // The live preview follows the verdicts.
    expect(last!.body.preview.score).toBe(100);
    const done2 = await b.r.send('POST', `/api/reviews/${b.claim.reviewId}/submit`);
    expect(done2.body).toMatchObject({ score: 100, passed: true, fatal: false });
    expect(done2.body.bonuses.map((x: { id: string }) => x.id)).toEqual(['standard-language']);
    const after = (await b.r.get(`/api/items/${b.itemId}`)).body;
    expect(after.status).toBe('reviewed');
    expect(after.final.score).toBe(100);
    expect(after.findings.every((f: { final: string }) => f.final === 'rejected')).toBe(true);
  });

  it('rejecting one finding gives back exactly its points (outside any cap)', async () => {
    const a = await claimOne('one-rejected');
    for (const f of a.item.findings) {
      const reject = f.ruleId === 'first-response';
      await a.r.send('PUT', `/api/reviews/${a.claim.reviewId}/verdicts/${f.id}`, {
        verdict: reject ? 'rejected' : 'confirmed',
        ...(reject && { reason: 'transcription_error' }),
      });
    }
    const gained = a.item.findings.find((f: { ruleId: string }) => f.ruleId === 'first-response').points;
    const done = await a.r.send('POST', `/api/reviews/${a.claim.reviewId}/submit`);
    expect(done.body.score).toBe(a.item.machine.score + gained);
  });

  it('an item tells its reviewer the reason they last gave for each of its rules, from any item', async () => {
    const a = await claimOne('reasons-1');
    const rule = 'first-response';
    const target = a.item.findings.find((f: { ruleId: string }) => f.ruleId === rule);
    expect(a.item.rejectReasons).toEqual({});
    for (const reason of ['transcription_error', 'policy_exception']) {
      const res = await a.r.send('PUT', `/api/reviews/${a.claim.reviewId}/verdicts/${target.id}`, {
        verdict: 'rejected',
        reason,
      });
      expect(res.status).toBe(200);
    }
    // A confirmed finding of another rule leaves that rule at the default (absent).
    const other = a.item.findings.find((f: { ruleId: string }) => f.ruleId !== rule);
    await a.r.send('PUT', `/api/reviews/${a.claim.reviewId}/verdicts/${other.id}`, { verdict: 'confirmed' });

    const { items } = await sampleItems();
    const [second] = await ingest(app, [
      variant(items.find((i) => i.conversationId === 'chat-zh-002')!, 'reasons-2', {
        agentId: 'agent-reasons-2',
      }),
    ]);
    const mine = (await a.r.get(`/api/items/${second}`)).body;
    expect(mine.rejectReasons).toEqual({ [rule]: 'policy_exception' });
    const colleague = await login(app, `rev-reasons-other-${backend}`, 'reviewer');
    expect((await colleague.get(`/api/items/${second}`)).body.rejectReasons).toEqual({});
  });

  it('a fatal finding fails the item whatever the score (veto); rejecting it passes the item', async () => {
    const a = await claimOne('fatal-keep', 'chat-zh-004');
    for (const f of a.item.findings) {
      await a.r.send('PUT', `/api/reviews/${a.claim.reviewId}/verdicts/${f.id}`, { verdict: 'confirmed' });
    }
    const kept = await a.r.send('POST', `/api/reviews/${a.claim.reviewId}/submit`);
    expect(kept.body).toMatchObject({ fatal: true, passed: false });

    const b = await claimOne('fatal-reject', 'chat-zh-004');
    for (const f of b.item.findings) {
      await b.r.send('PUT', `/api/reviews/${b.claim.reviewId}/verdicts/${f.id}`, {
        verdict: 'rejected',
        reason: 'other',
      });
    }
    const rejected = await b.r.send('POST', `/api/reviews/${b.claim.reviewId}/submit`);
    expect(rejected.body).toMatchObject({ fatal: false, passed: true });
  });

  it('adds a missed finding on a span of the masked text; it counts in the score and the audit log', async () => {
    const a = await claimOne('added', 'chat-zh-005');
    for (const f of a.item.findings) {
      await a.r.send('PUT', `/api/reviews/${a.claim.reviewId}/verdicts/${f.id}`, {
        verdict: 'rejected',
        reason: 'false_positive',
      });
    }
    const turn = a.item.conversation.turns.findIndex((t: { speaker: string }) => t.speaker === 'agent');
    const bad = await a.r.send('POST', `/api/reviews/${a.claim.reviewId}/findings`, {
      ruleId: 'no-such-rule',
      turnIndex: turn,
    });
    expect(bad.status).toBe(400);
    const outside = await a.r.send('POST', `/api/reviews/${a.claim.reviewId}/findings`, {
      ruleId: 'forbidden-phrase',
      turnIndex: turn,
      start: 0,
      end: 100_000,
    });
    expect(outside.status).toBe(400);
    const added = await a.r.send('POST', `/api/reviews/${a.claim.reviewId}/findings`, {
      ruleId: 'forbidden-phrase',
      turnIndex: turn,
      start: 0,
      end: 2,
      note: 'missed shirking phrase',
    });
    expect(added.status).toBe(200);
    expect(added.body.finding).toMatchObject({
      origin: 'reviewer',
      ruleId: 'forbidden-phrase',
      text: a.item.conversation.turns[turn].text.slice(0, 2),
    });
    expect(added.body.preview.score).toBeLessThan(100);
    const comment = await a.r.send('POST', `/api/items/${a.itemId}/comments`, {
      body: 'checked the whole chat',
    });
    expect(comment.status).toBe(200);
    const done = await a.r.send('POST', `/api/reviews/${a.claim.reviewId}/submit`);
    expect(done.body.score).toBe(added.body.preview.score);

    const sup = await login(app, `sup-audit-${backend}`, 'supervisor');
    const audit = (await sup.get(`/api/items/${a.itemId}/audit`)).body;
    const actions = audit.map((x: { action: string }) => x.action);
    expect(actions).toEqual([
      'item.ingest',
      'review.claim',
      ...a.item.findings.map(() => 'verdict.set'),
      'finding.add',
      'comment.add',
      'review.submit',
    ]);
    const verdict = audit.find((x: { action: string }) => x.action === 'verdict.set');
    expect(verdict.user).toBe(`rev-added-${backend}`);
    expect(verdict.before).toBeNull();
    expect(verdict.after).toMatchObject({ verdict: 'rejected', reason: 'false_positive' });
    const submit = audit.at(-1);
    expect(submit.before.score).toBe(a.item.machine.score);
    expect(submit.after.score).toBe(done.body.score);
    const detail = (await sup.get(`/api/items/${a.itemId}`)).body;
    expect(detail.comments.map((c: { body: string }) => c.body)).toEqual(['checked the whole chat']);
  });

  it('changing a verdict is audited with before and after; submit needs a verdict on every finding', async () => {
    const a = await claimOne('incomplete');
    const [first, second] = a.item.findings;
    await a.r.send('PUT', `/api/reviews/${a.claim.reviewId}/verdicts/${first.id}`, { verdict: 'confirmed' });
    const noReason = await a.r.send('PUT', `/api/reviews/${a.claim.reviewId}/verdicts/${first.id}`, {
      verdict: 'rejected',
    });
    expect(noReason.status).toBe(400);
    await a.r.send('PUT', `/api/reviews/${a.claim.reviewId}/verdicts/${first.id}`, {
      verdict: 'rejected',
      reason: 'wrong_speaker',
    });
    const early = await a.r.send('POST', `/api/reviews/${a.claim.reviewId}/submit`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('QA_ERR_REVIEW_INCOMPLETE');
    const changes = await app.db.query<{ before: unknown; after: { verdict: string } }>(
      `SELECT before, after FROM audit_log WHERE action = 'verdict.set' AND entity_id = $1 ORDER BY id`,
      [String(first.id)],
    );
    expect(
      changes.map((c) => [c.before && (c.before as { verdict: string }).verdict, c.after.verdict]),
    ).toEqual([
      [null, 'confirmed'],
      ['confirmed', 'rejected'],
    ]);
    void second;
    await a.r.send('POST', `/api/reviews/${a.claim.reviewId}/release`);
  });
});
