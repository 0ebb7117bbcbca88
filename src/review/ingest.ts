import { createReadStream } from 'node:fs';
import { lexiconsDigest } from '../config/compile.js';
import { type AnyScreenedItem, ITEM_VERSION, ScreenedItem, ScreenedItemV1 } from '../domain/index.js';
import { issueLines, QaError, summariseIssues } from '../errors.js';
import { readJsonl } from '../sources/jsonl.js';
import type { Db, Queryable } from './db.js';
import { type PipelineCatalog, snapshotOf } from './pipelines.js';

export interface IngestOptions {
  catalog: PipelineCatalog;
  /** Reviewers per calibration item (sampled items and the calibration queue). */
  calibrationReviewers: number;
  /**
   * Pipeline snapshots this ingest already stored (or found stored), so they are not sent with every
   * batch. One set per database. A key left by a rolled-back transaction only means a missing
   * snapshot, and scoring then uses the pipeline file of the same id.
   */
  knownSnapshots?: Set<string>;
}

export type IngestOutcome =
  | { kind: 'inserted'; itemId: number; version: number; status: string }
  | { kind: 'duplicate'; itemId: number };

/** Parses one item of either contract version (JSON text or object); errors name paths, never values. */
export function parseItem(input: string | unknown): AnyScreenedItem {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new QaError('QA_ERR_REVIEW_ITEM_INVALID', 'not JSON');
    }
  }
  // The version picks the contract, so errors name the fields of that one (no version: version 1).
  const v2 =
    typeof value === 'object' &&
    value !== null &&
    (value as { itemVersion?: unknown }).itemVersion === ITEM_VERSION;
  const parsed = (v2 ? ScreenedItem : ScreenedItemV1).safeParse(value);
  if (!parsed.success) {
    const lines = issueLines(parsed.error.issues);
    throw new QaError('QA_ERR_REVIEW_ITEM_INVALID', summariseIssues(lines), lines);
  }
  return parsed.data;
}

/**
 * The item as stored: version 2 names its lexicons by digest and its bonuses by id; when the
 * catalog holds the very pipeline version (and lexicons) that screened it, the lexicon versions and
 * bonus texts are filled in from it, so a reviewer sees what a version 1 item carried.
 */
export function storedItem(item: AnyScreenedItem, catalog: PipelineCatalog): Record<string, unknown> {
  const { conversation: _, ...rest } = item;
  if (!('itemVersion' in item) || item.itemVersion !== ITEM_VERSION) return rest;
  const pipeline = catalog.get(item.pipeline.id);
  if (
    !pipeline ||
    pipeline.version !== item.pipeline.version ||
    pipeline.lexiconsDigest !== item.pipeline.lexicons
  )
    return rest;
  const texts = new Map(pipeline.config.scoring.bonuses.map((b) => [b.id, b.message]));
  return {
    ...rest,
    bonuses: item.bonuses.map((b) => {
      const message = b.message ?? texts.get(b.id);
      return message === undefined ? b : { ...b, message };
    }),
    lexicons: pipeline.lexicons.map((l) => ({ ...l })),
  };
}

/**
 * Stores screened items inside the caller's transaction, set-based (a handful of statements per
 * batch, not per item).
 * - Same conversation, same pipeline version and lexicons again: nothing changes; an
 *   `item.duplicate` audit row records the redelivery (exactly-once ingest never writes one).
 * - A new pipeline version (or new lexicon versions) of a conversation adds a version. Earlier unclaimed pending versions are
 *   superseded; a reviewed (or claimed) one keeps its review, and the new version is archived beside it.
 * - Items in the pipeline's default (clean) queue are stored for reports but not queued (archived).
 */
export async function ingestItems(
  tx: Queryable,
  items: readonly AnyScreenedItem[],
  options: IngestOptions,
): Promise<IngestOutcome[]> {
  const out: IngestOutcome[] = new Array(items.length);
  // Waves with at most one item per conversation: a later version in the same batch sees the earlier.
  let pending = items.map((item, index) => ({ item, index }));
  while (pending.length > 0) {
    const seen = new Set<string>();
    const wave: typeof pending = [];
    const later: typeof pending = [];
    for (const p of pending) {
      if (seen.has(p.item.conversationId)) later.push(p);
      else {
        seen.add(p.item.conversationId);
        wave.push(p);
      }
    }
    const results = await ingestWave(
      tx,
      wave.map((w) => w.item),
      options,
    );
    wave.forEach((w, k) => {
      out[w.index] = results[k]!;
    });
    pending = later;
  }
  return out;
}

export async function ingestItem(
  tx: Queryable,
  item: AnyScreenedItem,
  options: IngestOptions,
): Promise<IngestOutcome> {
  return (await ingestItems(tx, [item], options))[0]!;
}

interface ExistingRow {
  id: number;
  conversation_id: string;
  version: number;
  status: string;
  pipeline_id: string;
  pipeline_version: string;
  /** The lexicons digest the item was screened with ('' when it names none). */
  lexicons: string;
  live: boolean;
}

