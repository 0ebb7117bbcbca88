import { get, type ItemPage, type Me, qs } from '../api';
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
          <table class="grid" aria-label={t('myResults')}>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('finalScore')}</th>
                <th scope="col">{t('machineScore')}</th>
                <th scope="col">{t('rulesFired')}</th>
                <th scope="col">{t('reviewed')}</th>
              </tr>
            </thead>
            <tbody>
              {items.data.items.map((i) => (
                <tr data-item={i.id}>
                  <td>
                    <a href={`#/item/${i.id}`}>{i.conversationId}</a>
                  </td>
                  <td>{i.final && <ScoreBadge {...i.final} />}</td>
                  <td>{i.machine.score}</td>
                  <td class="rules">{i.rules.join(', ')}</td>
                  <td>{dateTime(i.final?.reviewedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loading>
    </>
  );
}
