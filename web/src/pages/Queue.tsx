import { useState } from 'preact/hooks';
import { api, get, type ItemPage, type QueueRow, qs } from '../api';
import { Grid, itemLink, rulesFired } from '../grid';
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
        <Grid
          label={t('queues')}
          rows={queues.data ?? []}
          rowProps={(q) => ({ 'data-queue': q.queue })}
          columns={[
            {
              title: t('queue'),
              rowHeader: true,
              cell: (q) => <a href={`#/queue${qs({ queue: q.queue })}`}>{q.queue}</a>,
            },
            { title: t('unclaimed'), num: true, cell: (q) => q.unclaimed },
            { title: t('claimed'), num: true, cell: (q) => q.claimed },
            { title: t('fatal'), num: true, cell: (q) => q.fatal },
            { title: t('calibration'), num: true, cell: (q) => q.calibration },
            {
              title: t('oldest'),
              cell: (q) =>
                q.oldestUnclaimedAgeSeconds === null ? '—' : duration(q.oldestUnclaimedAgeSeconds),
            },
          ]}
        />
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
            <Grid
              class="items"
              label={t('items')}
              rows={items.data.items}
              rowProps={(i) => ({ 'data-item': i.id })}
              columns={[
                itemLink(),
                {
                  title: t('score'),
                  cell: (i) => (
                    <ScoreBadge score={i.machine.score} passed={i.machine.passed} fatal={i.machine.fatal} />
                  ),
                },
                { title: t('agent'), cell: (i) => i.agentId },
                { title: t('team'), cell: (i) => i.agentTeam ?? '' },
                { title: t('queue'), cell: (i) => i.queue },
                rulesFired(),
                { title: t('screened'), cell: (i) => dateTime(i.screenedAt) },
              ]}
            />
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
