import { randomUUID } from 'node:crypto';
import { type Admin, Kafka, type KafkaMessage, logLevel } from 'kafkajs';
import { inject } from 'vitest';

export const brokers = () => inject('kafkaBrokers');

export function kafka(clientId = 'qa-test'): Kafka {
  return new Kafka({
    clientId,
    brokers: brokers().split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 10 },
  });
}

/** A fresh random topic name per test, as kafkajs' own integration tests do. */
export const randomTopic = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka('qa-test-admin').admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function createTopics(
  ...topics: Array<{ topic: string; partitions?: number; config?: Record<string, string> }>
) {
  await withAdmin((admin) =>
    admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions ?? 1,
        replicationFactor: 1,
        configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    }),
  );
}

export async function produce(
  topic: string,
  messages: Array<{ key?: string | null; value: string | Buffer | null; headers?: Record<string, string> }>,
) {
  const producer = kafka('qa-test-producer').producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 1000) {
      await producer.send({ topic, messages: messages.slice(i, i + 1000), acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
}

export async function waitFor<T>(
  fn: () => T | Promise<T>,
  { timeoutMs = 60_000, intervalMs = 200, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    let v: T;
    try {
      v = await fn();
    } catch (err) {
      // A dead worker process is final; anything else (e.g. a broker briefly away) is retried.
      if ((err as Error).message.startsWith('worker exited')) throw err;
      last = err;
      v = undefined as T;
    }
    if (v) return v;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`,
  );
}

/**
 * Reads a topic from the beginning as a downstream read_committed consumer does, until `count`
 * records arrived, then keeps listening `settleMs` more to catch any extra (duplicate) records. Each
 * record counts once by its partition and offset: a record the reader itself is handed twice (its
 * own group rebalancing on a loaded machine) is not a second record in the topic, while a duplicate
 * written by the worker has an offset of its own and still counts.
 */
export async function readCommitted(
  topic: string,
  count: number,
  { timeoutMs = 120_000, settleMs = 2000 } = {},
): Promise<KafkaMessage[]> {
  const consumer = kafka('qa-test-reader').consumer({
    groupId: `reader-${randomUUID()}`,
    readUncommitted: false,
    maxWaitTimeInMs: 250,
  });
  const seen: KafkaMessage[] = [];
  const positions = new Set<string>();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const position = `${partition}:${message.offset}`;
      if (positions.has(position)) return;
      positions.add(position);
      seen.push(message);
    },
  });
  try {
    await waitFor(() => seen.length >= count, {
      timeoutMs,
      what: `${count} records on ${topic} (have ${seen.length})`,
    }).catch((err) => {
      throw new Error(`${(err as Error).message}; got ${seen.length}`);
    });
    await new Promise((r) => setTimeout(r, settleMs));
    return [...seen];
  } finally {
    await consumer.disconnect();
  }
}

/** Fresh input/output/dead-letter topics and group for one test, and the worker env naming them. */
export function workerTopics(prefix: string) {
  const t = {
    input: randomTopic(`${prefix}-in`),
    output: randomTopic(`${prefix}-out`),
    dlq: randomTopic(`${prefix}-dlq`),
    group: randomTopic(`${prefix}-g`),
    queuePrefix: `${randomTopic(`${prefix}-q`)}.`,
  };
  const env = {
    KAFKA_INPUT_TOPICS: t.input,
    KAFKA_OUTPUT_TOPIC: t.output,
    KAFKA_DLQ_TOPIC: t.dlq,
    KAFKA_GROUP_ID: t.group,
    KAFKA_SESSION_TIMEOUT_MS: '6000',
  };
  return { t, env };
}

/** Sum of the group's committed offsets on a topic (how many records it has finished). */
export async function committedOffsets(group: string, topic: string): Promise<number> {
  // A young broker answers NOT_COORDINATOR while __consumer_offsets is created: retry briefly.
  return waitFor(
    () =>
      withAdmin(async (admin) => {
        const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
        return { sum: (t?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0) };
      }),
    { what: `committed offsets of ${group}`, timeoutMs: 30_000 },
  ).then((r) => r.sum);
}
