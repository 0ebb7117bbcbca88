import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { QueueRef, type ScreenedItem } from '../../src/domain/index.js';
import { QaError } from '../../src/errors.js';
import { chunkByBytes, HEADER, kafkaSink, outgoingFor, type Routing } from '../../src/sinks/kafka.js';

const routing: Routing = {
  outputTopic: 'out',
  deadLetterTopic: 'dlq',
  queueTopicPrefix: 'qa.review.',
  defaultQueue: () => 'clean',
  deadLetterMaxBytes: 10,
  maxMessageBytes: 1_000_000,
};
const record = {
  topic: 'in',
  partition: 3,
  offset: '42',
  key: Buffer.from('k'),
  value: Buffer.from('{"bad":'),
  bytes: 7,
  timestamp: 0,
  headers: { trace: 'abc' },
};
const item = (queue: string) =>
  ({
    itemVersion: 2,
    conversationId: 'c1',
    queue,
    score: 90,
    priority: 10,
    fatal: false,
    pipeline: { id: 'p', version: '1', lexicons: 'abc' },
  }) as ScreenedItem;

const ok = (i: ScreenedItem) => ({ ok: true as const, item: i, json: JSON.stringify(i) });

describe('outgoing messages', () => {
  it('writes an item keyed by conversation id with its queue in one header, and a reference to its review-queue topic', () => {
    const out = outgoingFor(record, ok(item('review')), routing);
    expect(out.map((o) => o.topic)).toEqual(['out', 'qa.review.review']);
    expect(out[0]!.message.key).toBe('c1');
    expect(out[0]!.message.headers).toEqual({ [HEADER.queue]: 'review' });
    // The item's JSON, as UTF-8 bytes (encoded once, not by kafkajs).
    expect(out[0]!.message.value).toEqual(Buffer.from(JSON.stringify(item('review'))));
    expect(JSON.parse((out[0]!.message.value as Buffer).toString())).toEqual(item('review'));
    // The queue topic gets a reference to the item, not a copy of it.
    expect(out[1]!.message.key).toBe('c1');
    expect(out[1]!.message.headers).toEqual({ [HEADER.queue]: 'review' });
    const ref = QueueRef.parse(JSON.parse((out[1]!.message.value as Buffer).toString()));
    expect(ref).toEqual({
      itemVersion: 2,
      conversationId: 'c1',
      topic: 'out',
      queue: 'review',
      priority: 10,
      score: 90,
      fatal: false,
      pipeline: { id: 'p', version: '1' },
    });
  });

  it('keeps clean items out of the review-queue topics', () => {
    expect(outgoingFor(record, ok(item('clean')), routing).map((o) => o.topic)).toEqual(['out']);
  });

  it('dead-letters the original bytes and headers with the reason and source position', () => {
    const [dead] = outgoingFor(
      { ...record, value: Buffer.from('{"x":1}') },
      { ok: false, error: new QaError('QA_ERR_TRANSCRIPT_INVALID', 'agent: required') },
      routing,
    );
    expect(dead!.topic).toBe('dlq');
    expect(dead!.message.value).toEqual(Buffer.from('{"x":1}'));
    expect(dead!.message.headers).toMatchObject({
      trace: 'abc',
      [HEADER.errorCode]: 'QA_ERR_TRANSCRIPT_INVALID',
      [HEADER.sourceTopic]: 'in',
      [HEADER.sourcePartition]: '3',
      [HEADER.sourceOffset]: '42',
      [HEADER.originalBytes]: '7',
    });
  });

  it('keeps the head of a dead letter above the size limit and says so', () => {
    const big = Buffer.from('x'.repeat(25));
    const [dead] = outgoingFor(
      { ...record, value: big },
      { ok: false, error: new QaError('QA_ERR_TRANSCRIPT_TOO_LARGE') },
      routing,
    );
    expect(dead!.message.value).toEqual(big.subarray(0, 10));
    expect(dead!.message.headers).toMatchObject({ [HEADER.truncated]: 'true', [HEADER.originalBytes]: '25' });
  });
});

