import { QaError } from '../errors.js';
import type { Db } from './db.js';
import type { Period, ReportQuery } from './model.js';
import { isNoisy, type RecentPrecision, recentPrecision } from './noisy.js';
import type { ServiceSettings } from './service.js';
import { iso } from './service.js';
import { cohenKappa, fleissKappa, round4, toCsv, wilson } from './stats.js';

/** Grade bands (seed 001 as issue 10 states them): ≥90 excellent, ≥85 good, ≥75 pass, below that poor. */
export const GRADE_BANDS = [
  { band: 'excellent', min: 90 },
  { band: 'good', min: 85 },
  { band: 'pass', min: 75 },
  { band: 'poor', min: Number.NEGATIVE_INFINITY },
] as const;

export function gradeBand(score: number): (typeof GRADE_BANDS)[number]['band'] {
  return GRADE_BANDS.find((b) => score >= b.min)!.band;
}

interface Range {
  from?: string | undefined;
  to?: string | undefined;
}

function rangeClause(column: string, r: Range, params: unknown[]): string {
  const parts: string[] = [];
  if (r.from) {
    params.push(r.from);
    parts.push(`${column} >= $${params.length}::timestamptz`);
  }
  if (r.to) {
    params.push(r.to);
    parts.push(`${column} < $${params.length}::timestamptz`);
  }
  return parts.map((p) => ` AND ${p}`).join('');
}

const bucketIso = (d: unknown) => `${iso(d)!.slice(0, 10)}`;