/**
 * Which lexicons screened an item, as one digest for both item versions ('' when it names none):
 * a lexicon edit without a new pipeline version is a new screening, not a redelivery.
 */
function lexiconsOf(item: AnyScreenedItem): string {
  if ('lexicons' in item && Array.isArray(item.lexicons)) return lexiconsDigest(item.lexicons);
  return ('lexicons' in item.pipeline && item.pipeline.lexicons) || '';
}

async function ingestWave(
  tx: Queryable,
  items: readonly AnyScreenedItem[],
  options: IngestOptions,
): Promise<IngestOutcome[]> {
  const existing = await tx.query<ExistingRow>(
    `SELECT i.id, i.conversation_id, i.version, i.status, i.pipeline_id, i.pipeline_version,
            i.lexicons,
            EXISTS (SELECT 1 FROM reviews r WHERE r.item_id = i.id AND r.status IN ('open', 'submitted')) AS live
       FROM items i WHERE i.conversation_id = ANY($1::text[]) ORDER BY i.conversation_id, i.version FOR UPDATE`,
    [items.map((i) => i.conversationId)],
  );
  const byConversation = new Map<string, ExistingRow[]>();
  for (const r of existing) {
    const list = byConversation.get(r.conversation_id) ?? [];
    list.push(r);
    byConversation.set(r.conversation_id, list);
  }
  const outcomes: IngestOutcome[] = new Array(items.length);
  const audits: Array<{ action: string; itemId: number; after: unknown }> = [];
  const supersede: string[] = [];
  const rows: Array<Record<string, unknown>> = [];
  const fresh: number[] = [];
  const snapshots = new Map<string, { id: string; version: string; snapshot: string }>();
  items.forEach((item, k) => {
    const prior = byConversation.get(item.conversationId) ?? [];
    const lexicons = lexiconsOf(item);
    const same = prior.find(
      (r) =>
        r.pipeline_id === item.pipeline.id &&
        r.pipeline_version === item.pipeline.version &&
        r.lexicons === lexicons,
    );
    if (same) {
      outcomes[k] = { kind: 'duplicate', itemId: same.id };
      audits.push({
        action: 'item.duplicate',
        itemId: same.id,
        after: { conversationId: item.conversationId, pipeline: item.pipeline },
      });
      return;
    }
    const pipeline = options.catalog.get(item.pipeline.id);
    const routing = pipeline?.config.scoring.routing;
    const calibration = item.sampled || item.queue === (routing?.calibration_queue ?? 'calibration');
    const kept = prior.some((r) => r.status === 'reviewed' || r.live);
    const status = kept || item.queue === (routing?.default_queue ?? 'clean') ? 'archived' : 'pending';
    if (!kept && prior.length > 0) supersede.push(item.conversationId);
    const conversation = item.conversation;
    rows.push({
      k,
      conversation_id: item.conversationId,
      version: (prior.at(-1)?.version ?? 0) + 1,
      pipeline_id: item.pipeline.id,
      pipeline_version: item.pipeline.version,
      lexicons,
      tenant: item.tenant ?? null,
      channel: item.channel,
      language: item.language,
      agent_id: item.agentId,
      agent_team: item.agentTeam ?? null,
      queue: item.queue,
      calibration,
      calibration_target: calibration ? options.calibrationReviewers : 0,
      status,
      machine_score: item.score,
      machine_passed: item.passed,
      fatal: item.fatal,
      priority: item.priority,
      opportunities: item.stats.opportunities,
      screened_at: item.screenedAt,
      item: storedItem(item, options.catalog),
      conversation: conversation ?? null,
    });
    fresh.push(k);
    const key = `${item.pipeline.id}\u0000${item.pipeline.version}`;
    if (pipeline && !snapshots.has(key) && !options.knownSnapshots?.has(key)) {
      snapshots.set(key, {
        id: item.pipeline.id,
        version: item.pipeline.version,
        snapshot: JSON.stringify(snapshotOf(pipeline)),
      });
    }
  });
  if (supersede.length > 0) {
    await tx.query(
      `UPDATE items SET status = 'superseded' WHERE conversation_id = ANY($1::text[]) AND status = 'pending'`,
      [supersede],
    );
  }
  if (rows.length > 0) {
    const inserted = await tx.query<{ id: number; conversation_id: string }>(
      `INSERT INTO items (conversation_id, version, pipeline_id, pipeline_version, lexicons, tenant, channel, language,
          agent_id, agent_team, queue, calibration, calibration_target, status, machine_score, machine_passed,
          fatal, priority, opportunities, screened_at, item, conversation)
       SELECT x.conversation_id, x.version, x.pipeline_id, x.pipeline_version, x.lexicons, x.tenant, x.channel, x.language,
          x.agent_id, x.agent_team, x.queue, x.calibration, x.calibration_target, x.status, x.machine_score,
          x.machine_passed, x.fatal, x.priority, x.opportunities, x.screened_at, x.item, x.conversation
         FROM jsonb_to_recordset($1::jsonb) AS x(k int, conversation_id text, version int, pipeline_id text,
          pipeline_version text, lexicons text, tenant text, channel text, language text, agent_id text, agent_team text,
          queue text, calibration boolean, calibration_target int, status text, machine_score double precision,
          machine_passed boolean, fatal boolean, priority double precision, opportunities int,
          screened_at timestamptz, item jsonb, conversation jsonb)
       RETURNING id, conversation_id`,
      [JSON.stringify(rows)],
    );
    // A wave holds one item per conversation: the conversation id finds each new row's id.
    const ids = new Map(inserted.map((r) => [r.conversation_id, r.id]));
    const findings: Array<Record<string, unknown>> = [];
    for (const row of rows) {
      const k = row.k as number;
      const item = items[k]!;
      const itemId = ids.get(item.conversationId)!;
      outcomes[k] = {
        kind: 'inserted',
        itemId,
        version: row.version as number,
        status: row.status as string,
      };
      item.findings.forEach((f, idx) => {
        findings.push({ ...f, item_id: itemId, idx });
      });
      audits.push({
        action: 'item.ingest',
        itemId,
        after: {
          conversationId: item.conversationId,
          version: row.version,
          status: row.status,
          queue: item.queue,
        },
      });
    }
    if (findings.length > 0) {
      await tx.query(
        `INSERT INTO findings (item_id, idx, origin, rule_id, type, category, severity, points, turn_index,
            start_offset, end_offset, text, message, at_ms, duration_ms, message_id, params)
         SELECT x.item_id, x.idx, 'machine', x."ruleId", x.type, x.category, x.severity, x.points, x."turnIndex",
            x.start, x."end", x.text, x.message, x."atMs", x."durationMs", x."messageId", x.params
           FROM jsonb_to_recordset($1::jsonb) AS x(item_id int, idx int, "ruleId" text, type text, category text,
            severity text, points double precision, "turnIndex" int, start int, "end" int, text text,
            message text, "atMs" double precision, "durationMs" double precision, "messageId" text, params jsonb)`,
        [JSON.stringify(findings)],
      );
    }
  }
  for (const [key, s] of snapshots) {
    await tx.query(
      `INSERT INTO pipeline_snapshots (pipeline_id, pipeline_version, snapshot) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT DO NOTHING`,
      [s.id, s.version, s.snapshot],
    );
    options.knownSnapshots?.add(key);
  }
  if (audits.length > 0) {
    await tx.query(
      `INSERT INTO audit_log (action, entity, entity_id, item_id, after)
       SELECT x.action, 'item', x.item_id::text, x.item_id, x.after
         FROM jsonb_to_recordset($1::jsonb) AS x(action text, item_id int, after jsonb)`,
      [JSON.stringify(audits.map((a) => ({ action: a.action, item_id: a.itemId, after: a.after })))],
    );
  }
  return outcomes;
}

