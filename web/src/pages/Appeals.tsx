import { get, qs } from '../api';
import { dateTime, type Key, t } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../ui';

interface AppealRow {
  id: number;
  itemId: number;
  status: string;
  agentId: string;
  agentTeam: string | null;
  createdAt: string;
  ruledAt: string | null;
  scoreBefore: number | null;
  scoreAfter: number | null;
}

/** Appeals for supervisors to rule on: open first, oldest first; each opens the item with the ruling form. */
export function AppealsPage() {
  const list = useLoad(() => get<AppealRow[]>(`/api/appeals${qs({ limit: 200 })}`), []);
  return (
    <>
      <h1>{t('appeals')}</h1>
      <ErrorNote error={list.error} />
      <Loading when={list.loading && !list.data}>
        {list.data?.length === 0 && <p>{t('noItems')}</p>}
        {list.data && list.data.length > 0 && (
          <table class="grid" aria-label={t('appeals')}>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('agent')}</th>
                <th scope="col">{t('team')}</th>
                <th scope="col">{t('scoreBefore')}</th>
                <th scope="col">{t('scoreAfter')}</th>
                <th scope="col">{t('created')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((a) => (
                <tr data-appeal={a.id}>
                  <td>
                    <a href={`#/item/${a.itemId}`}>
                      {t('appealStatus')} {a.id} · {t('item')} {a.itemId}
                    </a>
                  </td>
                  <td>{t(`appeal_${a.status}` as Key)}</td>
                  <td>{a.agentId}</td>
                  <td>{a.agentTeam ?? ''}</td>
                  <td class="num">{a.scoreBefore ?? ''}</td>
                  <td class="num">{a.scoreAfter ?? ''}</td>
                  <td>{dateTime(a.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loading>
    </>
  );
}
