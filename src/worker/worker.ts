import kafkajs, { type Consumer, type EachBatchPayload, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { CompiledPipeline } from '../config/compile.js';
import type { Metrics } from '../ops/metrics.js';
import { processMessageAsync, type ResolveRef } from '../pipeline/process.js';
import { createScreener } from '../pipeline/screen.js';
import { fetchTranscriptObject } from '../s3/claim-check.js';
import { createS3Client } from '../s3/client.js';
import type { WorkerConfig } from './config.js';
import { createKafka } from './kafka.js';
import { chunkByBytes, type Outgoing, outgoingFor, type Routing } from './messages.js';

export interface Worker {
  /** In the consumer group and able to produce. */
  ready(): boolean;
  /** Screens with a new pipeline version from the next batch on (hot reload). */
  reload(pipeline: CompiledPipeline): void;
  /** Finishes the batch in flight, commits, leaves the group and disconnects. */
  stop(): Promise<void>;
}

/**
 * Consume → screen → produce, exactly once: each batch's items, dead letters and consumed offsets
 * are committed in one Kafka transaction. One transactional producer per input partition
 * (transactional.id = prefix-topic-partition): when a partition moves to another worker, that
 * worker's producer fences the old one, so a paused "zombie" cannot commit a duplicate.
 */
export async function startWorker(options: {
  pipeline: CompiledPipeline;
  config: WorkerConfig;
  logger: Logger;
  metrics: Metrics;
  /** Called when the consumer stopped for good (kafkajs will not restart it): exit and let the orchestrator restart. */
  onFatal?: (err: Error) => void;
}): Promise<Worker> {
  const { pipeline, config, logger, metrics } = options;
  let screener = createScreener(pipeline);
  const s3 = config.claimCheck === 's3' ? createS3Client(process.env) : undefined;
  const resolveRef: ResolveRef | undefined = s3
    ? (uri, maxBytes) => fetchTranscriptObject(s3, uri, maxBytes)
    : undefined;
  const kafka = createKafka(config, logger);
  let routing: Routing = {
    outputTopic: config.outputTopic,
    deadLetterTopic: config.deadLetterTopic,
    queueTopicPrefix: config.queueTopicPrefix,
    defaultQueue: pipeline.config.scoring.routing.default_queue,
    deadLetterMaxBytes: config.deadLetterMaxBytes,
  };

  const consumer: Consumer = kafka.consumer({
    groupId: config.groupId,
    readUncommitted: false,
    maxBytes: config.fetchMaxBytes,
    maxBytesPerPartition: config.partitionFetchMaxBytes,
    maxWaitTimeInMs: config.maxWaitMs,
    sessionTimeout: config.sessionTimeoutMs,
    heartbeatInterval: Math.max(500, Math.floor(config.sessionTimeoutMs / 10)),
    allowAutoTopicCreation: false,
  });

  const producers = new Map<string, Promise<Producer>>();
  let plainProducer: Promise<Producer> | undefined;

  const producerFor = (topic: string, partition: number): Promise<Producer> => {
    if (!config.transactions) {
      plainProducer ??= (async () => {
        const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: PRODUCER_RETRY });
        await p.connect();
        return p;
      })();
      return plainProducer;
    }
    const key = `${topic}-${partition}`;
    let producer = producers.get(key);
    if (!producer) {
      producer = (async () => {
        const p = kafka.producer({
          transactionalId: `${config.transactionalIdPrefix}-${key}`,
          idempotent: true,
          maxInFlightRequests: 1,
          transactionTimeout: 60_000,
          retry: PRODUCER_RETRY,
        });
        await p.connect();
        return p;
      })();
      producers.set(key, producer);
      // A producer that failed to connect is dropped so the next batch tries again.
      producer.catch(() => producers.delete(key));
    }
    return producer;
  };

  const dropProducer = async (topic: string, partition: number) => {
    const key = `${topic}-${partition}`;
    const producer = producers.get(key);
    producers.delete(key);
    await producer?.then((p) => p.disconnect()).catch(() => undefined);
  };

  let joined = false;
  let stopping = false;
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    joined = true;
    metrics.rebalances.inc();
    // Producers of partitions this worker no longer owns are fenced by their new owner's; drop them
    // so a partition that comes back gets a fresh producer (and epoch).
    const owned = new Set(
      Object.entries(e.payload.memberAssignment).flatMap(([topic, partitions]) =>
        partitions.map((p) => `${topic}-${p}`),
      ),
    );
    for (const key of [...producers.keys()]) {
      if (!owned.has(key)) {
        const producer = producers.get(key);
        producers.delete(key);
        producer?.then((p) => p.disconnect()).catch(() => undefined);
      }
    }
    logger.info(
      { event: 'group.join', memberId: e.payload.memberId, assignment: e.payload.memberAssignment },
      'joined consumer group',
    );
  });
  consumer.on(consumer.events.CRASH, (e) => {
    joined = false;
    logger.error(
      { event: 'consumer.crash', err: e.payload.error.message, restart: e.payload.restart },
      'consumer crashed',
    );
    if (!e.payload.restart && !stopping) options.onFatal?.(e.payload.error);
  });
  consumer.on(consumer.events.STOP, () => {
    joined = false;
  });

  async function eachBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload) {
    if (batch.messages.length === 0 || !isRunning() || isStale()) return;
    metrics.batchSize.observe(batch.messages.length);
    metrics.consumed.inc({ topic: batch.topic }, batch.messages.length);
    const outgoing: Outgoing[] = [];
    const queues: string[] = [];
    const deadLetterCodes: string[] = [];
    const findings: string[] = [];
    for (const message of batch.messages) {
      const started = performance.now();
      // A transient S3 error propagates: the batch is retried (before its transaction begins).
      const result = await processMessageAsync(screener, message.value ?? Buffer.alloc(0), resolveRef);
      metrics.processing.observe((performance.now() - started) / 1000);
      if (result.ok) {
        queues.push(result.item.queue);
        for (const f of result.item.findings) findings.push(f.ruleId);
      } else {
        deadLetterCodes.push(result.error.code);
        logger.warn(
          {
            event: 'dead-letter',
            code: result.error.code,
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            conversationId: result.conversationId,
          },
          'record sent to the dead-letter topic',
        );
      }
      outgoing.push(
        ...outgoingFor(
          {
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            key: message.key,
            value: message.value,
            headers: message.headers,
          },
          result,
          routing,
        ),
      );
    }
    const requests = chunkByBytes(outgoing, config.produceChunkBytes);
    const nextOffset = (BigInt(batch.lastOffset()) + 1n).toString();
    const producer = await producerFor(batch.topic, batch.partition);
    const txStarted = performance.now();
    if (config.transactions) {
      const tx = await producer.transaction();
      try {
        for (const topicMessages of requests) await tx.sendBatch({ topicMessages, acks: -1 });
        await tx.sendOffsets({
          consumerGroupId: config.groupId,
          topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: nextOffset }] }],
        });
        await tx.commit();
      } catch (err) {
        metrics.aborted.inc();
        logger.warn(
          {
            event: 'transaction.abort',
            topic: batch.topic,
            partition: batch.partition,
            err: (err as Error).message,
          },
          'batch aborted; it will be consumed again',
        );
        await tx.abort().catch(() => undefined);
        // A fenced or broken producer cannot be reused: the next attempt gets a new one.
        await dropProducer(batch.topic, batch.partition);
        // kafkajs calls many passing conditions fatal (a fenced epoch, "failed to find group
        // coordinator" while the broker restarts). Retry the batch unless the failure is one that
        // cannot change by retrying (too large, not authorised): that stops the worker instead of
        // looping on a poison batch.
        if (isDeterministic(err)) throw err;
        throw new KafkaJSError(err as Error, { retriable: true });
      }
    } else {
      for (const topicMessages of requests) await producer.sendBatch({ topicMessages, acks: -1 });
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: nextOffset }]);
    }
    const committedAt = Date.now();
    metrics.transactionSeconds.observe((performance.now() - txStarted) / 1000);
    for (const m of batch.messages)
      metrics.endToEnd.observe(Math.max(0, committedAt - Number(m.timestamp)) / 1000);
    for (const q of queues) metrics.produced.inc({ queue: q });
    for (const c of deadLetterCodes) metrics.deadLetters.inc({ code: c });
    for (const r of findings) metrics.findings.inc({ rule: r });
    metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, Number(batch.offsetLag()));
    resolveOffset(batch.lastOffset());
    await heartbeat();
  }

  await consumer.connect();
  for (const topic of config.inputTopics)
    await consumer.subscribe({ topic, fromBeginning: config.fromBeginning });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 1,
    eachBatch,
  });
  logger.info(
    {
      event: 'worker.start',
      pipeline: pipeline.id,
      version: pipeline.version,
      group: config.groupId,
      input: config.inputTopics,
      output: config.outputTopic,
      transactions: config.transactions,
    },
    'worker started',
  );

  return {
    ready: () => joined && !stopping,
    reload(next) {
      screener = createScreener(next);
      routing = { ...routing, defaultQueue: next.config.scoring.routing.default_queue };
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      // kafkajs lets the batch in flight finish (and commit) before leaving the group.
      await consumer.disconnect();
      const all = [...producers.values(), ...(plainProducer ? [plainProducer] : [])];
      await Promise.all(all.map((p) => p.then((x) => x.disconnect()).catch(() => undefined)));
      logger.info({ event: 'worker.stop' }, 'worker stopped');
    },
  };
}

// kafkajs is CommonJS: its error classes are not visible as ESM named exports.
const { KafkaJSError } = kafkajs;

/**
 * Right after a commit the coordinator answers the next transaction's first request with
 * CONCURRENT_TRANSACTIONS until its markers are written (milliseconds); kafkajs' 300 ms first retry
 * would add that to every batch. Start at 20 ms (as the Java client does), keep enough retries to
 * ride out a broker restart.
 */
const PRODUCER_RETRY = { initialRetryTime: 20, maxRetryTime: 30_000, retries: 15 };

/** Kafka errors that retrying the same batch cannot fix. */
const DETERMINISTIC = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_REQUIRED_ACKS',
  'POLICY_VIOLATION',
  'UNSUPPORTED_VERSION',
  'UNSUPPORTED_FOR_MESSAGE_FORMAT',
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
]);

/** Looks through kafkajs' wrappers (`cause`) and aggregates (`errors`, one per partition). */
function isDeterministic(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 6) return false;
  const e = err as { type?: string; cause?: unknown; errors?: unknown[] };
  if (e.type && DETERMINISTIC.has(e.type)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDeterministic(inner, depth + 1))) return true;
  return e.cause !== err && isDeterministic(e.cause, depth + 1);
}
