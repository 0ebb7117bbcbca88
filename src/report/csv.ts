import type { BatchSummary } from '../scoring/summary.js';

export const CSV_COLUMNS = [
  'scope',
  'key',
  'team',
  'items',
  'mean_score',
  'passed',
  'fatal_items',
  'fatal_accuracy',
  'non_fatal_accuracy',
  'findings',
  'points',
] as const;

/**
 * A cell as RFC 4180 wants it (quoted when it holds a comma, quote or line break), and never a
 * formula: spreadsheets run a cell that starts with = + - @ (CSV injection), so such text is
 * prefixed with a quote mark.
 */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The batch summary as one tidy table, a row per figure: `scope` is total, score_band, queue,
 * rule, team or agent; a spreadsheet filters on it.
 */
export function renderCsv(s: BatchSummary): string {
  type Row = Partial<Record<(typeof CSV_COLUMNS)[number], string | number>>;
  const rows: Row[] = [
    {
      scope: 'total',
      key: 'all',
      items: s.items,
      mean_score: s.meanScore,
      passed: s.passed,
      fatal_items: s.fatal,
    },
    { scope: 'total', key: 'flagged', items: s.flagged },
    { scope: 'total', key: 'calibration', items: s.sampled },
    { scope: 'total', key: 'data_quality', items: s.dataQuality },
    ...s.scoreBands.map((n, i) => ({
      scope: 'score_band',
      key: i === 9 ? '90-100' : `${i * 10}-${i * 10 + 9}`,
      items: n,
    })),
    ...s.queues.map((q) => ({ scope: 'queue', key: q.queue, items: q.items })),
    ...s.rules.map((r) => ({
      scope: 'rule',
      key: r.ruleId,
      items: r.items,
      findings: r.findings,
      points: r.points,
    })),
    ...s.teams.map((t) => ({
      scope: 'team',
      key: t.team,
      items: t.items,
      mean_score: t.meanScore,
      passed: t.passed,
      fatal_items: t.fatalItems,
      fatal_accuracy: t.fatalAccuracy,
      non_fatal_accuracy: t.nonFatalAccuracy,
    })),
    ...s.agents.map((a) => ({
      scope: 'agent',
      key: a.agentId,
      team: a.team,
      items: a.items,
      mean_score: a.meanScore,
      passed: a.passed,
      fatal_items: a.fatalItems,
      fatal_accuracy: a.fatalAccuracy,
      non_fatal_accuracy: a.nonFatalAccuracy,
    })),
  ];
  return `${[CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\r\n')}\r\n`;
}
