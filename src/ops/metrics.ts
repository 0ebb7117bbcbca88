import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The worker's Prometheus metrics, on their own registry so tests and several workers never clash. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'qa_screen_' });
  const make = {
    consumed: new Counter({
      name: 'qa_screen_consumed_total',
      help: 'Records consumed',
      labelNames: ['topic'],
      registers: [registry],
    }),
    produced: new Counter({
      name: 'qa_screen_items_total',
      help: 'Screened items produced (committed transactions), by pipeline and queue',
      labelNames: ['pipeline', 'queue'],
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'qa_screen_dead_letters_total',
      help: 'Records sent to the dead-letter topic, by reason code (and pipeline, once routed)',
      labelNames: ['code', 'pipeline'],
      registers: [registry],
    }),
    findings: new Counter({
      name: 'qa_screen_findings_total',
      help: 'Findings, by pipeline and rule',
      labelNames: ['pipeline', 'rule'],
      registers: [registry],
    }),
    processing: new Histogram({
      name: 'qa_screen_processing_seconds',
      help: 'Screening time per record (parse + rules + score), by pipeline (none: rejected before routing)',
      labelNames: ['pipeline'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25],
      registers: [registry],
    }),
    endToEnd: new Histogram({
      name: 'qa_screen_end_to_end_seconds',
      help: 'Time from a record being appended to the input topic to its transaction committing',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'qa_screen_batch_size',
      help: 'Records per consumed batch',
      buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 2500],
      registers: [registry],
    }),
    transactionSeconds: new Histogram({
      name: 'qa_screen_transaction_seconds',
      help: 'Time to produce a batch and commit it with its offsets',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'qa_screen_consumer_lag',
      help: 'Records behind the partition high-water mark after the last batch',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    }),
    rebalances: new Counter({
      name: 'qa_screen_rebalances_total',
      help: 'Consumer group joins',
      registers: [registry],
    }),
    aborted: new Counter({
      name: 'qa_screen_aborted_batches_total',
      help: 'Batches whose transaction was aborted (they are consumed again)',
      registers: [registry],
    }),
  };
  return { registry, ...make };
}

export type Metrics = ReturnType<typeof createMetrics>;
