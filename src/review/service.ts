import type { Logger } from 'pino';
import type { CompiledPipeline } from '../config/compile.js';
import { QaError } from '../errors.js';
import { logEvent } from '../events.js';
import type { Db, Queryable } from './db.js';
import { audit } from './ingest.js';
import { DEFAULT_KEYS, KEY_ACTIONS } from './keys.js';
import {
  type Actor,
  type AddFindingBody,
  type ClaimBody,
  type ItemFilters,
  KeymapBody,
  type RulingBody,
  type VerdictBody,
} from './model.js';
import { isNoisy, recentPrecision } from './noisy.js';
import {
  type PipelineCatalog,
  type Recomputed,
  recompute,
  ScoringSnapshot,
  snapshotOf,
} from './pipelines.js';
import type { ReviewSettings } from './settings.js';

export type ServiceSettings = Pick<
  ReviewSettings,
  | 'leaseSeconds'
  | 'dailyQuota'
  | 'appealWindowDays'
  | 'calibrationReviewers'
  | 'noisyWindow'
  | 'noisyMinReviewed'
  | 'noisyThreshold'
>;

export interface ServiceContext {
  db: Db;
  catalog: PipelineCatalog;
  settings: ServiceSettings;
  logger: Logger;
}

const STAFF = new Set(['reviewer', 'supervisor', 'admin']);
const OVERSEERS = new Set(['supervisor', 'admin']);

export const iso = (d: unknown): string | null =>
  d === null || d === undefined
    ? null
    : d instanceof Date
      ? d.toISOString()
      : new Date(String(d)).toISOString();

function notFound(what: string): never {
  throw new QaError('QA_ERR_REVIEW_NOT_FOUND', what);
}
function forbidden(what: string): never {
  throw new QaError('QA_ERR_REVIEW_FORBIDDEN', what);
}

interface ItemRow {
  id: number;
  conversation_id: string;
  version: number;
  pipeline_id: string;
  pipeline_version: string;
  tenant: string | null;
  channel: string;
  language: string;
  agent_id: string;
  agent_team: string | null;
  queue: string;
  calibration: boolean;
  calibration_target: number;
  status: string;
  machine_score: number;
  machine_passed: boolean;
  fatal: boolean;
  priority: number;
  opportunities: number;
  screened_at: Date;
  ingested_at: Date;
  item: Record<string, unknown>;
  conversation: unknown;
  reviewed_at: Date | null;
  reviewed_by: number | null;
  final_score: number | null;
  final_passed: boolean | null;
  final_fatal: boolean | null;
  nonfatal_errors: number | null;
}

interface FindingRow {
  id: number;
  item_id: number;
  idx: number | null;
  origin: 'machine' | 'reviewer';
  review_id: number | null;
  rule_id: string;
  type: string;
  category: string;
  severity: 'fatal' | 'major' | 'minor' | 'info';
  points: number;
  turn_index: number | null;
  start_offset: number | null;
  end_offset: number | null;
  text: string | null;
  message: string;
  message_id: string | null;
  params: Record<string, unknown> | null;
  note: string | null;
  at_ms: number | null;
  duration_ms: number | null;
  final: 'confirmed' | 'rejected' | null;
}

interface ReviewRow {
  id: number;
  item_id: number;
  reviewer_id: number;
  kind: 'primary' | 'calibration';
  status: string;
  claimed_at: Date;
  lease_expires_at: Date;
  submitted_at: Date | null;
  score: number | null;
  passed: boolean | null;
  fatal: boolean | null;
  live: boolean;
}

export function findingView(f: FindingRow) {
  return {
    id: f.id,
    origin: f.origin,
    reviewId: f.review_id,
    ruleId: f.rule_id,
    type: f.type,
    category: f.category,
    severity: f.severity,
    points: f.points,
    turnIndex: f.turn_index,
    start: f.start_offset,
    end: f.end_offset,
    text: f.text,
    message: f.message,
    messageId: f.message_id,
    params: f.params,
    note: f.note,
    atMs: f.at_ms,
    durationMs: f.duration_ms,
    final: f.final,
  };
}

function itemSummary(r: ItemRow & { rules?: string[] | null }) {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    version: r.version,
    pipeline: { id: r.pipeline_id, version: r.pipeline_version },
    tenant: r.tenant,
    channel: r.channel,
    language: r.language,
    agentId: r.agent_id,
    agentTeam: r.agent_team,
    queue: r.queue,
    status: r.status,
    calibration: r.calibration,
    calibrationTarget: r.calibration_target,
    machine: { score: r.machine_score, passed: r.machine_passed, fatal: r.fatal, priority: r.priority },
    final:
      r.reviewed_at === null
        ? null
        : {
            score: r.final_score,
            passed: r.final_passed,
            fatal: r.final_fatal,
            nonFatalErrors: r.nonfatal_errors,
            reviewedAt: iso(r.reviewed_at),
          },
    rules: r.rules ?? [],
    screenedAt: iso(r.screened_at),
    ingestedAt: iso(r.ingested_at),
  };
}

const SUMMARY_COLUMNS = `i.id, i.conversation_id, i.version, i.pipeline_id, i.pipeline_version, i.tenant, i.channel,
  i.language, i.agent_id, i.agent_team, i.queue, i.calibration, i.calibration_target, i.status, i.machine_score,
  i.machine_passed, i.fatal, i.priority, i.opportunities, i.screened_at, i.ingested_at, i.reviewed_at,
  i.reviewed_by, i.final_score, i.final_passed, i.final_fatal, i.nonfatal_errors,
  ARRAY(SELECT DISTINCT f.rule_id FROM findings f WHERE f.item_id = i.id AND f.origin = 'machine'
        ORDER BY f.rule_id) AS rules`;

