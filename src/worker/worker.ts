import type { S3Client } from '@aws-sdk/client-s3';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { isRetriable } from '../errors.js';
import { logEvent } from '../events.js';
import { createKafka } from '../kafka/client.js';
import type { Metrics } from '../ops/metrics.js';
import { createRouter, type Screening } from '../pipeline/route.js';
import { type KafkaSink, kafkaSink, type Routing } from '../sinks/kafka.js';
import { type KafkaBatch, type KafkaSource, type KafkaSourceOptions, kafkaSource } from '../sources/kafka.js';
import { s3ClaimCheck } from '../sources/s3-claim-check.js';
import { screenBatch, screeningLane } from './batch.js';
import type { WorkerConfig } from './config.js';

export interface Worker {
  /** In the consumer group and able to produce. */
  ready(): boolean;
  /** Screens with a new pipeline (or routing) version from the next batch on (hot reload). */
  reload(screening: Screening): void;
  /** Finishes the batch in flight, commits, leaves the group and disconnects. */
  stop(): Promise<void>;
}

/**
 * The worker's Kafka source and sink as its settings make them (fetch sizes, partition concurrency,
 * produce chunking, producer pool, commit strategy); after each rebalance the sink keeps only the
 * producers of owned partitions. The kafkajs passthrough of `npm run bench:kafka` uses the same.
 */
export function kafkaEnds(
  kafka: Kafka,
  config: WorkerConfig,
  hooks: Pick<KafkaSourceOptions, 'onAssignment' | 'onCrash'> = {},
): { source: KafkaSource; sink: KafkaSink } {
  const sink = kafkaSink({
    kafka,
    transactions: config.transactions,
    transactionalIdPrefix: config.transactionalIdPrefix,
    chunkBytes: config.produceChunkBytes,
  });
  const source = kafkaSource({
    kafka,
    groupId: config.groupId,
    topics: config.inputTopics,
    fromBeginning: config.fromBeginning,
    fetchMaxBytes: config.fetchMaxBytes,
    partitionFetchMaxBytes: config.partitionFetchMaxBytes,
    maxWaitMs: config.maxWaitMs,
    sessionTimeoutMs: config.sessionTimeoutMs,
    partitionsConcurrently: config.partitionsConcurrently,
    onAssignment(owned, assignment, memberId) {
      sink.retain(owned);
      hooks.onAssignment?.(owned, assignment, memberId);
    },
    ...(hooks.onCrash && { onCrash: hooks.onCrash }),
  });
  return { source, sink };
}

/**
 * Consume → screen → produce, exactly once: the Kafka source hands over a partition's batch, the
 * screening step turns it into items and dead letters, and the Kafka sink commits them with the
 * consumed offsets in one transaction (or, without transactions, produces then commits offsets).
 * This function only wires the parts together and keeps the metrics.
 */
export async function startWorker(options: {
  /** One pipeline, or a routing over several (each transcript is screened by the pipeline its route names). */
  pipeline: Screening;
  config: WorkerConfig;
  logger: Logger;
  metrics: Metrics;
  /** For claim-check transcripts (`transcriptRef`), when configured. */
  s3?: S3Client | undefined;
  /** Called when the consumer stopped for good (kafkajs will not restart it): exit and let the orchestrator restart. */
  onFatal?: (err: Error) => void;
}): Promise<Worker> {
  const { pipeline, config, logger, metrics } = options;
  let router = createRouter(pipeline);
  const resolveRef = options.s3 ? s3ClaimCheck(options.s3) : undefined;
  const kafka = createKafka(config, logger);
  const routing: Routing = {
    outputTopic: config.outputTopic,
    deadLetterTopic: config.deadLetterTopic,
    queueTopicPrefix: config.queueTopicPrefix,
    defaultQueue: (id) => router.defaultQueue(id),
    deadLetterMaxBytes: config.deadLetterMaxBytes,
  };
  let stopping = false;

  const { source, sink } = kafkaEnds(kafka, config, {
    onAssignment(_owned, assignment, memberId) {
      metrics.rebalances.inc();
      logEvent(logger, 'info', 'consumer.join', { memberId, assignment });
    },
    onCrash(err, restart) {
      logEvent(logger, 'error', 'consumer.crash', { err: err.message, restart });
      if (!restart && !stopping) options.onFatal?.(err);
    },
  });

  const lane = screeningLane();
  async function onBatch(batch: KafkaBatch) {
    metrics.batchSize.observe(batch.records.length);
    metrics.consumed.inc({ topic: batch.topic }, batch.records.length);
    const { outgoing, tally } = await lane(() =>
      screenBatch(router, batch.records, routing, resolveRef),
    ).catch((err: unknown) => {
      // A claim-check store that stays unavailable: nothing is written or committed.
      logEvent(logger, 'warn', 'worker.batch_failed', {
        topic: batch.topic,
        partition: batch.partition,
        code: (err as { code?: string }).code,
        retriable: isRetriable(err),
      });
      throw err;
    });
    for (const s of tally.seconds) metrics.processing.observe({ pipeline: s.pipeline ?? 'none' }, s.seconds);
    for (const d of tally.deadLetters) {
      logEvent(logger, 'warn', 'worker.dead_letter', {
        code: d.code,
        topic: batch.topic,
        partition: batch.partition,
        offset: d.offset,
        conversationId: d.conversationId,
        pipeline: d.pipeline,
      });
    }
    const started = performance.now();
    try {
      await sink.write(batch, outgoing);
    } catch (err) {
      metrics.aborted.inc();
      logEvent(logger, 'warn', 'transaction.abort', {
        topic: batch.topic,
        partition: batch.partition,
        code: (err as { code?: string }).code,
        retriable: isRetriable(err),
        err: (err as Error).message,
      });
      throw err;
    }
    const committedAt = Date.now();
    metrics.transactionSeconds.observe((performance.now() - started) / 1000);
    for (const r of batch.records) metrics.endToEnd.observe(Math.max(0, committedAt - r.timestamp) / 1000);
    for (const q of tally.queues) metrics.produced.inc(q);
    for (const d of tally.deadLetters)
      metrics.deadLetters.inc(
        d.pipeline === undefined ? { code: d.code } : { code: d.code, pipeline: d.pipeline },
      );
    for (const f of tally.findings) metrics.findings.inc(f);
    metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, batch.lag);
  }

  await source.run(onBatch);
  logEvent(logger, 'info', 'worker.start', {
    pipeline: router.id,
    version: router.version,
    pipelines: [...router.screeners.keys()],
    group: config.groupId,
    input: config.inputTopics,
    output: config.outputTopic,
    transactions: config.transactions,
    partitionsConcurrently: config.partitionsConcurrently,
  });

  return {
    ready: () => source.joined() && !stopping,
    reload(next) {
      router = createRouter(next);
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      await source.stop();
      await sink.close();
      logEvent(logger, 'info', 'worker.stop');
    },
  };
}