export function createAnalytics(db: Db, settings: ServiceSettings) {
  const recent = () => recentPrecision(db, settings.noisyWindow);
  const noisy = (r: RecentPrecision | undefined) => isNoisy(r, settings);

  return {
    /**
     * Per rule: precision = confirmed / reviewed machine findings, with a Wilson 95% interval;
     * findings reviewers had to add are misses, so recall ≤ confirmed / (confirmed + added) among
     * reviewed items, reported with its Wilson lower bound; noisy = precision over the last N
     * reviewed findings below the threshold (with at least the minimum reviewed).
     */
    async ruleQuality(range: Range) {
      const params: unknown[] = [];
      const rows = await db.query<{
        rule_id: string;
        reviewed: number;
        confirmed: number;
        rejected: number;
        added: number;
        flagged: number;
      }>(
        `SELECT f.rule_id,
                count(*) FILTER (WHERE f.origin = 'machine' AND f.final IS NOT NULL)::int AS reviewed,
                count(*) FILTER (WHERE f.origin = 'machine' AND f.final = 'confirmed')::int AS confirmed,
                count(*) FILTER (WHERE f.origin = 'machine' AND f.final = 'rejected')::int AS rejected,
                count(*) FILTER (WHERE f.origin = 'reviewer' AND f.final = 'confirmed')::int AS added,
                count(*) FILTER (WHERE f.origin = 'machine')::int AS flagged
           FROM findings f JOIN items i ON i.id = f.item_id
          WHERE i.status <> 'superseded'${rangeClause('i.screened_at', range, params)}
          GROUP BY f.rule_id ORDER BY f.rule_id`,
        params,
      );
      const reasons = await db.query<{ rule_id: string; reason: string; n: number }>(
        `SELECT f.rule_id, v.reason, count(*)::int AS n FROM verdicts v
           JOIN findings f ON f.id = v.finding_id JOIN reviews r ON r.id = v.review_id
          WHERE v.verdict = 'rejected' AND r.status = 'submitted' AND v.reason IS NOT NULL
          GROUP BY f.rule_id, v.reason`,
      );
      const lastN = await recent();
      return {
        noisyWindow: settings.noisyWindow,
        noisyThreshold: settings.noisyThreshold,
        noisyMinReviewed: settings.noisyMinReviewed,
        rules: rows.map((r) => {
          const last = lastN.get(r.rule_id);
          const found = r.confirmed + r.added;
          return {
            ruleId: r.rule_id,
            flagged: r.flagged,
            reviewed: r.reviewed,
            confirmed: r.confirmed,
            rejected: r.rejected,
            precision: r.reviewed ? round4(r.confirmed / r.reviewed) : null,
            precisionCi: wilson(r.confirmed, r.reviewed),
            added: r.added,
            recall: found ? round4(r.confirmed / found) : null,
            recallLowerBound: wilson(r.confirmed, found)?.low ?? null,
            recent: last ? { reviewed: last.n, precision: round4(last.confirmed / last.n) } : null,
            noisy: noisy(last),
            rejectReasons: Object.fromEntries(
              reasons.filter((x) => x.rule_id === r.rule_id).map((x) => [x.reason, x.n]),
            ),
          };
        }),
      };
    },

    async ruleTimeline(q: Range & { period: Period; rule?: string | undefined }) {
      const params: unknown[] = [q.period];
      let ruleClause = '';
      if (q.rule) {
        params.push(q.rule);
        ruleClause = ` AND f.rule_id = $${params.length}`;
      }
      const rows = await db.query<{
        bucket: Date | string;
        rule_id: string;
        reviewed: number;
        confirmed: number;
        added: number;
      }>(
        `SELECT date_trunc($1, i.reviewed_at AT TIME ZONE 'UTC') AS bucket, f.rule_id,
                count(*) FILTER (WHERE f.origin = 'machine')::int AS reviewed,
                count(*) FILTER (WHERE f.origin = 'machine' AND f.final = 'confirmed')::int AS confirmed,
                count(*) FILTER (WHERE f.origin = 'reviewer')::int AS added
           FROM findings f JOIN items i ON i.id = f.item_id
          WHERE f.final IS NOT NULL AND i.reviewed_at IS NOT NULL${ruleClause}${rangeClause('i.reviewed_at', q, params)}
          GROUP BY 1, 2 ORDER BY 1, 2`,
        params,
      );
      return rows.map((r) => ({
        period: bucketIso(r.bucket),
        ruleId: r.rule_id,
        reviewed: r.reviewed,
        confirmed: r.confirmed,
        added: r.added,
        precision: r.reviewed ? round4(r.confirmed / r.reviewed) : null,
        precisionCi: wilson(r.confirmed, r.reviewed),
      }));
    },

    async noisyRules() {
      return [...(await recent()).entries()]
        .filter(([, v]) => noisy(v))
        .map(([ruleId, v]) => ({ ruleId, reviewed: v.n, precision: round4(v.confirmed / v.n) }));
    },

    /** Every rater's verdicts on a calibration item's machine findings, and agreement per finding. */
    async calibrationItem(itemId: number) {
      const [item] = await db.query<{
        id: number;
        calibration: boolean;
        calibration_target: number;
        status: string;
      }>('SELECT id, calibration, calibration_target, status FROM items WHERE id = $1', [itemId]);
      if (!item) throw new QaError('QA_ERR_REVIEW_NOT_FOUND', `item ${itemId}`);
      const rows = await db.query<{ finding_id: number; rule_id: string; reviewer: string; verdict: string }>(
        `SELECT v.finding_id, f.rule_id, u.username AS reviewer, v.verdict FROM verdicts v
           JOIN reviews r ON r.id = v.review_id JOIN users u ON u.id = r.reviewer_id
           JOIN findings f ON f.id = v.finding_id
          WHERE r.item_id = $1 AND r.status = 'submitted' ORDER BY v.finding_id, u.username`,
        [itemId],
      );
      const reviewers = [...new Set(rows.map((r) => r.reviewer))].sort();
      const byFinding = new Map<number, { ruleId: string; verdicts: Record<string, string> }>();
      for (const r of rows) {
        const entry = byFinding.get(r.finding_id) ?? { ruleId: r.rule_id, verdicts: {} };
        entry.verdicts[r.reviewer] = r.verdict;
        byFinding.set(r.finding_id, entry);
      }
      const findings = [...byFinding.entries()].map(([findingId, e]) => {
        const labels = Object.values(e.verdicts);
        const confirmed = labels.filter((l) => l === 'confirmed').length;
        const n = labels.length;
        let agreeingPairs = 0;
        for (let a = 0; a < n; a++)
          for (let b = a + 1; b < n; b++) if (labels[a] === labels[b]) agreeingPairs++;
        const pairs = (n * (n - 1)) / 2;
        return {
          findingId,
          ruleId: e.ruleId,
          verdicts: e.verdicts,
          confirmed,
          rejected: n - confirmed,
          /** Share of rater pairs that agree (1 = unanimous). */
          agreement: pairs ? round4(agreeingPairs / pairs) : null,
          unanimous: confirmed === 0 || confirmed === n,
        };
      });
      return {
        itemId,
        calibration: item.calibration,
        target: item.calibration_target,
        status: item.status,
        reviewers,
        findings,
        ...kappas(rows.map((r) => ({ subject: r.finding_id, rater: r.reviewer, label: r.verdict }))),
      };
    },

    /** Cohen's kappa per reviewer pair and Fleiss' kappa over all calibration items submitted in the range. */
    async calibrationReport(range: Range) {
      const params: unknown[] = [];
      const rows = await db.query<{ finding_id: number; reviewer: string; verdict: string; item_id: number }>(
        `SELECT v.finding_id, u.username AS reviewer, v.verdict, r.item_id FROM verdicts v
           JOIN reviews r ON r.id = v.review_id JOIN users u ON u.id = r.reviewer_id
           JOIN items i ON i.id = r.item_id
          WHERE i.calibration AND r.status = 'submitted'${rangeClause('r.submitted_at', range, params)}`,
        params,
      );
      const items = await db.query<{
        id: number;
        calibration_target: number;
        submitted: number;
        status: string;
      }>(
        `SELECT i.id, i.calibration_target, i.status,
                (SELECT count(*) FROM reviews r WHERE r.item_id = i.id AND r.status = 'submitted')::int AS submitted
           FROM items i WHERE i.calibration ORDER BY i.id DESC LIMIT 500`,
      );
      return {
        items: items.map((i) => ({
          itemId: i.id,
          target: i.calibration_target,
          submitted: i.submitted,
          status: i.status,
        })),
        findings: new Set(rows.map((r) => r.finding_id)).size,
        ...kappas(rows.map((r) => ({ subject: r.finding_id, rater: r.reviewer, label: r.verdict }))),
      };
    },

    async report(q: ReportQuery) {
      const params: unknown[] = [q.period];
      const rows = await db.query<{
        agent_id: string;
        agent_team: string | null;
        bucket: Date | string;
        final_score: number;
        final_passed: boolean;
        final_fatal: boolean;
        nonfatal_errors: number | null;
        opportunities: number;
        rules: string[] | null;
      }>(
        `SELECT i.agent_id, i.agent_team, date_trunc($1, i.reviewed_at AT TIME ZONE 'UTC') AS bucket,
                i.final_score, i.final_passed, i.final_fatal, i.nonfatal_errors, i.opportunities,
                ARRAY(SELECT f.rule_id FROM findings f WHERE f.item_id = i.id AND f.final = 'confirmed') AS rules
           FROM items i WHERE i.reviewed_at IS NOT NULL${rangeClause('i.reviewed_at', q, params)}`,
        params,
      );
      const groups = new Map<string, { key: string; period: string; rows: typeof rows }>();
      for (const r of rows) {
        const key = q.by === 'agent' ? r.agent_id : q.by === 'team' ? (r.agent_team ?? '(none)') : 'all';
        const period = bucketIso(r.bucket);
        const id = `${period}\u0000${key}`;
        const g = groups.get(id) ?? { key, period, rows: [] };
        g.rows.push(r);
        groups.set(id, g);
      }
      const out = [...groups.values()]
        .sort((a, b) => a.period.localeCompare(b.period) || a.key.localeCompare(b.key))
        .map((g) => {
          const n = g.rows.length;
          const bands = { excellent: 0, good: 0, pass: 0, poor: 0 };
          for (const r of g.rows) bands[gradeBand(r.final_score)]++;
          const fatalItems = g.rows.filter((r) => r.final_fatal).length;
          const nonFatal = g.rows.reduce((s, r) => s + (r.nonfatal_errors ?? 0), 0);
          const opportunities = g.rows.reduce((s, r) => s + r.opportunities, 0);
          const counts = new Map<string, number>();
          for (const r of g.rows)
            for (const rule of r.rules ?? []) counts.set(rule, (counts.get(rule) ?? 0) + 1);
          return {
            period: g.period,
            [q.by === 'all' ? 'scope' : q.by]: g.key,
            items: n,
            meanScore: round4(g.rows.reduce((s, r) => s + r.final_score, 0) / n),
            passRate: round4(g.rows.filter((r) => r.final_passed).length / n),
            bands,
            // Seed 004: fatal accuracy = 1 − items failed by fatal errors / items monitored;
            // non-fatal accuracy = 1 − non-fatal errors / (opportunities × items monitored).
            fatalAccuracy: round4(1 - fatalItems / n),
            nonFatalAccuracy: opportunities ? round4(1 - nonFatal / opportunities) : null,
            topRules: [...counts.entries()]
              .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
              .slice(0, 3)
              .map(([ruleId, count]) => ({ ruleId, count })),
          };
        });
      return { by: q.by, period: q.period, rows: out };
    },
  };
}

