import type { IHeaders, Kafka, Message, Producer } from 'kafkajs';
import type { QueueRef } from '../domain/index.js';
import { QaError } from '../errors.js';
import { kafkaError } from '../kafka/errors.js';
import { createProducerPool } from '../kafka/producer-pool.js';
import type { Processed } from '../pipeline/process.js';
import type { KafkaBatch, KafkaRecord } from '../sources/kafka.js';
import { partitionKey } from '../sources/kafka.js';
import type { Sink } from './sink.js';

export interface Outgoing {
  topic: string;
  message: Message;
  /** Set on a dead letter: the error code it carries. */
  deadLetter?: string;
}

/**
 * Record headers. An item carries one, its review queue (what a router reads without parsing the
 * value); everything else is in the item. Dead letters carry the error and where the record came from.
 */
export const HEADER = {
  queue: 'qa-queue',
  errorCode: 'qa-error-code',
  errorReason: 'qa-error-reason',
  sourceTopic: 'qa-source-topic',
  sourcePartition: 'qa-source-partition',
  sourceOffset: 'qa-source-offset',
  conversationId: 'qa-conversation-id',
  originalBytes: 'qa-original-bytes',
  truncated: 'qa-truncated',
} as const;

export interface Routing {
  outputTopic: string;
  deadLetterTopic: string;
  queueTopicPrefix: string | undefined;
  /** The queue of a pipeline's clean items: items routed elsewhere also go to `<queueTopicPrefix><queue>`. */
  defaultQueue: (pipelineId: string) => string;
  deadLetterMaxBytes: number;
  /**
   * The largest message written (the topics' max.message.bytes): an item above it goes to the
   * dead-letter topic instead (QA_ERR_ITEM_TOO_LARGE), and dead letters keep their head within it.
   */
  maxMessageBytes: number;
}

/** Room kept in a message for its key and headers (ids, error reason of at most 1,000 bytes). */
const HEADROOM = 4096;

/**
 * Turns one processed record into what must be written: the item (keyed by conversation id, queue
 * in a header, and to its review-queue topic), or the original bytes to the dead-letter topic with
 * headers naming the reason and where it came from. Pure; the worker writes these in one transaction.
 */
export function outgoingFor(record: KafkaRecord, result: Processed, routing: Routing): Outgoing[] {
  if (result.ok) {
    const item = result.item;
    // Encoded to UTF-8 once here: kafkajs then copies the bytes instead of measuring the string twice
    // and encoding it, and sizing a message (below, and when chunking) is a length read.
    const value = Buffer.from(result.json);
    const headers = { [HEADER.queue]: item.queue };
    const message = { key: item.conversationId, value, headers };
    const bytes = messageBytes(message);
    // One item over the broker's limit would stop the partition: it becomes a dead letter instead.
    if (bytes > routing.maxMessageBytes) {
      const error = new QaError(
        'QA_ERR_ITEM_TOO_LARGE',
        `item is ${bytes} bytes, limit ${routing.maxMessageBytes}`,
      );
      return outgoingFor(record, { ok: false, error, conversationId: item.conversationId }, routing);
    }
    const out: Outgoing[] = [{ topic: routing.outputTopic, message }];
    if (routing.queueTopicPrefix !== undefined && item.queue !== routing.defaultQueue(item.pipeline.id)) {
      // A reference, not a second copy of the item: the items topic holds it under the same key.
      const ref: QueueRef = {
        itemVersion: item.itemVersion,
        conversationId: item.conversationId,
        topic: routing.outputTopic,
        queue: item.queue,
        priority: item.priority,
        score: item.score,
        fatal: item.fatal,
        pipeline: { id: item.pipeline.id, version: item.pipeline.version },
      };
      out.push({
        topic: `${routing.queueTopicPrefix}${item.queue}`,
        message: { key: item.conversationId, value: Buffer.from(JSON.stringify(ref)), headers },
      });
    }
    return out;
  }
  const original = record.value ?? Buffer.alloc(0);
  const keep = Math.max(0, Math.min(routing.deadLetterMaxBytes, routing.maxMessageBytes - HEADROOM));
  const truncated = original.length > keep;
  const headers: IHeaders = {
    ...(record.headers as IHeaders | undefined),
    [HEADER.errorCode]: result.error.code,
    [HEADER.errorReason]: result.error.message.slice(0, 1000),
    [HEADER.sourceTopic]: record.topic,
    [HEADER.sourcePartition]: String(record.partition),
    [HEADER.sourceOffset]: record.offset,
    [HEADER.originalBytes]: String(original.length),
  };
  if (result.conversationId) headers[HEADER.conversationId] = result.conversationId;
  if (truncated) headers[HEADER.truncated] = 'true';
  return [
    {
      topic: routing.deadLetterTopic,
      deadLetter: result.error.code,
      message: {
        key: record.key,
        // Above the broker's message size the original cannot be kept whole: its head is, and the
        // headers say so (the input topic still holds the whole record until retention).
        value: truncated ? original.subarray(0, keep) : original,
        headers,
      },
    },
  ];
}

