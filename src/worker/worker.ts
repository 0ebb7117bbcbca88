import type { S3Client } from '@aws-sdk/client-s3';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { isRetriable } from '../errors.js';
import { logEvent } from '../events.js';
import { createKafka } from '../kafka/client.js';
import { isTooLarge } from '../kafka/errors.js';
import type { Metrics } from '../ops/metrics.js';
import { createRouter, type Router, type Screening } from '../pipeline/route.js';
import { warmUp } from '../pipeline/warm.js';
import { type KafkaSink, kafkaSink, messageBytes, type Routing } from '../sinks/kafka.js';
import {
  type KafkaBatch,
  type KafkaSource,
  type KafkaSourceOptions,
  kafkaSource,
  partitionKey,
} from '../sources/kafka.js';
import { s3ClaimCheck } from '../sources/s3-claim-check.js';
import { type BatchTally, screenBatch, screeningLane } from './batch.js';
import type { WorkerConfig } from './config.js';

/** The lowest message limit the worker lowers itself to before giving up on a too-large refusal. */
const MIN_MESSAGE_BYTES = 16 * 1024;

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
  /** The message limit in force (it may be lowered at run time): produce requests stay within it. */
  maxMessageBytes: () => number = () => config.maxMessageBytes,
): { source: KafkaSource; sink: KafkaSink } {
  const sink = kafkaSink({
    kafka,
    transactions: config.transactions,
    transactionalIdPrefix: config.transactionalIdPrefix,
    chunkBytes: () => Math.min(config.produceChunkBytes, maxMessageBytes()),
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

/** The router after a warm-up (dictionaries loaded, hot path compiled), so no batch pays for them. */
function warmed(router: Router, logger: Logger): Router {
  const started = performance.now();
  const conversations = warmUp(router);
  logEvent(logger, 'info', 'worker.warm', {
    pipeline: router.id,
    conversations,
    ms: Math.round(performance.now() - started),
  });
  return router;
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
  let router = warmed(createRouter(pipeline), logger);
  const resolveRef = options.s3 ? s3ClaimCheck(options.s3) : undefined;
  const kafka = createKafka(config, logger);
  let routing: Routing = {
    outputTopic: config.outputTopic,
    deadLetterTopic: config.deadLetterTopic,
    queueTopicPrefix: config.queueTopicPrefix,
    defaultQueue: (id) => router.defaultQueue(id),
    deadLetterMaxBytes: config.deadLetterMaxBytes,
    maxMessageBytes: config.maxMessageBytes,
  };
  let stopping = false;

  const { source, sink } = kafkaEnds(
    kafka,
    config,
    {
      onAssignment(_owned, assignment, memberId) {
        metrics.rebalances.inc();
        logEvent(logger, 'info', 'consumer.join', { memberId, assignment });
      },
      onCrash(err, restart) {
        logEvent(logger, 'error', 'consumer.crash', { err: err.message, restart });
        if (!restart && !stopping) options.onFatal?.(err);
      },
    },
    () => routing.maxMessageBytes,
  );

  const lane = screeningLane();

  /** Screens a batch and writes it; when the broker refuses a message as too large, lowers the limit and tries again. */
  async function screenAndWrite(batch: KafkaBatch): Promise<BatchTally> {
    for (;;) {
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
      const started = performance.now();
      try {
        await sink.write(batch, outgoing);
        metrics.transactionSeconds.observe((performance.now() - started) / 1000);
        return tally;
      } catch (err) {
        // A topic that allows less than KAFKA_MAX_MESSAGE_BYTES: never stop the partition on one
        // large item; write the batch again under a lower limit (the largest items become dead letters).
        const largest = Math.max(0, ...outgoing.map((o) => messageBytes(o.message)));
        const lower = Math.floor(Math.min(routing.maxMessageBytes, largest) * 0.75);
        if (isTooLarge(err) && lower >= MIN_MESSAGE_BYTES) {
          routing = { ...routing, maxMessageBytes: lower };
          logEvent(logger, 'warn', 'worker.message_limit', {
            topic: batch.topic,
            partition: batch.partition,
            maxMessageBytes: lower,
          });
          continue;
        }
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
    }
  }

  /** Per partition, the offset after the last batch this process committed (a transaction's offsets). */
  const written = new Map<string, bigint>();

  /**
   * kafkajs has no KIP-447, so the group's committed offset can lag what was committed: an offset
   * sent in a transaction becomes readable only once the transaction's markers are written, after
   * its commit has returned, and kafkajs cannot ask the broker to wait (`require_stable`). A member
   * re-reads it at every rebalance, so it can be handed back a batch it has just committed; and a
   * partition's previous owner may commit after this member read it. Records below what this
   * process committed itself, or (once its producer has fenced the previous owner) below the
   * group's offset read after the fence, were written already: skip them.
   */
  async function afterFence(batch: KafkaBatch): Promise<KafkaBatch | undefined> {
    const key = partitionKey(batch.topic, batch.partition);
    let from = written.get(key);
    if (await sink.fence(batch.topic, batch.partition)) {
      const committed = await source.committed(batch.topic, batch.partition);
      if (committed !== undefined && (from === undefined || BigInt(committed) > from))
        from = BigInt(committed);
    }
    if (from === undefined) return batch;
    const records = batch.records.filter((r) => BigInt(r.offset) >= from);
    if (records.length === batch.records.length) return batch;
    logEvent(logger, 'warn', 'worker.skipped_committed', {
      topic: batch.topic,
      partition: batch.partition,
      skipped: batch.records.length - records.length,
    });
    if (records.length > 0) return { ...batch, records };
    source.seek(batch.topic, batch.partition, from.toString());
    return undefined;
  }

  async function onBatch(consumed: KafkaBatch) {
    const batch = await afterFence(consumed);
    if (!batch) return;
    metrics.batchSize.observe(batch.records.length);
    metrics.consumed.inc({ topic: batch.topic }, batch.records.length);
    const tally = await screenAndWrite(batch);
    if (config.transactions)
      written.set(partitionKey(batch.topic, batch.partition), BigInt(batch.nextOffset));
    const committedAt = Date.now();
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
      router = warmed(createRouter(next), logger);
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
