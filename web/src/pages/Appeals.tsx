import { get, qs } from '../api';
import { Grid } from '../grid';
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
          <Grid
            label={t('appeals')}
            rows={list.data}
            rowProps={(a) => ({ 'data-appeal': a.id })}
            columns={[
              {
                title: '#',
                cell: (a) => (
                  <a href={`#/item/${a.itemId}`}>
                    {t('appealStatus')} {a.id} · {t('item')} {a.itemId}
                  </a>
                ),
              },
              { title: t('status'), cell: (a) => t(`appeal_${a.status}` as Key) },
              { title: t('agent'), cell: (a) => a.agentId },
              { title: t('team'), cell: (a) => a.agentTeam ?? '' },
              { title: t('scoreBefore'), num: true, cell: (a) => a.scoreBefore ?? '' },
              { title: t('scoreAfter'), num: true, cell: (a) => a.scoreAfter ?? '' },
              { title: t('created'), cell: (a) => dateTime(a.createdAt) },
            ]}
          />
        )}
      </Loading>
    </>
  );
}
