/** Wilson score interval for a proportion (95% by default): sound at small n and at 0 or 1. */
export function wilson(successes: number, n: number, z = 1.96): { low: number; high: number } | null {
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: round4(Math.max(0, centre - half)), high: round4(Math.min(1, centre + half)) };
}

/**
 * Cohen's kappa for two raters over the same subjects, labels of any kind.
 * 1 when observed agreement is total, even if chance agreement is too (one label only).
 */
export function cohenKappa<L>(pairs: ReadonlyArray<readonly [L, L]>): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  const labels = [...new Set(pairs.flat())];
  const observed = pairs.filter(([a, b]) => a === b).length / n;
  let expected = 0;
  for (const l of labels) {
    const pa = pairs.filter(([a]) => a === l).length / n;
    const pb = pairs.filter(([, b]) => b === l).length / n;
    expected += pa * pb;
  }
  if (expected === 1) return 1;
  return round4((observed - expected) / (1 - expected));
}

/**
 * Fleiss' kappa: `counts[i][j]` raters put subject i in category j; every subject has the same
 * number of raters (at least 2).
 */
export function fleissKappa(counts: ReadonlyArray<readonly number[]>): number | null {
  const N = counts.length;
  if (N === 0) return null;
  const n = counts[0]!.reduce((a, b) => a + b, 0);
  if (n < 2 || counts.some((row) => row.reduce((a, b) => a + b, 0) !== n)) return null;
  const k = counts[0]!.length;
  const p = Array.from({ length: k }, (_, j) => counts.reduce((s, row) => s + row[j]!, 0) / (N * n));
  const P = counts.map((row) => (row.reduce((s, c) => s + c * c, 0) - n) / (n * (n - 1)));
  const Pbar = P.reduce((a, b) => a + b, 0) / N;
  const Pe = p.reduce((s, pj) => s + pj * pj, 0);
  if (Pe === 1) return 1;
  return round4((Pbar - Pe) / (1 - Pe));
}

export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** RFC 4180 CSV: fields with comma, quote or newline are quoted; a leading =,+,-,@ is neutralised. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    let s = typeof v === 'string' ? v : Array.isArray(v) ? v.join(' ') : String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
