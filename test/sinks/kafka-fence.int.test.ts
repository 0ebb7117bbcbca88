// The Kafka sink's fence against a real broker: when a partition's new owner fences, the previous
// owner's producer for that partition can no longer commit, so the committed offset the new owner
// reads next is final (kafkajs has no KIP-447; see README "Exactly once").
import { describe, expect, it } from 'vitest';
import { kafkaSink } from '../../src/sinks/kafka.js';
import type { KafkaBatch } from '../../src/sources/kafka.js';
import { committedOffsets, createTopics, kafka, randomTopic, readCommitted } from '../helpers/kafka.js';

describe('kafka sink: fencing a partition', () => {
  it("refuses the previous owner's write once the new owner has fenced, and keeps the new owner's", async () => {
    const input = randomTopic('fence-in');
    const output = randomTopic('fence-out');
    const groupId = randomTopic('fence-g');
    await createTopics({ topic: input, partitions: 1 }, { topic: output, partitions: 1 });
    const options = { transactions: true, transactionalIdPrefix: groupId, chunkBytes: 100_000 };
    const previous = kafkaSink({ kafka: kafka('fence-previous'), ...options });
    const next = kafkaSink({ kafka: kafka('fence-next'), ...options });
    const batch = (nextOffset: string): KafkaBatch => ({
      topic: input,
      partition: 0,
      records: [],
      groupId,
      nextOffset,
      lag: 0,
      commit: async () => undefined,
    });
    const item = (key: string) => [{ topic: output, message: { key, value: key } }];
    try {
      expect(await previous.fence(input, 0)).toBe(true);
      await previous.write(batch('1'), item('a'));
      expect(await next.fence(input, 0)).toBe(true);
      // The previous owner, slow to notice the rebalance, tries to commit one more batch.
      await expect(previous.write(batch('2'), item('b'))).rejects.toMatchObject({
        code: 'QA_ERR_KAFKA_UNAVAILABLE',
      });
      await next.write(batch('2'), item('c'));
      const written = await readCommitted(output, 2, { settleMs: 1500 });
      expect(written.map((m) => m.key!.toString())).toEqual(['a', 'c']);
      expect(await committedOffsets(groupId, input)).toBe(2);
    } finally {
      await previous.close();
      await next.close();
    }
  });
});