/** Appends to the audit log (append-only: a trigger refuses UPDATE and DELETE). */
export async function audit(
  tx: Queryable,
  userId: number | null,
  action: string,
  entity: string,
  entityId: string,
  itemId: number | null,
  before: unknown,
  after: unknown,
): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (user_id, action, entity, entity_id, item_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
    [
      userId,
      action,
      entity,
      entityId,
      itemId,
      before === null ? null : JSON.stringify(before),
      after === null ? null : JSON.stringify(after),
    ],
  );
}

export interface ImportReport {
  inserted: number;
  duplicates: number;
  rejected: Array<{ line: number; code: string; detail: string }>;
}

/** `qa-screen review import FILE`: JSONL items, one transaction per batch of lines. */
export async function importItems(
  db: Db,
  input: string,
  options: IngestOptions & { batchSize?: number },
): Promise<ImportReport> {
  const report: ImportReport = { inserted: 0, duplicates: 0, rejected: [] };
  options = { knownSnapshots: new Set(), ...options };
  const stream = input === '-' ? process.stdin : createReadStream(input);
  let batch: Array<{ line: number; item: AnyScreenedItem }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    await db.transaction(async (tx) => {
      for (const r of await ingestItems(
        tx,
        current.map((c) => c.item),
        options,
      )) {
        if (r.kind === 'inserted') report.inserted++;
        else report.duplicates++;
      }
    });
  };
  for await (const l of readJsonl(stream, 64 * 1024 * 1024)) {
    const line = l.line;
    if ('oversized' in l) {
      report.rejected.push({ line, code: 'QA_ERR_REVIEW_ITEM_INVALID', detail: 'line too large' });
      continue;
    }
    if ('notUtf8' in l) {
      report.rejected.push({ line, code: 'QA_ERR_REVIEW_ITEM_INVALID', detail: 'line is not UTF-8' });
      continue;
    }
    try {
      batch.push({ line, item: parseItem(l.text) });
    } catch (err) {
      const e = err as QaError;
      report.rejected.push({ line, code: e.code, detail: e.message });
      continue;
    }
    if (batch.length >= (options.batchSize ?? 500)) await flush();
  }
  await flush();
  return report;
}