export function messageBytes(m: Message): number {
  const size = (v: Message['value'] | Message['key']) =>
    v == null ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length;
  let headers = 0;
  for (const [k, v] of Object.entries(m.headers ?? {}))
    headers +=
      k.length + (typeof v === 'string' ? Buffer.byteLength(v) : ((v as Buffer | undefined)?.length ?? 0));
  return size(m.key) + size(m.value) + headers + 64;
}

/**
 * Splits what one batch writes into produce requests of at most `maxBytes` each, grouped by topic.
 * kafkajs sends a partition's messages as one record batch, which the broker rejects above its
 * message size limit, so a large batch must go out in several requests (one transaction still).
 */
export function chunkByBytes(
  outgoing: readonly Outgoing[],
  maxBytes: number,
): Array<Array<{ topic: string; messages: Message[] }>> {
  const chunks: Outgoing[][] = [];
  let current: Outgoing[] = [];
  let size = 0;
  for (const o of outgoing) {
    const bytes = messageBytes(o.message);
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(o);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks.map((chunk) => {
    const byTopic = new Map<string, Message[]>();
    for (const o of chunk) {
      const list = byTopic.get(o.topic) ?? [];
      list.push(o.message);
      byTopic.set(o.topic, list);
    }
    return [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages }));
  });
}

type Requests = ReturnType<typeof chunkByBytes>;

/** How a batch's output and its consumed position become durable together. */
export type CommitStrategy = (producer: Producer, requests: Requests, batch: KafkaBatch) => Promise<void>;

/** Exactly once: the output and the consumed offsets commit in one Kafka transaction. */
export const transactionalCommit: CommitStrategy = async (producer, requests, batch) => {
  const tx = await producer.transaction();
  try {
    for (const topicMessages of requests) await tx.sendBatch({ topicMessages, acks: -1 });
    await tx.sendOffsets({
      consumerGroupId: batch.groupId,
      topics: [
        { topic: batch.topic, partitions: [{ partition: batch.partition, offset: batch.nextOffset }] },
      ],
    });
    await tx.commit();
  } catch (err) {
    await tx.abort().catch(() => undefined);
    throw err;
  }
};

/** At least once: the output is acknowledged by all replicas, then the offsets are committed. */
export const atLeastOnceCommit: CommitStrategy = async (producer, requests, batch) => {
  for (const topicMessages of requests) await producer.sendBatch({ topicMessages, acks: -1 });
  await batch.commit();
};

/** Writes one consumed batch's output and commits its position with it (see the strategies). */
export interface KafkaSink extends Sink<Outgoing, KafkaBatch> {
  /** After a rebalance: keep the producers of owned partitions; their new owners fence the rest. */
  retain(owned: ReadonlySet<string>): void;
  /**
   * Before a partition's first batch after an assignment: makes its transactional producer, which
   * fences the previous owner (its open transaction is aborted, its later writes refused). True when
   * it did, i.e. the offset the consumer fetched may predate the predecessor's last commit.
   */
  fence(topic: string, partition: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Items and dead letters to Kafka. A failed write is mapped to the error catalogue
 * (QA_ERR_KAFKA_UNAVAILABLE: retried by consuming the batch again; QA_ERR_KAFKA_REJECTED: the worker
 * stops rather than loop on it) and its producer is replaced, since a fenced one cannot be reused.
 */
export function kafkaSink(options: {
  kafka: Kafka;
  transactions: boolean;
  transactionalIdPrefix: string;
  /** Bytes per produce request (the broker rejects record batches above message.max.bytes); read per batch. */
  chunkBytes: number | (() => number);
}): KafkaSink {
  const pool = createProducerPool(options.kafka, {
    transactional: options.transactions,
    transactionalIdPrefix: options.transactionalIdPrefix,
  });
  const commit = options.transactions ? transactionalCommit : atLeastOnceCommit;
  /** Uses a partition's producer; a failure drops it (a fenced or broken one cannot be reused). */
  async function withProducer(key: string, use: (producer: Producer) => Promise<void>): Promise<void> {
    try {
      await use(await pool.get(key));
    } catch (err) {
      await pool.drop(key);
      throw kafkaError(err);
    }
  }
  return {
    async write(batch, outgoing) {
      const chunk = typeof options.chunkBytes === 'function' ? options.chunkBytes() : options.chunkBytes;
      await withProducer(partitionKey(batch.topic, batch.partition), (producer) =>
        commit(producer, chunkByBytes(outgoing, chunk), batch),
      );
    },
    retain: (owned) => pool.retain(owned),
    async fence(topic, partition) {
      const key = partitionKey(topic, partition);
      if (!options.transactions || pool.has(key)) return false;
      // kafkajs registers the transactional id (InitProducerId, which fences the previous owner and
      // ends its open transaction) at a producer's first transaction, not when it connects: begin
      // one and abort it (nothing added, so nothing is sent) to fence now, before the caller reads
      // the committed offset. Fencing only at the first write let the previous owner commit in
      // between, and this member wrote again what it had committed.
      await withProducer(key, async (producer) => {
        const tx = await producer.transaction();
        await tx.abort();
      });
      return true;
    },
    close: () => pool.close(),
  };
}
