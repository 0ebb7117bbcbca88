import { get } from '../api';
import { Grid } from '../grid';
import { t } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../ui';

interface Kappas {
  pairs: Array<{ raters: [string, string]; n: number; agreement: number | null; kappa: number | null }>;
  fleiss: { raters: number; subjects: number; kappa: number | null } | null;
}
interface CalibrationReport extends Kappas {
  items: Array<{ itemId: number; target: number; submitted: number; status: string }>;
  findings: number;
}

const f2 = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(2));

/** Calibration items with their progress; agreement and Cohen's kappa per reviewer pair, Fleiss' kappa overall. */
export function CalibrationPage() {
  const report = useLoad(() => get<CalibrationReport>('/api/calibration'), []);
  const r = report.data;
  return (
    <>
      <h1>{t('navCalibration')}</h1>
      <ErrorNote error={report.error} />
      <Loading when={!r}>
        {r && (
          <>
            <p>
              {t('fleiss')}: <b data-testid="fleiss">{f2(r.fleiss?.kappa)}</b>
              {r.fleiss && ` (${r.fleiss.raters} × ${r.fleiss.subjects})`}
            </p>
            <h2>{t('cohen')}</h2>
            <Grid
              label={t('cohen')}
              rows={r.pairs}
              columns={[
                { title: 'A', cell: (p) => p.raters[0] },
                { title: 'B', cell: (p) => p.raters[1] },
                { title: 'n', num: true, cell: (p) => p.n },
                { title: t('agreement'), num: true, cell: (p) => f2(p.agreement) },
                { title: 'κ', num: true, cell: (p) => f2(p.kappa) },
              ]}
            />
            <h2>{t('items')}</h2>
            <Grid
              label={t('items')}
              rows={r.items}
              columns={[
                { title: '#', cell: (i) => <a href={`#/item/${i.itemId}`}>{i.itemId}</a> },
                {
                  title: t('progress'),
                  cell: (i) => (
                    <>
                      <progress
                        max={i.target}
                        value={i.submitted}
                        aria-label={`${i.submitted} / ${i.target}`}
                      />{' '}
                      {i.submitted} / {i.target}
                    </>
                  ),
                },
                { title: t('status'), cell: (i) => i.status },
              ]}
            />
          </>
        )}
      </Loading>
    </>
  );
}
