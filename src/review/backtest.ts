import type { CompiledPipeline } from '../config/compile.js';
import { type InlineTranscript, MaskedConversation } from '../domain/index.js';
import { createScreener } from '../pipeline/screen.js';
import type { Db } from './db.js';
import { round4 } from './stats.js';

/** Rule types that look for personal data: on masked text they find nothing, so they are not compared. */
const MASKED_BLIND_TYPES = new Set(['pii']);

interface Span {
  ruleId: string;
  turnIndex: number | null;
  start: number | null;
  end: number | null;
}

interface OldFinding extends Span {
  origin: 'machine' | 'reviewer';
  final: 'confirmed' | 'rejected' | null;
}

export interface RuleBacktest {
  ruleId: string;
  /** Machine findings of the reviewed version still found. */
  kept: number;
  /** Would disappear; verdicts say rejected (precision gained), confirmed (recall lost), or none. */
  disappeared: { total: number; rejected: number; confirmed: number; unreviewed: number };
  /** Would appear; matching a finding reviewers had to add (recall gained) or not reviewed yet. */
  appeared: { total: number; matchesAdded: number; unverified: number };
  /** Precision on reviewed findings before and after (unverified new findings excluded). */
  precisionBefore: number | null;
  precisionAfter: number | null;
}

export interface BacktestReport {
  pipeline: { id: string; version: string };
  items: number;
  skippedRuleTypes: string[];
  rules: RuleBacktest[];
  scoreChanged: number;
}

const sameSpot = (a: Span, b: Span) =>
  a.ruleId === b.ruleId &&
  a.turnIndex === b.turnIndex &&
  (a.start === null ||
    b.start === null ||
    (a.start < (b.end ?? a.start + 1) && b.start < (a.end ?? b.start + 1)));

/**
 * Re-screens reviewed conversations with a new pipeline (or lexicon) version and compares its
 * findings with the reviewed version's, per rule, against the verdicts. The review store holds the
 * conversation with personal data masked, so the backtest sees masked text: rules that detect
 * personal data are skipped.
 */