export function reportCsv(report: Awaited<ReturnType<ReturnType<typeof createAnalytics>['report']>>): string {
  const keyName = report.by === 'all' ? 'scope' : report.by;
  return toCsv(
    [
      'period',
      keyName,
      'items',
      'mean_score',
      'pass_rate',
      'excellent',
      'good',
      'pass',
      'poor',
      'fatal_accuracy',
      'non_fatal_accuracy',
      'top_rules',
    ],
    report.rows.map((r) => [
      r.period,
      (r as Record<string, unknown>)[keyName],
      r.items,
      r.meanScore,
      r.passRate,
      r.bands.excellent,
      r.bands.good,
      r.bands.pass,
      r.bands.poor,
      r.fatalAccuracy,
      r.nonFatalAccuracy,
      r.topRules.map((t) => `${t.ruleId}:${t.count}`).join(' '),
    ]),
  );
}

/** Cohen's kappa per rater pair (over the subjects both rated) and Fleiss' kappa over subjects with the modal rater count. */
export function kappas(rows: ReadonlyArray<{ subject: number; rater: string; label: string }>) {
  const bySubject = new Map<number, Map<string, string>>();
  for (const r of rows) {
    const m = bySubject.get(r.subject) ?? new Map<string, string>();
    m.set(r.rater, r.label);
    bySubject.set(r.subject, m);
  }
  const raters = [...new Set(rows.map((r) => r.rater))].sort();
  const pairs: Array<{
    raters: [string, string];
    n: number;
    agreement: number | null;
    kappa: number | null;
  }> = [];
  for (let a = 0; a < raters.length; a++) {
    for (let b = a + 1; b < raters.length; b++) {
      const both: Array<[string, string]> = [];
      for (const m of bySubject.values()) {
        const la = m.get(raters[a]!);
        const lb = m.get(raters[b]!);
        if (la !== undefined && lb !== undefined) both.push([la, lb]);
      }
      if (both.length === 0) continue;
      pairs.push({
        raters: [raters[a]!, raters[b]!],
        n: both.length,
        agreement: round4(both.filter(([x, y]) => x === y).length / both.length),
        kappa: cohenKappa(both),
      });
    }
  }
  const sizes = new Map<number, number>();
  for (const m of bySubject.values()) if (m.size >= 2) sizes.set(m.size, (sizes.get(m.size) ?? 0) + 1);
  const modal = [...sizes.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
  const labels = ['confirmed', 'rejected'];
  const matrix = [...bySubject.values()]
    .filter((m) => m.size === modal)
    .map((m) => labels.map((l) => [...m.values()].filter((v) => v === l).length));
  return {
    pairs,
    fleiss:
      modal === undefined ? null : { raters: modal, subjects: matrix.length, kappa: fleissKappa(matrix) },
  };
}
export type Analytics = ReturnType<typeof createAnalytics>;
