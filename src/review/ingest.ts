import { createReadStream } from 'node:fs';
import { ScreenedItem } from '../domain/index.js';
import { issueLines, QaError, summariseIssues } from '../errors.js';
import { readJsonl } from '../sources/jsonl.js';
import type { Db, Queryable } from './db.js';
import { type PipelineCatalog, snapshotOf } from './pipelines.js';

export interface IngestOptions {
  catalog: PipelineCatalog;
  /** Reviewers per calibration item (sampled items and the calibration queue). */
  calibrationReviewers: number;
}

export type IngestOutcome =
  | { kind: 'inserted'; itemId: number; version: number; status: string }
  | { kind: 'duplicate'; itemId: number };

/** Parses one item (JSON text or object); errors name paths, never values. */
export function parseItem(input: string | unknown): ScreenedItem {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new QaError('QA_ERR_REVIEW_ITEM_INVALID', 'not JSON');
    }
  }
  const parsed = ScreenedItem.safeParse(value);
  if (!parsed.success) {
    const lines = issueLines(parsed.error.issues);
    throw new QaError('QA_ERR_REVIEW_ITEM_INVALID', summariseIssues(lines), lines);
  }
  return parsed.data;
}

/**
 * Stores one screened item inside the caller's transaction.
 * - Same conversation, same pipeline version again: nothing changes; an `item.duplicate` audit row
 *   records the redelivery (exactly-once ingest never writes one).
 * - A new pipeline version of a conversation adds a version. Earlier unclaimed pending versions are
 *   superseded; a reviewed (or claimed) one keeps its review, and the new version is archived beside it.
 * - Items in the pipeline's default (clean) queue are stored for reports but not queued (archived).
 */
export async function ingestItem(tx: Queryable, item: ScreenedItem, options: IngestOptions): Promise<IngestOutcome> {
  const existing = await tx.query<{
    id: number;
    version: number;
    status: string;
    pipeline_id: string;
    pipeline_version: string;
    live: boolean;
  }>(
    `SELECT i.id, i.version, i.status, i.pipeline_id, i.pipeline_version,
            EXISTS (SELECT 1 FROM reviews r WHERE r.item_id = i.id AND r.status IN ('open', 'submitted')) AS live
       FROM items i WHERE i.conversation_id = $1 ORDER BY i.version FOR UPDATE`,
    [item.conversationId],
  );
  const same = existing.find(
    (r) => r.pipeline_id === item.pipeline.id && r.pipeline_version === item.pipeline.version,
  );
  if (same) {
    await audit(tx, null, 'item.duplicate', 'item', String(same.id), same.id, null, {
      conversationId: item.conversationId,
      pipeline: item.pipeline,
    });
    return { kind: 'duplicate', itemId: same.id };
  }

  const pipeline = options.catalog.get(item.pipeline.id);
  const routing = pipeline?.config.scoring.routing;
  const defaultQueue = routing?.default_queue ?? 'clean';
  const calibrationQueue = routing?.calibration_queue ?? 'calibration';
  const calibration = item.sampled || item.queue === calibrationQueue;
  const kept = existing.some((r) => r.status === 'reviewed' || r.live);
  const status = kept || item.queue === defaultQueue ? 'archived' : 'pending';
  if (!kept) {
    await tx.query(
      `UPDATE items SET status = 'superseded' WHERE conversation_id = $1 AND status = 'pending'`,
      [item.conversationId],
    );
  }
  const version = (existing.at(-1)?.version ?? 0) + 1;
  const { conversation, ...rest } = item;
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO items (conversation_id, version, pipeline_id, pipeline_version, tenant, channel, language,
        agent_id, agent_team, queue, calibration, calibration_target, status, machine_score, machine_passed,
        fatal, priority, opportunities, screened_at, item, conversation)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20::jsonb,$21::jsonb)
     RETURNING id`,
    [
      item.conversationId,
      version,
      item.pipeline.id,
      item.pipeline.version,
      item.tenant ?? null,
      item.channel,
      item.language,
      item.agentId,
      item.agentTeam ?? null,
      item.queue,
      calibration,
      calibration ? options.calibrationReviewers : 0,
      status,
      item.score,
      item.passed,
      item.fatal,
      item.priority,
      item.stats.opportunities,
      item.screenedAt,
      JSON.stringify(rest),
      conversation ? JSON.stringify(conversation) : null,
    ],
  );
  const itemId = row!.id;
  if (item.findings.length > 0) {
    await tx.query(
      `INSERT INTO findings (item_id, idx, origin, rule_id, type, category, severity, points, turn_index,
          start_offset, end_offset, text, message, at_ms, duration_ms)
       SELECT $1, x.idx, 'machine', x."ruleId", x.type, x.category, x.severity, x.points, x."turnIndex",
          x.start, x."end", x.text, x.message, x."atMs", x."durationMs"
         FROM jsonb_to_recordset($2::jsonb) AS x(idx int, "ruleId" text, type text, category text,
          severity text, points double precision, "turnIndex" int, start int, "end" int, text text,
          message text, "atMs" double precision, "durationMs" double precision)`,
      [itemId, JSON.stringify(item.findings.map((f, idx) => ({ ...f, idx })))],
    );
  }
  if (pipeline) {
    await tx.query(
      `INSERT INTO pipeline_snapshots (pipeline_id, pipeline_version, snapshot) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT DO NOTHING`,
      [item.pipeline.id, item.pipeline.version, JSON.stringify(snapshotOf(pipeline))],
    );
  }
  await audit(tx, null, 'item.ingest', 'item', String(itemId), itemId, null, {
    conversationId: item.conversationId,
    version,
    status,
    queue: item.queue,
  });
  return { kind: 'inserted', itemId, version, status };
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
  const stream = input === '-' ? process.stdin : createReadStream(input);
  let batch: Array<{ line: number; item: ScreenedItem }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    await db.transaction(async (tx) => {
      for (const { item } of current) {
        const r = await ingestItem(tx, item, options);
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
