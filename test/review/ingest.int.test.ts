import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage } from '../../src/domain/messages.js';
import { importItems } from '../../src/review/ingest.js';
import { BACKENDS, ingest, login, sampleItems, startApp, type TestApp, variant } from './helpers.js';

describe.each(BACKENDS)('ingest and import on %s', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp(backend);
  });
  afterAll(() => app.cleanup());

  it('imports JSONL items with their masked conversation; finding offsets index the stored text', async () => {
    const { items, transcripts } = await sampleItems();
    const file = join(tmpdir(), `qa-review-import-${backend}-${process.pid}.jsonl`);
    writeFileSync(
      file,
      `${items.map((i) => JSON.stringify(variant(i, `imp-${i.conversationId}`))).join('\n')}\nnot json\n{"conversationId":"x"}\n`,
    );
    const report = await importItems(app.db, file, { catalog: app.catalog, calibrationReviewers: 3 });
    expect(report.inserted).toBe(items.length);
    expect(report.rejected.map((r) => [r.line, r.code])).toEqual([
      [items.length + 1, 'QA_ERR_REVIEW_ITEM_INVALID'],
      [items.length + 2, 'QA_ERR_REVIEW_ITEM_INVALID'],
    ]);
    // The rejection says which fields, never the values.
    expect(report.rejected[1]!.detail).toMatch(/agentId/);

    const again = await importItems(app.db, file, { catalog: app.catalog, calibrationReviewers: 3 });
    expect(again).toMatchObject({ inserted: 0, duplicates: items.length });

    const sup = await login(app, `sup-imp-${backend}`, 'supervisor');
    const list = await sup.get('/api/items?status=any&limit=200');
    const imported = list.body.items.filter((i: { conversationId: string }) =>
      i.conversationId.startsWith('imp-'),
    );
    expect(imported).toHaveLength(items.length);
    // Clean items are kept for reports but are not queued.
    const clean = imported.filter((i: { queue: string }) => i.queue === 'clean');
    expect(clean.length).toBeGreaterThan(0);
    for (const i of clean) expect(i.status).toBe('archived');

    const pii = imported.find((i: { conversationId: string }) => i.conversationId === 'imp-chat-zh-006');
    const detail = (await sup.get(`/api/items/${pii.id}`)).body;
    const original = transcripts.get('chat-zh-006') as { turns: Array<{ text: string }> };
    expect(detail.conversation.turns).toHaveLength(original.turns.length);
    detail.conversation.turns.forEach((t: { text: string }, k: number) => {
      // Masked character for character: same length as the original turn.
      expect(t.text.length).toBe(original.turns[k]!.text.length);
    });
    const piiFinding = detail.findings.find((f: { ruleId: string; points: number }) => f.ruleId === 'pii');
    const maskedSpan = detail.conversation.turns[piiFinding.turnIndex].text.slice(
      piiFinding.start,
      piiFinding.end,
    );
    const rawSpan = original.turns[piiFinding.turnIndex]!.text.slice(piiFinding.start, piiFinding.end);
    expect(maskedSpan).not.toBe(rawSpan);
    expect(maskedSpan).toMatch(/\*/);
    expect(JSON.stringify(detail)).not.toContain(rawSpan);
    // Messages keep their template and parameters, and the item names its categories' labels, so
    // the web app can show the finding in the reviewer's language.
    const ask = detail.findings.find((f: { messageId: string | null }) => f.messageId === 'pii.ask');
    expect(ask).toMatchObject({
      params: { speaker: 'agent', words: '家庭住址', category: 'address', lexicon: 'privacy-zh' },
      message: 'Agent asked for "家庭住址", data unrelated to the business (address).',
    });
    expect(detail.categoryLabels.address).toMatch(/家庭住址/);
    // By lexicon too: two lexicons may give one category id different labels.
    expect(detail.categoryLabels['privacy-zh/address']).toBe(detail.categoryLabels.address);
    const zh = renderMessage(ask.messageId, ask.params, 'zh', { category: (c) => detail.categoryLabels[c] });
    expect(zh).toMatch(/^坐席索要“家庭住址”，与业务无关的信息（.*家庭住址.*）。$/);

    const forbidden = (
      await sup.get(
        `/api/items/${imported.find((i: { conversationId: string }) => i.conversationId === 'imp-chat-zh-002').id}`,
      )
    ).body;
    for (const f of forbidden.findings.filter(
      (x: { text: string | null; turnIndex: number | null }) => x.text && x.turnIndex !== null,
    )) {
      expect(forbidden.conversation.turns[f.turnIndex].text.slice(f.start, f.end)).toBe(f.text);
    }
    // Each delivery is in the audit log: one ingest per item, one duplicate per redelivery.
    const audit = await app.db.query<{ action: string; n: number }>(
      `SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'item.%'
         AND after->>'conversationId' LIKE 'imp-%' GROUP BY action ORDER BY action`,
    );
    expect(audit).toEqual([
      { action: 'item.duplicate', n: items.length },
      { action: 'item.ingest', n: items.length },
    ]);
  });

  it('accepts item version 2 (lean) and version 1 (lexicons and bonus texts copied in); both read the same', async () => {
    const { items } = await sampleItems();
    const base = items.find((i) => i.conversationId === 'chat-zh-001')!;
    expect(base.itemVersion).toBe(2);
    expect(base.bonuses.length).toBeGreaterThan(0);
    const pipeline = app.catalog.get(base.pipeline.id)!;
    // Version 1 of the same item, as a worker before issue 12 wrote it.
    const { itemVersion: _, ...fields } = base;
    const v1 = {
      ...fields,
      conversationId: 'ver-1',
      pipeline: { id: base.pipeline.id, version: base.pipeline.version },
      lexicons: pipeline.lexicons.map((l) => ({ ...l })),
      bonuses: base.bonuses.map((b) => ({
        ...b,
        message: pipeline.config.scoring.bonuses.find((x) => x.id === b.id)!.message,
      })),
    };
    const file = join(tmpdir(), `qa-review-versions-${backend}-${process.pid}.jsonl`);
    writeFileSync(file, `${JSON.stringify(v1)}\n${JSON.stringify(variant(base, 'ver-2'))}\n`);
    const report = await importItems(app.db, file, { catalog: app.catalog, calibrationReviewers: 3 });
    expect(report).toMatchObject({ inserted: 2, rejected: [] });
    const stored = await app.db.query<{ conversation_id: string; item: Record<string, unknown> }>(
      `SELECT conversation_id, item FROM items WHERE conversation_id IN ('ver-1', 'ver-2') ORDER BY conversation_id`,
    );
    // The lean item is stored with what the catalog's pipeline of that very version says.
    expect(stored[1]!.item.lexicons).toEqual(v1.lexicons);
    expect(stored[1]!.item.bonuses).toEqual(v1.bonuses);
    expect(stored[0]!.item.lexicons).toEqual(v1.lexicons);
    expect(stored[0]!.item.bonuses).toEqual(v1.bonuses);
    // A version 2 item from a pipeline version the catalog does not hold is stored as it came.
    const other = variant(base, 'ver-3', { pipeline: { ...base.pipeline, version: '9.9.9+other' } });
    await ingest(app, [other]);
    const [row] = await app.db.query<{ item: Record<string, unknown> }>(
      `SELECT item FROM items WHERE conversation_id = 'ver-3'`,
    );
    expect(row!.item.lexicons).toBeUndefined();
    expect(row!.item.bonuses).toEqual(base.bonuses);
  });

  it('a re-screened item (new pipeline version) adds a version and never erases the reviewed one', async () => {
    const { items } = await sampleItems();
    const base = items.find((i) => i.conversationId === 'chat-zh-005')!;
    const [v1] = await ingest(app, [variant(base, 'rescreen-1', { agentId: 'a-rescreen' })]);
    const reviewer = await login(app, `rev-rescreen-${backend}`, 'reviewer');
    const claim = await reviewer.send('POST', '/api/claims', { agent: 'a-rescreen', queue: base.queue });
    expect(claim.body.claim.itemId).toBe(v1);
    const detail = (await reviewer.get(`/api/items/${v1}`)).body;
    for (const f of detail.findings) {
      await reviewer.send('PUT', `/api/reviews/${claim.body.claim.reviewId}/verdicts/${f.id}`, {
        verdict: 'rejected',
        reason: 'allowed_context',
      });
    }
    expect((await reviewer.send('POST', `/api/reviews/${claim.body.claim.reviewId}/submit`)).status).toBe(
      200,
    );

    const v2item = variant(base, 'rescreen-1', {
      agentId: 'a-rescreen',
      pipeline: { id: base.pipeline.id, version: '2.0.0+new' },
    });
    const [v2] = await ingest(app, [v2item]);
    expect(v2).not.toBe(v1);
    const after = (await reviewer.get(`/api/items/${v1}`)).body;
    expect(after.status).toBe('reviewed');
    expect(after.final.score).toBe(100);
    expect(after.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [1, 'reviewed'],
      [2, 'archived'],
    ]);

    // An unreviewed pending version is superseded by the new one, which takes its place in the queue.
    const [p1] = await ingest(app, [variant(base, 'rescreen-2')]);
    const [p2] = await ingest(app, [
      variant(base, 'rescreen-2', { pipeline: { id: base.pipeline.id, version: '2.0.0+new' } }),
    ]);
    const sup = await login(app, `sup-rescreen-${backend}`, 'supervisor');
    expect((await sup.get(`/api/items/${p1}`)).body.status).toBe('superseded');
    expect((await sup.get(`/api/items/${p2}`)).body.status).toBe('pending');

    // Lexicons edited without a new pipeline version: a new screening too, not a redelivery;
    // the same item again is one.
    const edited = variant(base, 'rescreen-2', {
      pipeline: { id: base.pipeline.id, version: '2.0.0+new', lexicons: '0123456789ab' },
    });
    const [p3] = await ingest(app, [edited]);
    expect(p3).not.toBe(p2);
    expect((await sup.get(`/api/items/${p2}`)).body.status).toBe('superseded');
    expect(await ingest(app, [edited])).toEqual([p3]);
  });
});
