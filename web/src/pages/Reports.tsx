import { useState } from 'preact/hooks';
import { get, qs } from '../api';
import { BarChart } from '../charts';
import { Grid } from '../grid';
import { t } from '../i18n';
import { ErrorNote, Loading, type Period, PeriodField, useLoad } from '../ui';

interface ReportRow {
  period: string;
  agent?: string;
  team?: string;
  scope?: string;
  items: number;
  meanScore: number;
  passRate: number;
  fatalAccuracy: number;
  nonFatalAccuracy: number | null;
  bands: Record<string, number>;
  topRules: Array<{ ruleId: string; count: number }>;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** Per agent/team/all and period: the report's rows, mean score and pass rate charts, and the same rows as CSV. */
export function ReportsPage() {
  const [by, setBy] = useState<'agent' | 'team' | 'all'>('agent');
  const [period, setPeriod] = useState<Period>('month');
  const report = useLoad(() => get<{ rows: ReportRow[] }>(`/api/reports${qs({ by, period })}`), [by, period]);
  const name = (r: ReportRow) => `${r.period} ${r.agent ?? r.team ?? r.scope ?? ''}`;
  return (
    <>
      <h1>{t('navReports')}</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('by')}
          <select value={by} onChange={(e) => setBy((e.target as HTMLSelectElement).value as typeof by)}>
            <option value="agent">{t('agent')}</option>
            <option value="team">{t('team')}</option>
            <option value="all">{t('all')}</option>
          </select>
        </label>
        <PeriodField value={period} onChange={setPeriod} />
        <a class="button" href={`/api/reports${qs({ by, period, format: 'csv' })}`} download>
          {t('downloadCsv')}
        </a>
      </form>
      <ErrorNote error={report.error} />
      <Loading when={!report.data}>
        <h2>{t('meanScore')}</h2>
        <BarChart
          label={t('meanScore')}
          max={100}
          rows={(report.data?.rows ?? []).map((r) => ({ name: name(r), value: r.meanScore }))}
        />
        <h2>{t('passRate')}</h2>
        <BarChart
          label={t('passRate')}
          max={1}
          format={(v) => pct(v)}
          rows={(report.data?.rows ?? []).map((r) => ({ name: name(r), value: r.passRate }))}
        />
        <Grid
          label={t('navReports')}
          rows={report.data?.rows ?? []}
          columns={[
            { title: t('period'), cell: (r) => r.period },
            { title: t(by === 'all' ? 'all' : by), cell: (r) => r.agent ?? r.team ?? r.scope },
            { title: t('items'), num: true, cell: (r) => r.items },
            { title: t('meanScore'), num: true, cell: (r) => r.meanScore },
            { title: t('passRate'), num: true, cell: (r) => pct(r.passRate) },
            { title: t('fatalAccuracy'), num: true, cell: (r) => pct(r.fatalAccuracy) },
            { title: t('nonFatalAccuracy'), num: true, cell: (r) => pct(r.nonFatalAccuracy) },
            {
              title: t('rulesFired'),
              cell: (r) => r.topRules.map((x) => `${x.ruleId} ${x.count}`).join(', '),
            },
          ]}
        />
      </Loading>
    </>
  );
}
