import { get } from '../api';
import { BarChart } from '../charts';
import { Grid } from '../grid';
import { dateTime, duration, t } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../ui';

interface Ops {
  queues: Array<{
    queue: string;
    unclaimed: number;
    claimed: number;
    oldestUnclaimedAgeSeconds: number | null;
  }>;
  noisyRules: Array<{ ruleId: string; reviewed: number; precision: number }>;
  ingest: Array<{ group: string; topic: string; partition: number; nextOffset: string; updatedAt: string }>;
  metrics?: {
    queueDepth: Array<{ queue: string; state: string; value: number }>;
    oldestUnclaimedSeconds: Array<{ queue: string; value: number }>;
    ingested: Array<{ outcome: string; value: number }>;
  };
  screenedPerMinute?: Array<{ minute: string; items: number }>;
}

/** What ops watch: queue depths and ages (the /metrics gauges), items screened per minute, invalid items, noisy rules, ingest offsets. */
export function OpsPage() {
  const ops = useLoad(() => get<Ops>('/api/ops'), []);
  const o = ops.data;
  const depth = new Map<string, { unclaimed: number; claimed: number }>();
  for (const d of o?.metrics?.queueDepth ?? []) {
    const e = depth.get(d.queue) ?? { unclaimed: 0, claimed: 0 };
    e[d.state === 'claimed' ? 'claimed' : 'unclaimed'] = d.value;
    depth.set(d.queue, e);
  }
  const age = new Map((o?.metrics?.oldestUnclaimedSeconds ?? []).map((a) => [a.queue, a.value]));
  return (
    <>
      <h1>{t('navOps')}</h1>
      <ErrorNote error={ops.error} />
      <Loading when={!o}>
        {o && (
          <>
            <h2>{t('screenedPerMinute')}</h2>
            <BarChart
              label={t('screenedPerMinute')}
              rows={(o.screenedPerMinute ?? []).map((m) => ({
                name: m.minute.slice(11, 16),
                value: m.items,
              }))}
            />
            <p>
              {t('deadLetters')}:{' '}
              <b data-testid="dead-letters">
                {(o.metrics?.ingested ?? []).find((x) => x.outcome === 'invalid')?.value ?? 0}
              </b>
            </p>
            <h2>{t('queues')}</h2>
            <Grid
              label={t('queues')}
              rows={[...depth.entries()]}
              rowProps={([q]) => ({ 'data-queue': q })}
              columns={[
                { title: t('queue'), rowHeader: true, cell: ([q]) => q },
                { title: t('unclaimed'), num: true, cell: ([, d]) => d.unclaimed },
                { title: t('claimed'), num: true, cell: ([, d]) => d.claimed },
                { title: t('age'), cell: ([q]) => (age.has(q) ? duration(age.get(q)!) : '—') },
              ]}
            />
            <h2>{t('noisyRules')}</h2>
            <p>
              {o.noisyRules.length === 0
                ? t('none')
                : o.noisyRules.map((r) => `${r.ruleId} (${Math.round(r.precision * 100)}%)`).join(', ')}
            </p>
            <h2>{t('ingest')}</h2>
            <Grid
              label={t('ingest')}
              rows={o.ingest}
              columns={[
                { title: t('consumerGroup'), rowHeader: true, cell: (g) => g.group },
                { title: t('topic'), cell: (g) => g.topic },
                { title: t('partition'), num: true, cell: (g) => g.partition },
                { title: t('nextOffset'), num: true, cell: (g) => g.nextOffset },
                { title: t('updated'), cell: (g) => dateTime(g.updatedAt) },
              ]}
            />
          </>
        )}
      </Loading>
    </>
  );
}