export async function backtest(
  db: Db,
  pipeline: CompiledPipeline,
  o: { from?: string | undefined; to?: string | undefined; limit?: number; allPipelines?: boolean } = {},
): Promise<BacktestReport> {
  const params: unknown[] = [pipeline.channel, pipeline.language];
  const where = [
    `i.reviewed_at IS NOT NULL`,
    `i.conversation IS NOT NULL`,
    `i.channel = $1`,
    `i.language = $2`,
  ];
  if (!o.allPipelines) {
    params.push(pipeline.id);
    where.push(`i.pipeline_id = $${params.length}`);
  }
  if (o.from) {
    params.push(o.from);
    where.push(`i.reviewed_at >= $${params.length}::timestamptz`);
  }
  if (o.to) {
    params.push(o.to);
    where.push(`i.reviewed_at < $${params.length}::timestamptz`);
  }
  params.push(o.limit ?? 100_000);
  const items = await db.query<{
    id: number;
    conversation_id: string;
    channel: 'chat' | 'call';
    language: 'zh' | 'en';
    agent_id: string;
    agent_team: string | null;
    tenant: string | null;
    conversation: unknown;
    final_score: number;
  }>(
    `SELECT i.id, i.conversation_id, i.channel, i.language, i.agent_id, i.agent_team, i.tenant, i.conversation,
            i.final_score
       FROM items i WHERE ${where.join(' AND ')} ORDER BY i.reviewed_at, i.id LIMIT $${params.length}`,
    params,
  );
  const screener = createScreener(pipeline);
  const blindRules = new Set(pipeline.rules.filter((r) => MASKED_BLIND_TYPES.has(r.type)).map((r) => r.id));
  const stats = new Map<
    string,
    RuleBacktest & {
      reviewedBefore: number;
      confirmedBefore: number;
      reviewedAfter: number;
      confirmedAfter: number;
    }
  >();
  const statFor = (ruleId: string) => {
    let s = stats.get(ruleId);
    if (!s) {
      s = {
        ruleId,
        kept: 0,
        disappeared: { total: 0, rejected: 0, confirmed: 0, unreviewed: 0 },
        appeared: { total: 0, matchesAdded: 0, unverified: 0 },
        precisionBefore: null,
        precisionAfter: null,
        reviewedBefore: 0,
        confirmedBefore: 0,
        reviewedAfter: 0,
        confirmedAfter: 0,
      };
      stats.set(ruleId, s);
    }
    return s;
  };
  let scoreChanged = 0;
  for (const item of items) {
    const conversation = MaskedConversation.parse(item.conversation);
    const transcript: InlineTranscript = {
      conversationId: item.conversation_id,
      channel: item.channel,
      language: item.language,
      ...(item.tenant !== null && { tenant: item.tenant }),
      agent: { id: item.agent_id, ...(item.agent_team !== null && { team: item.agent_team }) },
      ...conversation,
      turns: conversation.turns,
    };
    const screened = screener.screen(transcript);
    if (screened.score !== item.final_score) scoreChanged++;
    const old = await db.query<OldFinding>(
      `SELECT rule_id AS "ruleId", turn_index AS "turnIndex", start_offset AS start, end_offset AS "end", origin, final
         FROM findings WHERE item_id = $1`,
      [item.id],
    );
    const oldMachine = old.filter((f) => f.origin === 'machine' && !blindRules.has(f.ruleId));
    const added = old.filter((f) => f.origin === 'reviewer' && f.final === 'confirmed');
    const fresh: Span[] = screened.findings
      .filter((f) => !blindRules.has(f.ruleId))
      .map((f) => ({
        ruleId: f.ruleId,
        turnIndex: f.turnIndex ?? null,
        start: f.start ?? null,
        end: f.end ?? null,
      }));
    const matched = new Set<number>();
    for (const f of oldMachine) {
      const s = statFor(f.ruleId);
      if (f.final !== null) {
        s.reviewedBefore++;
        if (f.final === 'confirmed') s.confirmedBefore++;
      }
      const k = fresh.findIndex((n, i) => !matched.has(i) && sameSpot(f, n));
      if (k >= 0) {
        matched.add(k);
        s.kept++;
        if (f.final !== null) {
          s.reviewedAfter++;
          if (f.final === 'confirmed') s.confirmedAfter++;
        }
        continue;
      }
      s.disappeared.total++;
      if (f.final === 'rejected') s.disappeared.rejected++;
      else if (f.final === 'confirmed') s.disappeared.confirmed++;
      else s.disappeared.unreviewed++;
    }
    fresh.forEach((n, i) => {
      if (matched.has(i)) return;
      const s = statFor(n.ruleId);
      s.appeared.total++;
      if (added.some((a) => sameSpot(a, n))) {
        s.appeared.matchesAdded++;
        s.reviewedAfter++;
        s.confirmedAfter++;
      } else {
        s.appeared.unverified++;
      }
    });
  }
  return {
    pipeline: { id: pipeline.id, version: pipeline.version },
    items: items.length,
    skippedRuleTypes: [...MASKED_BLIND_TYPES],
    scoreChanged,
    rules: [...stats.values()]
      .sort((a, b) => a.ruleId.localeCompare(b.ruleId))
      .map(({ reviewedBefore, confirmedBefore, reviewedAfter, confirmedAfter, ...r }) => ({
        ...r,
        precisionBefore: reviewedBefore ? round4(confirmedBefore / reviewedBefore) : null,
        precisionAfter: reviewedAfter ? round4(confirmedAfter / reviewedAfter) : null,
      })),
  };
}

export function formatBacktest(r: BacktestReport): string {
  const head = [
    'rule',
    'kept',
    'gone',
    'gone:rejected',
    'gone:confirmed',
    'new',
    'new:was-added',
    'new:unverified',
    'precision',
  ];
  const rows = r.rules.map((x) => [
    x.ruleId,
    String(x.kept),
    String(x.disappeared.total),
    String(x.disappeared.rejected),
    String(x.disappeared.confirmed),
    String(x.appeared.total),
    String(x.appeared.matchesAdded),
    String(x.appeared.unverified),
    `${x.precisionBefore ?? '-'} → ${x.precisionAfter ?? '-'}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    `backtest of ${r.pipeline.id} ${r.pipeline.version} on ${r.items} reviewed conversation(s) (masked text; ${r.skippedRuleTypes.join(', ')} rules skipped)`,
    line(head),
    ...rows.map(line),
    `gone:rejected = false positives removed (precision gained); gone:confirmed = real findings lost (recall lost);`,
    `new:was-added = findings reviewers had to add, now found (recall gained); new:unverified = not reviewed yet.`,
    `${r.scoreChanged} item(s) would score differently from their reviewed score.`,
  ].join('\n');
}