/** Reviewer-facing and agent-facing operations; role checks per route live in the HTTP layer, resource checks here. */
export function createReviewService(ctx: ServiceContext) {
  const { db, settings, logger } = ctx;

  async function loadItem(q: Queryable, id: number, lock = false): Promise<ItemRow> {
    const [row] = await q.query<ItemRow>(`SELECT * FROM items WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [
      id,
    ]);
    return row ?? notFound(`item ${id}`);
  }

  /** Agents see only their own reviewed items: another agent's item is 403, an unreviewed own one 404. */
  function checkItemAccess(actor: Actor, item: ItemRow) {
    if (actor.role !== 'agent') return;
    if (item.agent_id !== actor.agentId) forbidden(`item ${item.id} belongs to another agent`);
    if (item.reviewed_at === null) notFound(`item ${item.id}`);
  }

  // A pipeline version's snapshot never changes once stored: parse it once per process.
  const snapshots = new Map<string, ScoringSnapshot>();
  async function snapshotFor(
    q: Queryable,
    item: Pick<ItemRow, 'pipeline_id' | 'pipeline_version'>,
  ): Promise<ScoringSnapshot> {
    const key = `${item.pipeline_id}\u0000${item.pipeline_version}`;
    const cached = snapshots.get(key);
    if (cached) return cached;
    const [row] = await q.query<{ snapshot: unknown }>(
      'SELECT snapshot FROM pipeline_snapshots WHERE pipeline_id = $1 AND pipeline_version = $2',
      [item.pipeline_id, item.pipeline_version],
    );
    if (row) {
      const parsed = ScoringSnapshot.parse(row.snapshot);
      snapshots.set(key, parsed);
      return parsed;
    }
    const p = ctx.catalog.get(item.pipeline_id);
    if (!p) throw new QaError('QA_ERR_REVIEW_PIPELINE_UNKNOWN', item.pipeline_id);
    return snapshotOf(p);
  }

  /** The caller's open review with a live lease, locked; anything else is lease lost (409) or not theirs. */
  async function openReview(q: Queryable, actor: Actor, reviewId: number): Promise<ReviewRow> {
    const [r] = await q.query<ReviewRow>(
      `SELECT r.*, (r.status = 'open' AND r.lease_expires_at > now()) AS live FROM reviews r WHERE r.id = $1 FOR UPDATE`,
      [reviewId],
    );
    if (!r) notFound(`review ${reviewId}`);
    if (r.reviewer_id !== actor.id) forbidden(`review ${reviewId} belongs to another reviewer`);
    if (!r.live) throw new QaError('QA_ERR_REVIEW_LEASE_LOST', `review ${reviewId} is ${r.status}`);
    return r;
  }

  async function findingsOf(q: Queryable, itemId: number): Promise<FindingRow[]> {
    return q.query<FindingRow>('SELECT * FROM findings WHERE item_id = $1 ORDER BY origin, idx, id', [
      itemId,
    ]);
  }

  async function updateNoisy(q: Queryable, rules: readonly string[]) {
    for (const ruleId of new Set(rules)) {
      const r = (await recentPrecision(q, settings.noisyWindow, ruleId)).get(ruleId);
      const precision = r && r.n > 0 ? r.confirmed / r.n : null;
      const noisy = isNoisy(r, settings);
      const [before] = await q.query<{ noisy: boolean }>('SELECT noisy FROM rule_state WHERE rule_id = $1', [
        ruleId,
      ]);
      if (!before || before.noisy !== noisy) {
        await q.query(
          `INSERT INTO rule_state (rule_id, noisy, precision, changed_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (rule_id) DO UPDATE SET noisy = $2, precision = $3, changed_at = now()`,
          [ruleId, noisy, precision],
        );
        if (noisy || before) {
          logEvent(logger, 'warn', noisy ? 'review.rule_noisy' : 'review.rule_recovered', {
            rule: ruleId,
            precision,
            reviewed: r?.n,
          });
        }
      } else {
        await q.query('UPDATE rule_state SET precision = $2 WHERE rule_id = $1', [ruleId, precision]);
      }
    }
  }

  const api = {
    async queues() {
      const rows = await db.query<{
        queue: string;
        pending: number;
        claimed: number;
        fatal: number;
        calibration: number;
        oldest: Date | null;
      }>(
        `SELECT i.queue,
                count(*) FILTER (WHERE NOT c.claimed)::int AS pending,
                count(*) FILTER (WHERE c.claimed)::int AS claimed,
                count(*) FILTER (WHERE i.fatal)::int AS fatal,
                count(*) FILTER (WHERE i.calibration)::int AS calibration,
                min(i.ingested_at) FILTER (WHERE NOT c.claimed) AS oldest
           FROM items i
           CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM reviews r WHERE r.item_id = i.id AND r.status = 'open'
                                               AND r.lease_expires_at > now()) AS claimed) c
          WHERE i.status = 'pending'
          GROUP BY i.queue ORDER BY i.queue`,
      );
      const now = Date.now();
      return rows.map((r) => ({
        queue: r.queue,
        unclaimed: r.pending,
        claimed: r.claimed,
        fatal: r.fatal,
        calibration: r.calibration,
        oldestUnclaimedAt: iso(r.oldest),
        oldestUnclaimedAgeSeconds: r.oldest
          ? Math.max(0, Math.round((now - new Date(r.oldest).getTime()) / 1000))
          : null,
      }));
    },

    async listItems(actor: Actor, f: ItemFilters) {
      const where: string[] = [];
      const params: unknown[] = [];
      const p = (v: unknown) => {
        params.push(v);
        return `$${params.length}`;
      };
      if (actor.role === 'agent') {
        where.push(`i.agent_id = ${p(actor.agentId)}`, 'i.reviewed_at IS NOT NULL');
      } else if (f.status !== 'any') {
        where.push(`i.status = ${p(f.status ?? 'pending')}`);
      }
      if (f.queue) where.push(`i.queue = ${p(f.queue)}`);
      if (f.team) where.push(`i.agent_team = ${p(f.team)}`);
      if (f.agent && actor.role !== 'agent') where.push(`i.agent_id = ${p(f.agent)}`);
      if (f.rule)
        where.push(`EXISTS (SELECT 1 FROM findings x WHERE x.item_id = i.id AND x.rule_id = ${p(f.rule)})`);
      if (f.from) where.push(`i.screened_at >= ${p(f.from)}::timestamptz`);
      if (f.to) where.push(`i.screened_at < ${p(f.to)}::timestamptz`);
      if (f.calibration) where.push(`i.calibration = ${p(f.calibration === 'true')}`);
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const order =
        actor.role === 'agent'
          ? 'i.reviewed_at DESC, i.id DESC'
          : 'i.fatal DESC, i.machine_score ASC, i.id ASC';
      const [{ total }] = (await db.query<{ total: number }>(
        `SELECT count(*)::int AS total FROM items i ${clause}`,
        params,
      )) as [{ total: number }];
      const rows = await db.query<ItemRow & { rules: string[] }>(
        `SELECT ${SUMMARY_COLUMNS},
                EXISTS (SELECT 1 FROM reviews r WHERE r.item_id = i.id AND r.status = 'open' AND r.lease_expires_at > now()) AS claimed
           FROM items i ${clause} ORDER BY ${order} LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`,
        params,
      );
      return {
        total,
        limit: f.limit,
        offset: f.offset,
        items: rows.map((r) => ({
          ...itemSummary(r),
          claimed: (r as unknown as { claimed: boolean }).claimed,
        })),
      };
    },

    async getItem(actor: Actor, id: number) {
      const item = await loadItem(db, id);
      checkItemAccess(actor, item);
      const [findings, reviews, verdicts, comments, versions, appeals, users] = await Promise.all([
        findingsOf(db, id),
        db.query<ReviewRow>(
          `SELECT r.*, (r.status = 'open' AND r.lease_expires_at > now()) AS live FROM reviews r
            WHERE r.item_id = $1 ORDER BY r.id`,
          [id],
        ),
        db.query<{ review_id: number; finding_id: number; verdict: string; reason: string | null }>(
          `SELECT v.review_id, v.finding_id, v.verdict, v.reason FROM verdicts v JOIN reviews r ON r.id = v.review_id
            WHERE r.item_id = $1`,
          [id],
        ),
        db.query<{ id: number; user_id: number; body: string; created_at: Date; username: string }>(
          `SELECT c.id, c.user_id, c.body, c.created_at, u.username FROM comments c JOIN users u ON u.id = c.user_id
            WHERE c.item_id = $1 ORDER BY c.id`,
          [id],
        ),
        db.query<{
          id: number;
          version: number;
          pipeline_id: string;
          pipeline_version: string;
          status: string;
          machine_score: number;
        }>(
          `SELECT id, version, pipeline_id, pipeline_version, status, machine_score FROM items
            WHERE conversation_id = $1 ORDER BY version`,
          [item.conversation_id],
        ),
        db.query<{ id: number }>('SELECT id FROM appeals WHERE item_id = $1', [id]),
        db.query<{ id: number; username: string }>(
          'SELECT u.id, u.username FROM users u WHERE u.id IN (SELECT reviewer_id FROM reviews WHERE item_id = $1)',
          [id],
        ),
      ]);
      const names = new Map(users.map((u) => [u.id, u.username]));
      // Independence: a reviewer sees their own reviews and the submitted primary one, never a
      // colleague's calibration review; agents see the outcome only.
      const visible = reviews.filter((r) =>
        OVERSEERS.has(actor.role)
          ? true
          : actor.role === 'reviewer'
            ? r.reviewer_id === actor.id || (r.kind === 'primary' && r.status === 'submitted')
            : false,
      );
      const visibleIds = new Set(visible.map((r) => r.id));
      const shownFindings = findings.filter(
        (f) =>
          f.origin === 'machine' ||
          (f.review_id !== null && visibleIds.has(f.review_id)) ||
          (actor.role === 'agent' && f.final === 'confirmed'),
      );
      const appeal = appeals[0] ? await api.getAppeal(actor, appeals[0].id, item) : null;
      return {
        ...itemSummary({
          ...item,
          rules: [...new Set(findings.filter((f) => f.origin === 'machine').map((f) => f.rule_id))],
        }),
        machine: {
          score: item.machine_score,
          passed: item.machine_passed,
          fatal: item.fatal,
          priority: item.priority,
          deducted: item.item.deducted,
          bonuses: item.item.bonuses,
        },
        stats: item.item.stats,
        lexicons: item.item.lexicons,
        scheme: item.item.scheme,
        conversation: item.conversation,
        findings: shownFindings.map(findingView),
        categoryLabels: categoryLabelsOf(ctx.catalog.get(item.pipeline_id), shownFindings),
        rejectReasons: STAFF.has(actor.role) ? await lastRejectReasons(db, actor.id, findings) : {},
        reviews: visible.map((r) => ({
          id: r.id,
          kind: r.kind,
          reviewerId: r.reviewer_id,
          reviewer: names.get(r.reviewer_id) ?? null,
          status: r.status === 'open' && !r.live ? 'expired' : r.status,
          claimedAt: iso(r.claimed_at),
          leaseExpiresAt: iso(r.lease_expires_at),
          submittedAt: iso(r.submitted_at),
          score: r.score,
          passed: r.passed,
          fatal: r.fatal,
          verdicts: verdicts
            .filter((v) => v.review_id === r.id)
            .map((v) => ({ findingId: v.finding_id, verdict: v.verdict, reason: v.reason })),
        })),
        comments:
          STAFF.has(actor.role) || actor.role === 'agent'
            ? comments.map((c) => ({
                id: c.id,
                user: c.username,
                body: c.body,
                createdAt: iso(c.created_at),
              }))
            : [],
        versions: versions.map((v) => ({
          id: v.id,
          version: v.version,
          pipeline: { id: v.pipeline_id, version: v.pipeline_version },
          status: v.status,
          machineScore: v.machine_score,
        })),
        appeal,
      };
    },

    /** Claims the next item (priority order) with a lease: FOR UPDATE SKIP LOCKED, one live review per item. */
    async claim(actor: Actor, f: ClaimBody) {
      return db.transaction(async (tx) => {
        const where: string[] = [`i.status = 'pending'`];
        const params: unknown[] = [actor.id];
        const p = (v: unknown) => {
          params.push(v);
          return `$${params.length}`;
        };
        if (f.queue) where.push(`i.queue = ${p(f.queue)}`);
        if (f.team) where.push(`i.agent_team = ${p(f.team)}`);
        if (f.agent) where.push(`i.agent_id = ${p(f.agent)}`);
        if (f.rule)
          where.push(`EXISTS (SELECT 1 FROM findings x WHERE x.item_id = i.id AND x.rule_id = ${p(f.rule)})`);
        const claimable = `
              AND (
                (NOT i.calibration AND NOT EXISTS (
                   SELECT 1 FROM reviews r WHERE r.item_id = i.id AND r.status = 'open' AND r.lease_expires_at > now()))
                OR
                (i.calibration
                  AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.item_id = i.id AND r.reviewer_id = $1
                                   AND r.status IN ('open', 'submitted'))
                  AND (SELECT count(*) FROM reviews r WHERE r.item_id = i.id AND (r.status = 'submitted'
                        OR (r.status = 'open' AND r.lease_expires_at > now()))) < i.calibration_target))`;
        const excluded: number[] = [];
        const exclude = p(excluded);
        let row: { id: number; calibration: boolean } | undefined;
        // The candidate is locked (SKIP LOCKED: others pass over it), then checked again by a new
        // statement: under READ COMMITTED that sees a claim committed after the first statement's
        // snapshot, which the first could not. A candidate that fails the check is skipped.
        for (let attempt = 0; attempt < 20 && !row; attempt++) {
          const [candidate] = await tx.query<{ id: number; calibration: boolean }>(
            `SELECT i.id, i.calibration FROM items i
              WHERE ${where.join(' AND ')} AND i.id <> ALL(${exclude}::int[]) ${claimable}
              ORDER BY i.fatal DESC, i.machine_score ASC, i.id ASC
              LIMIT 1 FOR UPDATE OF i SKIP LOCKED`,
            params,
          );
          if (!candidate) break;
          const [still] = await tx.query<{ id: number }>(
            `SELECT i.id FROM items i WHERE i.id = $2 AND i.status = 'pending' ${claimable}`,
            [actor.id, candidate.id],
          );
          if (still) row = candidate;
          else excluded.push(candidate.id);
        }
        if (!row) return null;
        const expired = await tx.query<{ id: number; reviewer_id: number }>(
          `UPDATE reviews SET status = 'expired' WHERE item_id = $1 AND status = 'open' AND lease_expires_at <= now()
           RETURNING id, reviewer_id`,
          [row.id],
        );
        for (const e of expired) {
          await audit(
            tx,
            actor.id,
            'review.expire',
            'review',
            String(e.id),
            row.id,
            { status: 'open' },
            { status: 'expired' },
          );
        }
        const kind = row.calibration ? 'calibration' : 'primary';
        const [review] = await tx.query<{ id: number; lease_expires_at: Date }>(
          `INSERT INTO reviews (item_id, reviewer_id, kind, status, lease_expires_at)
           VALUES ($1, $2, $3, 'open', now() + make_interval(secs => $4)) RETURNING id, lease_expires_at`,
          [row.id, actor.id, kind, settings.leaseSeconds],
        );
        await audit(tx, actor.id, 'review.claim', 'review', String(review!.id), row.id, null, { kind });
        return { reviewId: review!.id, itemId: row.id, kind, leaseExpiresAt: iso(review!.lease_expires_at) };
      });
    },

    async renew(actor: Actor, reviewId: number) {
      return db.transaction(async (tx) => {
        const r = await openReview(tx, actor, reviewId);
        const [u] = await tx.query<{ lease_expires_at: Date }>(
          `UPDATE reviews SET lease_expires_at = now() + make_interval(secs => $2) WHERE id = $1 RETURNING lease_expires_at`,
          [r.id, settings.leaseSeconds],
        );
        return { reviewId, leaseExpiresAt: iso(u!.lease_expires_at) };
      });
    },

    async release(actor: Actor, reviewId: number) {
      return db.transaction(async (tx) => {
        const r = await openReview(tx, actor, reviewId);
        await tx.query(`UPDATE reviews SET status = 'released' WHERE id = $1`, [r.id]);
        await audit(
          tx,
          actor.id,
          'review.release',
          'review',
          String(r.id),
          r.item_id,
          { status: 'open' },
          { status: 'released' },
        );
        return { reviewId, status: 'released' };
      });
    },

    async setVerdict(actor: Actor, reviewId: number, findingId: number, body: VerdictBody) {
      return db.transaction(async (tx) => {
        const r = await openReview(tx, actor, reviewId);
        const [f] = await tx.query<FindingRow>('SELECT * FROM findings WHERE id = $1 AND item_id = $2', [
          findingId,
          r.item_id,
        ]);
        if (f?.origin !== 'machine') notFound(`machine finding ${findingId} on item ${r.item_id}`);
        const [before] = await tx.query<{ verdict: string; reason: string | null }>(
          'SELECT verdict, reason FROM verdicts WHERE review_id = $1 AND finding_id = $2',
          [reviewId, findingId],
        );
        const after = {
          verdict: body.verdict,
          reason: body.verdict === 'rejected' ? (body.reason ?? null) : null,
        };
        await tx.query(
          `INSERT INTO verdicts (review_id, finding_id, verdict, reason) VALUES ($1, $2, $3, $4)
           ON CONFLICT (review_id, finding_id) DO UPDATE SET verdict = $3, reason = $4, updated_at = now()`,
          [reviewId, findingId, after.verdict, after.reason],
        );
        await audit(tx, actor.id, 'verdict.set', 'finding', String(findingId), r.item_id, before ?? null, {
          reviewId,
          ...after,
        });
        return { reviewId, findingId, ...after, preview: await preview(tx, r) };
      });
    },

    async addFinding(actor: Actor, reviewId: number, body: AddFindingBody) {
      return db.transaction(async (tx) => {
        const r = await openReview(tx, actor, reviewId);
        const item = await loadItem(tx, r.item_id);
        const snapshot = await snapshotFor(tx, item);
        const rule = snapshot.rules.find((x) => x.id === body.ruleId);
        if (!rule)
          throw new QaError(
            'QA_ERR_REVIEW_BAD_REQUEST',
            `pipeline ${item.pipeline_id} has no rule "${body.ruleId}"`,
          );
        const turns = (item.conversation as { turns?: Array<{ text: string }> } | null)?.turns ?? [];
        const turn = turns[body.turnIndex];
        if (!turn)
          throw new QaError(
            'QA_ERR_REVIEW_BAD_REQUEST',
            `turnIndex ${body.turnIndex} is not a turn of this conversation`,
          );
        const hasSpan = body.start !== undefined || body.end !== undefined;
        if (
          hasSpan &&
          (body.start === undefined ||
            body.end === undefined ||
            body.start >= body.end ||
            body.end > turn.text.length)
        ) {
          throw new QaError(
            'QA_ERR_REVIEW_BAD_REQUEST',
            `span must satisfy 0 ≤ start < end ≤ ${turn.text.length}`,
          );
        }
        const [row] = await tx.query<FindingRow>(
          `INSERT INTO findings (item_id, origin, review_id, rule_id, type, category, severity, points, turn_index,
              start_offset, end_offset, text, message, note)
           VALUES ($1, 'reviewer', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`,
          [
            r.item_id,
            reviewId,
            rule.id,
            rule.type,
            rule.category,
            rule.severity,
            rule.points,
            body.turnIndex,
            body.start ?? null,
            body.end ?? null,
            hasSpan ? turn.text.slice(body.start, body.end) : null,
            `added by reviewer: ${rule.id}`,
            body.note ?? null,
          ],
        );
        await audit(tx, actor.id, 'finding.add', 'finding', String(row!.id), r.item_id, null, {
          reviewId,
          ruleId: rule.id,
          turnIndex: body.turnIndex,
          start: body.start ?? null,
          end: body.end ?? null,
        });
        return { finding: findingView(row!), preview: await preview(tx, r) };
      });
    },

    async removeFinding(actor: Actor, reviewId: number, findingId: number) {
      return db.transaction(async (tx) => {
        const r = await openReview(tx, actor, reviewId);
        const [f] = await tx.query<FindingRow>(
          `SELECT * FROM findings WHERE id = $1 AND review_id = $2 AND origin = 'reviewer'`,
          [findingId, reviewId],
        );
        if (!f) notFound(`added finding ${findingId} in review ${reviewId}`);
        await tx.query('DELETE FROM findings WHERE id = $1', [findingId]);
        await audit(
          tx,
          actor.id,
          'finding.remove',
          'finding',
          String(findingId),
          r.item_id,
          { ruleId: f.rule_id },
          null,
        );
        return { removed: findingId, preview: await preview(tx, r) };
      });
    },

    async comment(actor: Actor, itemId: number, body: string) {
      return db.transaction(async (tx) => {
        const item = await loadItem(tx, itemId);
        checkItemAccess(actor, item);
        const [c] = await tx.query<{ id: number; created_at: Date }>(
          'INSERT INTO comments (item_id, user_id, body) VALUES ($1, $2, $3) RETURNING id, created_at',
          [itemId, actor.id, body],
        );
        await audit(tx, actor.id, 'comment.add', 'comment', String(c!.id), itemId, null, {
          length: body.length,
        });
        return { id: c!.id, user: actor.username, body, createdAt: iso(c!.created_at) };
      });
    },

    /** Finishes a review: every machine finding needs a verdict; the score is recomputed by the pipeline's scheme. */
    async submit(actor: Actor, reviewId: number) {
      const out = await db.transaction(async (tx) => {
        const r = await openReview(tx, actor, reviewId);
        const item = await loadItem(tx, r.item_id, true);
        const findings = await findingsOf(tx, item.id);
        const verdicts = new Map(
          (
            await tx.query<{ finding_id: number; verdict: 'confirmed' | 'rejected' }>(
              'SELECT finding_id, verdict FROM verdicts WHERE review_id = $1',
              [reviewId],
            )
          ).map((v) => [v.finding_id, v.verdict]),
        );
        const machine = findings.filter((f) => f.origin === 'machine');
        const missing = machine.filter((f) => !verdicts.has(f.id));
        if (missing.length > 0) {
          throw new QaError(
            'QA_ERR_REVIEW_INCOMPLETE',
            `${missing.length} finding(s) without a verdict: ${missing.map((f) => f.id).join(', ')}`,
          );
        }
        const added = findings.filter((f) => f.origin === 'reviewer' && f.review_id === reviewId);
        const kept = [...machine.filter((f) => verdicts.get(f.id) === 'confirmed'), ...added];
        const result = recompute(
          await snapshotFor(tx, item),
          kept.map(asFinding),
          item.conversation_id,
          heaviestOf(findings),
        );
        await tx.query(
          `UPDATE reviews SET status = 'submitted', submitted_at = now(), score = $2, passed = $3, fatal = $4 WHERE id = $1`,
          [reviewId, result.score, result.passed, result.fatal],
        );
        // The first submitted review decides the item's outcome (for calibration items too; the
        // other calibration reviews are for agreement).
        const decides = item.reviewed_at === null;
        if (decides) {
          await tx.query(
            `UPDATE items SET reviewed_at = now(), reviewed_by = $2, final_score = $3, final_passed = $4,
                final_fatal = $5, nonfatal_errors = $6 WHERE id = $1`,
            [item.id, actor.id, result.score, result.passed, result.fatal, result.nonFatalErrors],
          );
          for (const f of machine) {
            await tx.query('UPDATE findings SET final = $2 WHERE id = $1', [f.id, verdicts.get(f.id)]);
          }
          if (added.length > 0) {
            await tx.query(
              `UPDATE findings SET final = 'confirmed' WHERE review_id = $1 AND origin = 'reviewer'`,
              [reviewId],
            );
          }
        }
        const [{ submitted }] = (await tx.query<{ submitted: number }>(
          `SELECT count(*)::int AS submitted FROM reviews WHERE item_id = $1 AND status = 'submitted'`,
          [item.id],
        )) as [{ submitted: number }];
        const done = !item.calibration || submitted >= item.calibration_target;
        if (done) await tx.query(`UPDATE items SET status = 'reviewed' WHERE id = $1`, [item.id]);
        await audit(
          tx,
          actor.id,
          'review.submit',
          'review',
          String(reviewId),
          item.id,
          { score: item.final_score ?? item.machine_score, status: item.status },
          {
            score: result.score,
            passed: result.passed,
            fatal: result.fatal,
            decides,
            itemStatus: done ? 'reviewed' : item.status,
          },
        );
        if (decides)
          await updateNoisy(
            tx,
            machine.map((f) => f.rule_id),
          );
        return { reviewId, itemId: item.id, ...result, decides, itemStatus: done ? 'reviewed' : item.status };
      });
      logEvent(logger, 'info', 'review.submit', { reviewId, itemId: out.itemId, user: actor.id });
      return out;
    },

    async me(actor: Actor) {
      const [[q = { today: 0, open: 0 }], [u]] = await Promise.all([
        db.query<{ today: number; open: number }>(
          `SELECT count(*) FILTER (WHERE status = 'submitted' AND submitted_at >= date_trunc('day', now()))::int AS today,
                  count(*) FILTER (WHERE status = 'open' AND lease_expires_at > now())::int AS open
             FROM reviews WHERE reviewer_id = $1`,
          [actor.id],
        ),
        db.query<{ keys: unknown }>('SELECT keys FROM users WHERE id = $1', [actor.id]),
      ]);
      return {
        user: {
          id: actor.id,
          username: actor.username,
          role: actor.role,
          agentId: actor.agentId,
          team: actor.team,
        },
        keys: keysOf(u?.keys),
        quota: STAFF.has(actor.role)
          ? {
              daily: settings.dailyQuota,
              today: q.today,
              remaining: Math.max(0, settings.dailyQuota - q.today),
              enforced: false,
            }
          : null,
        openReviews: q.open,
      };
    },

    /** Moves the item page's keys for this user (the whole map: what is not moved stays the default). */
    async setKeys(actor: Actor, keys: KeymapBody) {
      // The defaults are stored as nothing, so a user who moved none follows later default changes.
      const defaults = KEY_ACTIONS.every((a) => keys[a] === DEFAULT_KEYS[a]);
      await db.transaction(async (tx) => {
        await tx.query('UPDATE users SET keys = $2::jsonb WHERE id = $1', [
          actor.id,
          defaults ? null : JSON.stringify(keys),
        ]);
        await audit(tx, actor.id, 'user.keys', 'user', String(actor.id), null, null, keys);
      });
      return { keys };
    },

    // ---- appeals (申诉) ----

    async appeal(actor: Actor, itemId: number, reason: string) {
      return db.transaction(async (tx) => {
        const item = await loadItem(tx, itemId, true);
        if (actor.role !== 'agent') forbidden('only the agent of an item may appeal it');
        checkItemAccess(actor, item);
        const ageDays = (Date.now() - new Date(item.reviewed_at!).getTime()) / 86_400_000;
        if (ageDays > settings.appealWindowDays) {
          throw new QaError(
            'QA_ERR_REVIEW_APPEAL_CLOSED',
            `reviewed ${ageDays.toFixed(1)} days ago; window is ${settings.appealWindowDays} days`,
          );
        }
        const [existing] = await tx.query<{ id: number }>('SELECT id FROM appeals WHERE item_id = $1', [
          itemId,
        ]);
        if (existing)
          throw new QaError(
            'QA_ERR_REVIEW_APPEAL_CLOSED',
            `item ${itemId} was already appealed (appeal ${existing.id})`,
          );
        const [a] = await tx.query<{ id: number }>(
          `INSERT INTO appeals (item_id, agent_user, reason, status, score_before) VALUES ($1, $2, $3, 'open', $4) RETURNING id`,
          [itemId, actor.id, reason, item.final_score],
        );
        await audit(tx, actor.id, 'appeal.open', 'appeal', String(a!.id), itemId, null, { status: 'open' });
        return { id: a!.id, itemId, status: 'open' };
      });
    },

    async listAppeals(actor: Actor, f: { status: string; limit: number; offset: number }) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (actor.role === 'agent') {
        params.push(actor.id);
        where.push(`a.agent_user = $${params.length}`);
      }
      if (f.status !== 'any') {
        params.push(f.status);
        where.push(`a.status = $${params.length}`);
      }
      params.push(f.limit, f.offset);
      const rows = await db.query<{
        id: number;
        item_id: number;
        status: string;
        created_at: Date;
        ruled_at: Date | null;
        score_before: number | null;
        score_after: number | null;
        agent_id: string;
        agent_team: string | null;
      }>(
        `SELECT a.id, a.item_id, a.status, a.created_at, a.ruled_at, a.score_before, a.score_after, i.agent_id, i.agent_team
           FROM appeals a JOIN items i ON i.id = a.item_id
           ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY (a.status = 'open') DESC, a.created_at ASC LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      );
      return rows.map((r) => ({
        id: r.id,
        itemId: r.item_id,
        status: r.status,
        agentId: r.agent_id,
        agentTeam: r.agent_team,
        createdAt: iso(r.created_at),
        ruledAt: iso(r.ruled_at),
        scoreBefore: r.score_before,
        scoreAfter: r.score_after,
      }));
    },

    async getAppeal(actor: Actor, id: number, knownItem?: ItemRow) {
      const [a] = await db.query<{
        id: number;
        item_id: number;
        agent_user: number;
        reason: string;
        status: string;
        created_at: Date;
        ruled_at: Date | null;
        ruled_by: number | null;
        ruling_note: string | null;
        score_before: number | null;
        score_after: number | null;
      }>('SELECT * FROM appeals WHERE id = $1', [id]);
      if (!a) notFound(`appeal ${id}`);
      if (actor.role === 'reviewer') forbidden('appeals are for the agent and supervisors');
      if (actor.role === 'agent' && a.agent_user !== actor.id) forbidden(`appeal ${id} is another agent's`);
      if (!knownItem) checkItemAccess(actor, await loadItem(db, a.item_id));
      const decisions = await db.query<{ finding_id: number; decision: string }>(
        'SELECT finding_id, decision FROM appeal_decisions WHERE appeal_id = $1 ORDER BY finding_id',
        [id],
      );
      return {
        id: a.id,
        itemId: a.item_id,
        reason: a.reason,
        status: a.status,
        createdAt: iso(a.created_at),
        ruledAt: iso(a.ruled_at),
        ruling:
          a.status === 'open'
            ? null
            : {
                note: a.ruling_note,
                scoreBefore: a.score_before,
                scoreAfter: a.score_after,
                decisions: decisions.map((d) => ({ findingId: d.finding_id, decision: d.decision })),
              },
      };
    },

    /** A supervisor upholds or overturns each confirmed finding; the score is recomputed from what stands. */
    async rule(actor: Actor, appealId: number, body: RulingBody) {
      return db.transaction(async (tx) => {
        const [a] = await tx.query<{ id: number; item_id: number; status: string }>(
          'SELECT id, item_id, status FROM appeals WHERE id = $1 FOR UPDATE',
          [appealId],
        );
        if (!a) notFound(`appeal ${appealId}`);
        if (a.status !== 'open')
          throw new QaError('QA_ERR_REVIEW_CONFLICT', `appeal ${appealId} was already ruled (${a.status})`);
        const item = await loadItem(tx, a.item_id, true);
        const findings = await findingsOf(tx, item.id);
        const contested = findings.filter((f) => f.final === 'confirmed');
        const byId = new Map(body.decisions.map((d) => [d.findingId, d.decision]));
        for (const id of byId.keys()) {
          if (!contested.some((f) => f.id === id)) {
            throw new QaError(
              'QA_ERR_REVIEW_BAD_REQUEST',
              `finding ${id} is not a confirmed finding of item ${item.id}`,
            );
          }
        }
        const decisions = contested.map((f) => ({ finding: f, decision: byId.get(f.id) ?? 'uphold' }));
        for (const d of decisions) {
          await tx.query(
            'INSERT INTO appeal_decisions (appeal_id, finding_id, decision) VALUES ($1, $2, $3)',
            [appealId, d.finding.id, d.decision],
          );
          if (d.decision === 'overturn')
            await tx.query(`UPDATE findings SET final = 'rejected' WHERE id = $1`, [d.finding.id]);
        }
        const standing = decisions.filter((d) => d.decision === 'uphold').map((d) => d.finding);
        const result = recompute(
          await snapshotFor(tx, item),
          standing.map(asFinding),
          item.conversation_id,
          heaviestOf(findings),
        );
        const overturned = decisions.filter((d) => d.decision === 'overturn').length;
        const status =
          overturned === 0 ? 'upheld' : overturned === decisions.length ? 'overturned' : 'partial';
        await tx.query(
          `UPDATE appeals SET status = $2, ruled_at = now(), ruled_by = $3, ruling_note = $4, score_after = $5 WHERE id = $1`,
          [appealId, status, actor.id, body.note ?? null, result.score],
        );
        await tx.query(
          `UPDATE items SET final_score = $2, final_passed = $3, final_fatal = $4, nonfatal_errors = $5 WHERE id = $1`,
          [item.id, result.score, result.passed, result.fatal, result.nonFatalErrors],
        );
        await audit(
          tx,
          actor.id,
          'appeal.rule',
          'appeal',
          String(appealId),
          item.id,
          { status: 'open', score: item.final_score, passed: item.final_passed, fatal: item.final_fatal },
          {
            status,
            score: result.score,
            passed: result.passed,
            fatal: result.fatal,
            overturned: decisions.filter((d) => d.decision === 'overturn').map((d) => d.finding.id),
          },
        );
        await updateNoisy(
          tx,
          decisions.map((d) => d.finding.rule_id),
        );
        logEvent(logger, 'info', 'review.appeal_ruled', {
          appealId,
          itemId: item.id,
          status,
          user: actor.id,
        });
        return {
          id: appealId,
          status,
          scoreBefore: item.final_score,
          scoreAfter: result.score,
          passed: result.passed,
          fatal: result.fatal,
        };
      });
    },

    // ---- calibration ----

    async pickForCalibration(actor: Actor, itemId: number, reviewers?: number) {
      return db.transaction(async (tx) => {
        const item = await loadItem(tx, itemId, true);
        if (item.status === 'superseded')
          throw new QaError('QA_ERR_REVIEW_CONFLICT', `item ${itemId} was superseded by a newer version`);
        const target = reviewers ?? settings.calibrationReviewers;
        const [{ submitted }] = (await tx.query<{ submitted: number }>(
          `SELECT count(*)::int AS submitted FROM reviews WHERE item_id = $1 AND status = 'submitted'`,
          [itemId],
        )) as [{ submitted: number }];
        const status = submitted >= target ? 'reviewed' : 'pending';
        await tx.query(
          'UPDATE items SET calibration = true, calibration_target = $2, status = $3 WHERE id = $1',
          [itemId, target, status],
        );
        await audit(
          tx,
          actor.id,
          'calibration.pick',
          'item',
          String(itemId),
          itemId,
          { calibration: item.calibration, target: item.calibration_target, status: item.status },
          { calibration: true, target, status },
        );
        return { itemId, calibrationTarget: target, submitted, status };
      });
    },

    /** The rule table of the item's pipeline version (the snapshot scores are recomputed with). */
    async rulesOf(itemId: number) {
      const item = await loadItem(db, itemId);
      const snapshot = await snapshotFor(db, item);
      return snapshot.rules.map((r) => ({
        id: r.id,
        type: r.type,
        category: r.category,
        severity: r.severity,
        points: r.points,
      }));
    },

    /** The live score of the caller's open review: what submitting now would give. */
    async previewOf(actor: Actor, reviewId: number) {
      return db.transaction(async (tx) => {
        const r = await openReview(tx, actor, reviewId);
        return { reviewId, itemId: r.item_id, preview: await preview(tx, r) };
      });
    },

    auditOf: async (itemId: number, limit: number, offset: number) => {
      await loadItem(db, itemId);
      const rows = await db.query<{
        id: number;
        at: Date;
        user_id: number | null;
        username: string | null;
        action: string;
        entity: string;
        entity_id: string;
        before: unknown;
        after: unknown;
      }>(
        `SELECT a.id, a.at, a.user_id, u.username, a.action, a.entity, a.entity_id, a.before, a.after
           FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.item_id = $1 ORDER BY a.id LIMIT $2 OFFSET $3`,
        [itemId, limit, offset],
      );
      return rows.map((r) => ({
        id: Number(r.id),
        at: iso(r.at),
        userId: r.user_id,
        user: r.username,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        before: r.before,
        after: r.after,
      }));
    },
  };
  return api;

  /** The score as it would be if submitted now, for a live preview while verdicts change. */
  async function preview(tx: Queryable, r: ReviewRow): Promise<Recomputed> {
    const [item] = await tx.query<Pick<ItemRow, 'conversation_id' | 'pipeline_id' | 'pipeline_version'>>(
      'SELECT conversation_id, pipeline_id, pipeline_version FROM items WHERE id = $1',
      [r.item_id],
    );
    const findings = await findingsOf(tx, r.item_id);
    const verdicts = new Map(
      (
        await tx.query<{ finding_id: number; verdict: string }>(
          'SELECT finding_id, verdict FROM verdicts WHERE review_id = $1',
          [r.id],
        )
      ).map((v) => [v.finding_id, v.verdict]),
    );
    // Findings without a verdict yet count as the machine found them.
    const kept = findings.filter((f) =>
      f.origin === 'machine' ? verdicts.get(f.id) !== 'rejected' : f.review_id === r.id,
    );
    return recompute(
      await snapshotFor(tx, item!),
      kept.map(asFinding),
      item!.conversation_id,
      heaviestOf(findings),
    );
  }
}

