import kafkajs, { type Admin, type Consumer, type EachBatchPayload, type Kafka } from 'kafkajs';
import { isRetriable } from '../errors.js';
import { kafkaError } from '../kafka/errors.js';
import type { InputBatch, InputRecord, Source } from './source.js';

// kafkajs is CommonJS: its error classes are not visible as ESM named exports.
const { KafkaJSError } = kafkajs;

export interface KafkaRecord extends InputRecord {
  readonly value: Buffer | undefined;
  readonly key: Buffer | null;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Append time at the broker (ms). */
  readonly timestamp: number;
}

export interface KafkaBatch extends InputBatch<KafkaRecord> {
  readonly topic: string;
  readonly partition: number;
  /** The offset after the batch: what a transactional sink commits with its output. */
  readonly nextOffset: string;
  readonly groupId: string;
  /** Records behind the high-water mark after this batch. */
  readonly lag: number;
}

export interface KafkaSourceOptions {
  kafka: Kafka;
  groupId: string;
  topics: readonly string[];
  fromBeginning: boolean;
  fetchMaxBytes?: number;
  partitionFetchMaxBytes?: number;
  maxWaitMs?: number;
  sessionTimeoutMs: number;
  /** Partitions handed to the callback at once (each its own batch; order within a partition holds). */
  partitionsConcurrently?: number;
  /** After each join: the `topic-partition` keys this member now owns, and the assignment itself. */
  onAssignment?: (
    owned: ReadonlySet<string>,
    assignment: Readonly<Record<string, readonly number[]>>,
    memberId: string,
  ) => void;
  /** The consumer crashed; `restart` false means kafkajs gives up (the process should exit). */
  onCrash?: (err: Error, restart: boolean) => void;
}

export interface KafkaSource extends Source<KafkaRecord> {
  run(onBatch: (batch: KafkaBatch) => Promise<void>): Promise<void>;
  /** In the consumer group and consuming. */
  joined(): boolean;
  /** Stops fetching the topics (a draining consumer keeps its membership to commit). */
  pause(): void;
  /** Fetches a partition from `offset` next (a sink that keeps offsets itself positions the consumer). */
  seek(topic: string, partition: number, offset: string): void;
  /** The group's committed offset of a partition now (undefined when none is). */
  committed(topic: string, partition: number): Promise<string | undefined>;
}

/** The key of a topic partition, as producers and buffers are keyed. */
export const partitionKey = (topic: string, partition: number) => `${topic}-${partition}`;

/**
 * A consumer-group member reading committed records only. Offsets are never auto-committed: a batch
 * counts as consumed when the callback resolves, and its position is saved by `commit` (or by a
 * transactional sink inside its transaction). A callback error marked retriable makes kafkajs
 * consume the batch again with backoff; any other error stops the consumer (`onCrash`, restart false).
 */
export function kafkaSource(o: KafkaSourceOptions): KafkaSource {
  const consumer: Consumer = o.kafka.consumer({
    groupId: o.groupId,
    readUncommitted: false,
    ...(o.fetchMaxBytes !== undefined && { maxBytes: o.fetchMaxBytes }),
    ...(o.partitionFetchMaxBytes !== undefined && { maxBytesPerPartition: o.partitionFetchMaxBytes }),
    maxWaitTimeInMs: o.maxWaitMs ?? 1000,
    sessionTimeout: o.sessionTimeoutMs,
    heartbeatInterval: Math.max(500, Math.floor(o.sessionTimeoutMs / 10)),
    allowAutoTopicCreation: false,
  });
  let joined = false;
  let admin: Promise<Admin> | undefined;
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    joined = true;
    const owned = new Set(
      Object.entries(e.payload.memberAssignment).flatMap(([topic, partitions]) =>
        partitions.map((p) => partitionKey(topic, p)),
      ),
    );
    o.onAssignment?.(owned, e.payload.memberAssignment, e.payload.memberId);
  });
  consumer.on(consumer.events.CRASH, (e) => {
    joined = false;
    o.onCrash?.(e.payload.error, e.payload.restart);
  });
  consumer.on(consumer.events.STOP, () => {
    joined = false;
  });

  return {
    name: 'kafka',
    joined: () => joined,
    async run(onBatch) {
      await consumer.connect();
      for (const topic of o.topics) await consumer.subscribe({ topic, fromBeginning: o.fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: o.partitionsConcurrently ?? 1,
        async eachBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload) {
          if (batch.messages.length === 0 || !isRunning() || isStale()) return;
          const { topic, partition } = batch;
          const records: KafkaRecord[] = batch.messages.map((m) => ({
            topic,
            partition,
            offset: m.offset,
            key: m.key,
            value: m.value ?? undefined,
            bytes: m.value?.length ?? 0,
            headers: m.headers as KafkaRecord['headers'],
            timestamp: Number(m.timestamp),
          }));
          const commitThrough = (offset: string) =>
            consumer.commitOffsets([{ topic, partition, offset: (BigInt(offset) + 1n).toString() }]);
          try {
            await onBatch({
              records,
              topic,
              partition,
              groupId: o.groupId,
              nextOffset: (BigInt(batch.lastOffset()) + 1n).toString(),
              lag: Number(batch.offsetLag()),
              commit: (upTo) => commitThrough(upTo?.offset ?? batch.lastOffset()),
            });
          } catch (err) {
            // kafkajs retries (and finally restarts the consumer) only for errors it sees as
            // retriable: translate the catalogue's verdict into its terms.
            if (isRetriable(err)) throw new KafkaJSError(err as Error, { retriable: true });
            throw err;
          }
          resolveOffset(batch.lastOffset());
          await heartbeat();
        },
      });
    },
    pause() {
      consumer.pause(o.topics.map((topic) => ({ topic })));
    },
    seek(topic, partition, offset) {
      consumer.seek({ topic, partition, offset });
    },
    async committed(topic, partition) {
      admin ??= (async () => {
        const a = o.kafka.admin();
        await a.connect();
        return a;
      })();
      try {
        const [found] = await (await admin).fetchOffsets({ groupId: o.groupId, topics: [topic] });
        const offset = found?.partitions.find((p) => p.partition === partition)?.offset;
        return offset === undefined || BigInt(offset) < 0n ? undefined : offset;
      } catch (err) {
        const failed = admin;
        admin = undefined;
        await failed?.then((a) => a.disconnect()).catch(() => undefined);
        throw kafkaError(err);
      }
    },
    async stop() {
      // kafkajs lets the batch in flight finish (and commit) before leaving the group.
      await consumer.disconnect().catch((err: unknown) => {
        throw kafkaError(err);
      });
      await admin?.then((a) => a.disconnect()).catch(() => undefined);
    },
  };
}