describe('an item too large for the broker', () => {
  it('becomes a dead letter with the input bytes and the reason, so the partition goes on', () => {
    const big = { ...item('review'), findings: [{ message: 'x'.repeat(40_000) }] } as unknown as ScreenedItem;
    const out = outgoingFor({ ...record, value: Buffer.from('{"conversationId":"c1"}') }, ok(big), {
      ...routing,
      maxMessageBytes: 20_000,
      deadLetterMaxBytes: 900_000,
    });
    expect(out).toHaveLength(1);
    expect(out[0]!.topic).toBe('dlq');
    expect(out[0]!.deadLetter).toBe('QA_ERR_ITEM_TOO_LARGE');
    expect(out[0]!.message.value).toEqual(Buffer.from('{"conversationId":"c1"}'));
    expect(out[0]!.message.headers).toMatchObject({
      [HEADER.errorCode]: 'QA_ERR_ITEM_TOO_LARGE',
      [HEADER.conversationId]: 'c1',
    });
    expect(String(out[0]!.message.headers![HEADER.errorReason])).toMatch(/item is \d+ bytes, limit 20000/);
  });

  it('keeps a dead letter within the message limit too', () => {
    const [dead] = outgoingFor(
      { ...record, value: Buffer.alloc(50_000, 'x') },
      { ok: false, error: new QaError('QA_ERR_TRANSCRIPT_TOO_LARGE') },
      { ...routing, maxMessageBytes: 20_000, deadLetterMaxBytes: 900_000 },
    );
    expect((dead!.message.value as Buffer).length).toBeLessThanOrEqual(20_000 - 4096);
    expect(dead!.message.headers).toMatchObject({ [HEADER.truncated]: 'true' });
  });
});

describe('chunkByBytes', () => {
  it('splits outgoing messages into requests under the byte limit, grouped by topic, keeping order', () => {
    const out = Array.from({ length: 10 }, (_, i) => ({
      topic: i % 2 ? 'a' : 'b',
      message: { key: `k${i}`, value: 'x'.repeat(100) },
    }));
    const chunks = chunkByBytes(out, 500);
    expect(chunks.length).toBeGreaterThan(1);
    const flat = chunks.flatMap((c) => c.flatMap((t) => t.messages.map((m) => [t.topic, m.key])));
    expect(flat.map((x) => x[1]).sort()).toEqual(out.map((o) => o.message.key).sort());
    for (const c of chunks) {
      const bytes = c.flatMap((t) => t.messages).reduce((n, m) => n + String(m.value).length, 0);
      expect(bytes).toBeLessThanOrEqual(500);
    }
  });

  it('keeps a single oversized message in its own request rather than dropping it', () => {
    const chunks = chunkByBytes([{ topic: 't', message: { key: 'k', value: 'x'.repeat(1000) } }], 100);
    expect(chunks).toHaveLength(1);
  });
});

describe('fencing a partition before its first batch', () => {
  /** A kafkajs stand-in that records what each producer was asked to do, in order. */
  function recordingKafka() {
    const calls: string[] = [];
    const kafka = {
      producer: (o: { transactionalId?: string }) => ({
        connect: async () => void calls.push(`connect ${o.transactionalId}`),
        disconnect: async () => void calls.push(`disconnect ${o.transactionalId}`),
        transaction: async () => {
          // kafkajs sends InitProducerId for the transactional id here, not in connect().
          calls.push(`transaction ${o.transactionalId}`);
          return {
            abort: async () => void calls.push('abort'),
            commit: async () => void calls.push('commit'),
          };
        },
      }),
    } as unknown as Kafka;
    return { kafka, calls };
  }

  it('registers the transactional id (begins and aborts an empty transaction) before it returns', async () => {
    const { kafka, calls } = recordingKafka();
    const sink = kafkaSink({ kafka, transactions: true, transactionalIdPrefix: 'g', chunkBytes: 1000 });
    expect(await sink.fence('in', 1)).toBe(true);
    expect(calls).toEqual(['connect g-in-1', 'transaction g-in-1', 'abort']);
    // The partition's producer exists now: no second fence for its next batches.
    expect(await sink.fence('in', 1)).toBe(false);
    expect(calls).toHaveLength(3);
  });

  it('does nothing without transactions (one shared idempotent producer)', async () => {
    const { kafka, calls } = recordingKafka();
    const sink = kafkaSink({ kafka, transactions: false, transactionalIdPrefix: 'g', chunkBytes: 1000 });
    expect(await sink.fence('in', 1)).toBe(false);
    expect(calls).toEqual([]);
  });
});
