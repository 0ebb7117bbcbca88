import { get, type ItemPage, type Me, qs } from '../api';
import { Grid, itemLink, rulesFired } from '../grid';
import { dateTime, t } from '../i18n';
import { ErrorNote, Loading, ScoreBadge, useLoad } from '../ui';

/** An agent's own reviewed conversations, newest first, with their final score; each opens read-only. */
export function AgentPage({ me }: { me: Me }) {
  const offset = 0;
  const items = useLoad(() => get<ItemPage>(`/api/items${qs({ limit: 100, offset })}`), []);
  return (
    <>
      <h1>
        {t('myResults')} · {me.user.agentId}
      </h1>
      <ErrorNote error={items.error} />
      <Loading when={items.loading && !items.data}>
        {items.data?.total === 0 && <p>{t('noItems')}</p>}
        {items.data && items.data.total > 0 && (
          <Grid
            label={t('myResults')}
            rows={items.data.items}
            rowProps={(i) => ({ 'data-item': i.id })}
            columns={[
              itemLink(),
              { title: t('finalScore'), cell: (i) => i.final && <ScoreBadge {...i.final} /> },
              { title: t('machineScore'), cell: (i) => i.machine.score },
              rulesFired(),
              { title: t('reviewed'), cell: (i) => dateTime(i.final?.reviewedAt) },
            ]}
          />
        )}
      </Loading>
    </>
  );
}
