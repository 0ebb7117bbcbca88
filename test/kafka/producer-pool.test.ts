import type { Kafka, Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createProducerPool } from '../../src/kafka/producer-pool.js';

/** A fake of the kafkajs port: records the producers made and their state. */
function fakeKafka() {
  const made: Array<{ transactionalId: string | undefined; connected: boolean }> = [];
  const kafka = {
    producer(config: { transactionalId?: string }) {
      const state = { transactionalId: config.transactionalId, connected: false };
      made.push(state);
      return {
        connect: async () => {
          state.connected = true;
        },
        disconnect: async () => {
          state.connected = false;
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, made };
}

describe('producer pool', () => {
  it('gives each input partition its own transactional producer, once', async () => {
    const { kafka, made } = fakeKafka();
    const pool = createProducerPool(kafka, { transactional: true, transactionalIdPrefix: 'g' });
    const a = await pool.get('in-0');
    expect(await pool.get('in-0')).toBe(a);
    await pool.get('in-1');
    expect(made.map((m) => m.transactionalId)).toEqual(['g-in-0', 'g-in-1']);
  });

  it('keeps only the owned partitions after a rebalance, and replaces a dropped producer', async () => {
    const { kafka, made } = fakeKafka();
    const pool = createProducerPool(kafka, { transactional: true, transactionalIdPrefix: 'g' });
    await pool.get('in-0');
    await pool.get('in-1');
    pool.retain(new Set(['in-1']));
    await new Promise((r) => setImmediate(r));
    expect(made.map((m) => m.connected)).toEqual([false, true]);
    await pool.drop('in-1');
    expect(made[1]!.connected).toBe(false);
    await pool.get('in-1');
    expect(made).toHaveLength(3);
    expect(made[2]).toEqual({ transactionalId: 'g-in-1', connected: true });
    await pool.close();
    expect(made.every((m) => !m.connected)).toBe(true);
  });

  it('shares one idempotent producer without transactions', async () => {
    const { kafka, made } = fakeKafka();
    const pool = createProducerPool(kafka, { transactional: false, transactionalIdPrefix: 'g' });
    expect(await pool.get('in-0')).toBe(await pool.get('in-1'));
    expect(made).toEqual([{ transactionalId: undefined, connected: true }]);
  });
});
