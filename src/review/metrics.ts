import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from './db.js';
import { isNoisy, recentPrecision } from './noisy.js';
import type { ServiceSettings } from './service.js';

/**
 * The review service's Prometheus metrics. Queue and rule gauges are read from the database at
 * scrape time, so every instance reports the same truth and a restart loses nothing.
 */
export function createReviewMetrics(db: Db, settings: ServiceSettings) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'qa_review_' });

  new Gauge({
    name: 'qa_review_queue_depth',
    help: 'Items waiting for review, by queue and whether a reviewer holds a live lease',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const rows = await db.query<{ queue: string; claimed: boolean; n: number }>(
        `SELECT i.queue, EXISTS (SELECT 1 FROM reviews r WHERE r.item_id = i.id AND r.status = 'open'
                  AND r.lease_expires_at > now()) AS claimed, count(*)::int AS n
           FROM items i WHERE i.status = 'pending' GROUP BY 1, 2`,
      );
      this.reset();
      for (const r of rows) this.set({ queue: r.queue, state: r.claimed ? 'claimed' : 'unclaimed' }, r.n);
    },
  });

  new Gauge({
    name: 'qa_review_oldest_unclaimed_seconds',
    help: 'Age of the oldest unclaimed item per queue (since it was ingested)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const rows = await db.query<{ queue: string; age: number }>(
        `SELECT i.queue, EXTRACT(EPOCH FROM now() - min(i.ingested_at))::float8 AS age FROM items i
          WHERE i.status = 'pending' AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.item_id = i.id
                AND r.status = 'open' AND r.lease_expires_at > now())
          GROUP BY i.queue`,
      );
      this.reset();
      for (const r of rows) this.set({ queue: r.queue }, Math.max(0, Number(r.age)));
    },
  });

  new Gauge({
    name: 'qa_review_verdicts',
    help: 'Reviewed machine findings by rule and outcome (confirmed/rejected), and reviewer-added (missed) findings',
    labelNames: ['rule', 'verdict'],
    registers: [registry],
    async collect() {
      const rows = await db.query<{ rule_id: string; verdict: string; n: number }>(
        `SELECT rule_id, CASE WHEN origin = 'reviewer' THEN 'added' ELSE final END AS verdict, count(*)::int AS n
           FROM findings WHERE final IS NOT NULL GROUP BY 1, 2`,
      );
      this.reset();
      for (const r of rows) this.set({ rule: r.rule_id, verdict: r.verdict }, r.n);
    },
  });

  new Gauge({
    name: 'qa_review_rule_noisy',
    help: `1 when a rule's precision over its last reviewed findings is below the noisy threshold`,
    labelNames: ['rule'],
    registers: [registry],
    async collect() {
      const rows = await recentPrecision(db, settings.noisyWindow);
      this.reset();
      for (const [rule, recent] of rows) this.set({ rule }, isNoisy(recent, settings) ? 1 : 0);
    },
  });

  return {
    registry,
    http: new Counter({
      name: 'qa_review_http_requests_total',
      help: 'API requests by route and status code',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
    httpSeconds: new Histogram({
      name: 'qa_review_http_request_seconds',
      help: 'API request time',
      labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    ingested: new Counter({
      name: 'qa_review_ingested_total',
      help: 'Items stored by ingest/import, by outcome (inserted, duplicate, invalid)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}
export type ReviewMetrics = ReturnType<typeof createReviewMetrics>;
