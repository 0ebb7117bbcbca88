import { get } from '../api';
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
            <table class="grid" aria-label={t('cohen')}>
              <thead>
                <tr>
                  <th scope="col">A</th>
                  <th scope="col">B</th>
                  <th scope="col" class="num">
                    n
                  </th>
                  <th scope="col" class="num">
                    {t('agreement')}
                  </th>
                  <th scope="col" class="num">
                    κ
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.pairs.map((p) => (
                  <tr>
                    <td>{p.raters[0]}</td>
                    <td>{p.raters[1]}</td>
                    <td class="num">{p.n}</td>
                    <td class="num">{f2(p.agreement)}</td>
                    <td class="num">{f2(p.kappa)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>{t('items')}</h2>
            <table class="grid" aria-label={t('items')}>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('progress')}</th>
                  <th scope="col">{t('status')}</th>
                </tr>
              </thead>
              <tbody>
                {r.items.map((i) => (
                  <tr>
                    <td>
                      <a href={`#/item/${i.itemId}`}>{i.itemId}</a>
                    </td>
                    <td>
                      <progress
                        max={i.target}
                        value={i.submitted}
                        aria-label={`${i.submitted} / ${i.target}`}
                      />{' '}
                      {i.submitted} / {i.target}
                    </td>
                    <td>{i.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Loading>
    </>
  );
}