function heaviestOf(findings: readonly FindingRow[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings)
    if (f.origin === 'machine') out.set(f.rule_id, Math.max(out.get(f.rule_id) ?? 0, f.points));
  return out;
}

/** A user's keys: the stored map when it is still a valid one (the schema may have grown), else the defaults. */
function keysOf(stored: unknown): KeymapBody {
  const parsed = KeymapBody.safeParse(stored);
  return parsed.success ? parsed.data : { ...DEFAULT_KEYS };
}

/**
 * The reject reason this reviewer last gave for each rule among the findings (from the verdicts they
 * saved, on any item): a rule tends to be wrong the same way for a team, so the item page starts each
 * finding from it, in whatever browser the reviewer uses.
 */
async function lastRejectReasons(q: Queryable, reviewerId: number, findings: readonly FindingRow[]) {
  const rules = [...new Set(findings.filter((f) => f.origin === 'machine').map((f) => f.rule_id))];
  if (rules.length === 0) return {};
  const rows = await q.query<{ rule_id: string; reason: string }>(
    `SELECT DISTINCT ON (f.rule_id) f.rule_id, v.reason
       FROM verdicts v JOIN reviews r ON r.id = v.review_id JOIN findings f ON f.id = v.finding_id
      WHERE r.reviewer_id = $1 AND v.verdict = 'rejected' AND v.reason IS NOT NULL AND f.rule_id = ANY($2::text[])
      ORDER BY f.rule_id, v.updated_at DESC, v.review_id DESC`,
    [reviewerId, rules],
  );
  return Object.fromEntries(rows.map((r) => [r.rule_id, r.reason]));
}

/**
 * The labels of the lexicon categories the findings' messages name (parameters `category`, `reads`,
 * `cueLabels`), from the pipeline as the service knows it: the web app shows them in the reviewer's
 * language. Empty when the pipeline is not in the catalog (the messages then name the ids).
 */
function categoryLabelsOf(pipeline: CompiledPipeline | undefined, findings: readonly FindingRow[]) {
  const out: Record<string, string> = {};
  if (!pipeline) return out;
  for (const f of findings) {
    const p = f.params ?? {};
    const named = [p.category, p.reads, ...(Array.isArray(p.cueLabels) ? p.cueLabels : [])];
    if (typeof p.lexicon === 'string' && typeof p.category === 'string')
      named.push(`${p.lexicon}/${p.category}`);
    for (const id of named) {
      const text = typeof id === 'string' ? pipeline.categoryLabels.get(id) : undefined;
      if (text !== undefined) out[id as string] = text;
    }
  }
  return out;
}

function asFinding(f: FindingRow) {
  return {
    ruleId: f.rule_id,
    type: f.type,
    category: f.category,
    severity: f.severity,
    points: f.points,
    message: f.message,
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;
