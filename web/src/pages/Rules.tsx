import { useState } from 'preact/hooks';
import { get, qs } from '../api';
import { BarChart, LineChart } from '../charts';
import { Grid } from '../grid';
import { t } from '../i18n';
import { ErrorNote, Loading, type Period, PeriodField, useLoad, useRenderTime } from '../ui';

interface RuleRow {
  ruleId: string;
  flagged: number;
  reviewed: number;
  confirmed: number;
  rejected: number;
  precision: number | null;
  precisionCi: { low: number; high: number } | null;
  added: number;
  recent: { reviewed: number; precision: number } | null;
  noisy: boolean;
  rejectReasons: Record<string, number>;
}
interface TimelineRow {
  period: string;
  ruleId: string;
  precision: number | null;
  reviewed: number;
}

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${Math.round(v * 100)}%`;

/** Precision per rule with its interval, misses, the noisy flag; precision per period as a chart, noisy rules drawn thick. */
export function RulesPage() {
  const [period, setPeriod] = useState<Period>('day');
  const quality = useLoad(() => get<{ rules: RuleRow[]; noisyThreshold: number }>('/api/rules/quality'), []);
  const timeline = useLoad(
    () => get<TimelineRow[]>(`/api/rules/quality/timeline${qs({ period })}`),
    [period],
  );
  useRenderTime(!!quality.data && !!timeline.data, 'Rules');
  const noisy = new Set((quality.data?.rules ?? []).filter((r) => r.noisy).map((r) => r.ruleId));
  const byRule = new Map<string, TimelineRow[]>();
  for (const r of timeline.data ?? []) byRule.set(r.ruleId, [...(byRule.get(r.ruleId) ?? []), r]);
  return (
    <>
      <h1>{t('navRules')}</h1>
      <ErrorNote error={quality.error ?? timeline.error} />
      <Loading when={!quality.data || !timeline.data}>
        <h2>{t('precisionOverTime')}</h2>
        <PeriodField value={period} onChange={setPeriod} />
        <LineChart
          label={t('precisionOverTime')}
          series={[...byRule.entries()].map(([name, rows]) => ({
            name: noisy.has(name) ? `${name} (${t('noisy')})` : name,
            highlight: noisy.has(name),
            points: rows.map((r) => ({ x: r.period, y: r.precision })),
          }))}
        />
        <BarChart
          label={t('precision')}
          max={1}
          format={(v) => pct(v)}
          rows={(quality.data?.rules ?? [])
            .filter((r) => r.precision !== null)
            .map((r) => ({ name: r.ruleId, value: r.precision!, highlight: r.noisy }))}
        />
        <Grid
          label={t('navRules')}
          rows={quality.data?.rules ?? []}
          rowProps={(r) => ({ class: r.noisy ? 'noisy' : '', 'data-rule': r.ruleId })}
          columns={[
            {
              title: t('rule'),
              rowHeader: true,
              cell: (r) => (
                <>
                  {r.ruleId} {r.noisy && <span class="badge noisy">{t('noisy')}</span>}
                </>
              ),
            },
            { title: t('reviewedFindings'), num: true, cell: (r) => r.reviewed },
            { title: t('precision'), num: true, cell: (r) => pct(r.precision) },
            {
              title: t('interval'),
              cell: (r) => (r.precisionCi ? `${pct(r.precisionCi.low)}–${pct(r.precisionCi.high)}` : '—'),
            },
            { title: t('misses'), num: true, cell: (r) => r.added },
            {
              title: t('rejectReason'),
              cell: (r) =>
                Object.entries(r.rejectReasons)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(', '),
            },
          ]}
        />
      </Loading>
    </>
  );
}
