import type { Kafka, Producer } from 'kafkajs';

/**
 * Right after a commit the coordinator answers the next transaction's first request with
 * CONCURRENT_TRANSACTIONS until its markers are written (milliseconds); kafkajs' 300 ms first retry
 * would add that to every batch. Start at 20 ms (as the Java client does), keep enough retries to
 * ride out a broker restart.
 */
const PRODUCER_RETRY = { initialRetryTime: 20, maxRetryTime: 30_000, retries: 15 };

export interface ProducerPool {
  /** The producer for a `topic-partition` key: its own transactional producer, or the shared one. */
  get(key: string): Promise<Producer>;
  /** Whether the producer for this key exists already (a new one fences its predecessor first). */
  has(key: string): boolean;
  /** Disconnects a producer that must not be reused (fenced, broken); the next `get` makes a new one. */
  drop(key: string): Promise<void>;
  /** Keeps only the producers of these keys (the partitions this member owns after a rebalance). */
  retain(owned: ReadonlySet<string>): void;
  close(): Promise<void>;
}

/**
 * Transactional: one producer per input partition, transactional.id `<prefix>-<topic>-<partition>`,
 * so when a partition moves the new owner's producer fences the old one (kafkajs has no KIP-447).
 * Otherwise one idempotent producer shared by every partition.
 */
export function createProducerPool(
  kafka: Kafka,
  options: { transactional: boolean; transactionalIdPrefix: string },
): ProducerPool {
  const producers = new Map<string, Promise<Producer>>();
  const disconnect = (p: Promise<Producer> | undefined) =>
    p?.then((x) => x.disconnect()).catch(() => undefined) ?? Promise.resolve();
  const make = (key: string) =>
    kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: PRODUCER_RETRY,
      ...(options.transactional && {
        transactionalId: `${options.transactionalIdPrefix}-${key}`,
        transactionTimeout: 60_000,
      }),
    });
  const slot = (key: string) => (options.transactional ? key : 'shared');

  return {
    has: (key) => producers.has(slot(key)),
    get(key) {
      const k = slot(key);
      let producer = producers.get(k);
      if (!producer) {
        const p = make(key);
        producer = p.connect().then(() => p);
        producers.set(k, producer);
        // A producer that failed to connect is forgotten so the next batch tries again.
        producer.catch(() => producers.get(k) === producer && producers.delete(k));
      }
      return producer;
    },
    async drop(key) {
      const k = slot(key);
      const producer = producers.get(k);
      producers.delete(k);
      await disconnect(producer);
    },
    retain(owned) {
      if (!options.transactional) return;
      for (const key of [...producers.keys()]) {
        if (!owned.has(key)) {
          void disconnect(producers.get(key));
          producers.delete(key);
        }
      }
    },
    async close() {
      const all = [...producers.values()];
      producers.clear();
      await Promise.all(all.map(disconnect));
    },
  };
}
