import type { Queryable } from './db.js';

export interface NoisySettings {
  noisyWindow: number;
  noisyMinReviewed: number;
  noisyThreshold: number;
}

export interface RecentPrecision {
  n: number;
  confirmed: number;
}

/** Each rule's last `window` reviewed machine findings (newest reviews first): how many, how many confirmed. */
export async function recentPrecision(
  q: Queryable,
  window: number,
  ruleId?: string,
): Promise<Map<string, RecentPrecision>> {
  const rows = await q.query<{ rule_id: string; n: number; confirmed: number }>(
    `SELECT rule_id, count(*)::int AS n, count(*) FILTER (WHERE final = 'confirmed')::int AS confirmed FROM (
       SELECT f.rule_id, f.final,
              row_number() OVER (PARTITION BY f.rule_id ORDER BY i.reviewed_at DESC, f.id DESC) AS rn
         FROM findings f JOIN items i ON i.id = f.item_id
        WHERE f.origin = 'machine' AND f.final IS NOT NULL AND ($2::text IS NULL OR f.rule_id = $2)) x
      WHERE rn <= $1 GROUP BY rule_id`,
    [window, ruleId ?? null],
  );
  return new Map(rows.map((r) => [r.rule_id, { n: r.n, confirmed: r.confirmed }]));
}

/** Noisy: at least the minimum reviewed among the last N, and their precision below the threshold. */
export function isNoisy(recent: RecentPrecision | undefined, s: NoisySettings): boolean {
  return (
    recent !== undefined && recent.n >= s.noisyMinReviewed && recent.confirmed / recent.n < s.noisyThreshold
  );
}
