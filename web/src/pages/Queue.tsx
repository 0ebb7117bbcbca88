import { useState } from 'preact/hooks';
import { api, get, type ItemPage, type QueueRow, qs } from '../api';
import { dateTime, duration, t } from '../i18n';
import { go } from '../router';
import { ErrorNote, Loading, ScoreBadge, useLoad, useRenderTime } from '../ui';

const FILTERS = ['queue', 'team', 'agent', 'rule', 'from', 'to'] as const;
const PAGE = 50;

/** The filters the reviewer chose last: "next item" claims with them. */
export function claimFilters(): Record<string, string> {
  try {
    return JSON.parse(sessionStorage.getItem('qa-claim-filters') ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

export async function claimNext(): Promise<boolean> {
  const f = claimFilters();
  const body: Record<string, string> = {};
  for (const k of ['queue', 'team', 'agent', 'rule']) if (f[k]) body[k] = f[k];
  const r = await api<{ claim: { reviewId: number; itemId: number } | null }>('POST', '/api/claims', body);
  if (!r.claim) return false;
  go(`#/item/${r.claim.itemId}?review=${r.claim.reviewId}`);
  return true;
}

export function QueuePage({ query }: { query: URLSearchParams }) {
  const filters: Record<string, string> = {};
  for (const k of FILTERS) {
    const v = query.get(k);
    if (v) filters[k] = v;
  }
  const offset = Number(query.get('offset') ?? 0) || 0;
  const key = JSON.stringify([filters, offset]);
  const queues = useLoad(() => get<QueueRow[]>('/api/queues'), []);
  const items = useLoad(
    () =>
      get<ItemPage>(
        `/api/items${qs({
          ...filters,
          from: filters.from && new Date(filters.from).toISOString(),
          to: filters.to && new Date(filters.to).toISOString(),
          limit: PAGE,
          offset,
        })}`,
      ),
    [key],
  );
  useRenderTime(!!items.data, 'Queue');
  const [empty, setEmpty] = useState(false);
  const [claimError, setClaimError] = useState<Error | undefined>();

  function apply(e: Event) {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const f: Record<string, string> = {};
    for (const k of FILTERS) {
      const v = String(form.get(k) ?? '').trim();
      if (v) f[k] = v;
    }
    sessionStorage.setItem('qa-claim-filters', JSON.stringify(f));
    go(`#/queue${qs(f)}`);
  }
  const page = (o: number) => go(`#/queue${qs({ ...filters, offset: o || undefined })}`);

  return (
    <>
      <h1>{t('queues')}</h1>
      <ErrorNote error={queues.error} />
      <Loading when={queues.loading && !queues.data}>
        <table class="grid" aria-label={t('queues')}>
          <thead>
            <tr>
              <th scope="col">{t('queue')}</th>
              <th scope="col" class="num">
                {t('unclaimed')}
              </th>
              <th scope="col" class="num">
                {t('claimed')}
              </th>
              <th scope="col" class="num">
                {t('fatal')}
              </th>
              <th scope="col" class="num">
                {t('calibration')}
              </th>
              <th scope="col">{t('oldest')}</th>
            </tr>
          </thead>
          <tbody>
            {(queues.data ?? []).map((q) => (
              <tr data-queue={q.queue}>
                <th scope="row">
                  <a href={`#/queue${qs({ queue: q.queue })}`}>{q.queue}</a>
                </th>
                <td class="num">{q.unclaimed}</td>
                <td class="num">{q.claimed}</td>
                <td class="num">{q.fatal}</td>
                <td class="num">{q.calibration}</td>
                <td>{q.oldestUnclaimedAgeSeconds === null ? '—' : duration(q.oldestUnclaimedAgeSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Loading>

      <form class="filters" onSubmit={apply} aria-label={t('filters')} key={key}>
        <label>
          {t('queue')}
          <select name="queue" value={filters.queue ?? ''}>
            <option value="">{t('any')}</option>
            {(queues.data ?? []).map((q) => (
              <option value={q.queue}>{q.queue}</option>
            ))}
          </select>
        </label>
        {(['team', 'agent', 'rule'] as const).map((k) => (
          <label>
            {t(k)}
            <input name={k} value={filters[k] ?? ''} size={12} />
          </label>
        ))}
        <label>
          {t('from')}
          <input name="from" type="date" value={filters.from ?? ''} />
        </label>
        <label>
          {t('to')}
          <input name="to" type="date" value={filters.to ?? ''} />
        </label>
        <button type="submit">{t('apply')}</button>
        <button
          type="button"
          onClick={() => {
            sessionStorage.removeItem('qa-claim-filters');
            go('#/queue');
          }}
        >
          {t('clear')}
        </button>
        <button
          type="button"
          class="primary"
          onClick={async () => {
            setClaimError(undefined);
            sessionStorage.setItem('qa-claim-filters', JSON.stringify(filters));
            try {
              setEmpty(!(await claimNext()));
            } catch (e) {
              setClaimError(e as Error);
            }
          }}
        >
          {t('claimNext')}
        </button>
      </form>
      {empty && (
        <p role="status" class="note">
          {t('queueEmpty')}
        </p>
      )}
      <ErrorNote error={claimError ?? items.error} />

      <h2>{t('items')}</h2>
      <Loading when={items.loading && !items.data}>
        {items.data && items.data.total === 0 && <p>{t('noItems')}</p>}
        {items.data && items.data.total > 0 && (
          <>
            <p class="pager-status" aria-live="polite">
              {t('pageOf', {
                from: offset + 1,
                to: offset + items.data.items.length,
                total: items.data.total,
              })}
            </p>
            <table class="grid items" aria-label={t('items')}>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('score')}</th>
                  <th scope="col">{t('agent')}</th>
                  <th scope="col">{t('team')}</th>
                  <th scope="col">{t('queue')}</th>
                  <th scope="col">{t('rulesFired')}</th>
                  <th scope="col">{t('screened')}</th>
                </tr>
              </thead>
              <tbody>
                {items.data.items.map((i) => (
                  <tr data-item={i.id}>
                    <td>
                      <a href={`#/item/${i.id}`}>{i.conversationId}</a>
                    </td>
                    <td>
                      <ScoreBadge score={i.machine.score} passed={i.machine.passed} fatal={i.machine.fatal} />
                    </td>
                    <td>{i.agentId}</td>
                    <td>{i.agentTeam ?? ''}</td>
                    <td>{i.queue}</td>
                    <td class="rules">{i.rules.join(', ')}</td>
                    <td>{dateTime(i.screenedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <nav class="pager" aria-label="pages">
              <button type="button" disabled={offset === 0} onClick={() => page(Math.max(0, offset - PAGE))}>
                {t('previous')}
              </button>
              <button
                type="button"
                disabled={offset + PAGE >= items.data.total}
                onClick={() => page(offset + PAGE)}
              >
                {t('next')}
              </button>
            </nav>
          </>
        )}
      </Loading>
    </>
  );
}
