import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPipeline } from '../../src/config/load.js';
import { parseSettings } from '../../src/config/settings.js';
import { QueueRef } from '../../src/domain/index.js';
import { createLogger } from '../../src/ops/logger.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { HEADER } from '../../src/sinks/kafka.js';
import { workerConfig } from '../../src/worker/config.js';
import { startWorker, type Worker } from '../../src/worker/worker.js';
import { brokers, createTopics, produce, readCommitted, workerTopics } from '../helpers/kafka.js';

const running: Worker[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.stop()));
});

async function start(
  topics: { input: string; output: string; dlq: string; group: string; queuePrefix?: string },
  env: Record<string, string> = {},
) {
  const pipeline = await loadPipeline('pipelines/chat-zh.yaml');
  const config = workerConfig(
    pipeline.id,
    {
      input_topics: [topics.input],
      output_topic: topics.output,
      dead_letter_topic: topics.dlq,
      group_id: topics.group,
      ...(topics.queuePrefix !== undefined && { queue_topic_prefix: topics.queuePrefix }),
    },
    parseSettings({ KAFKA_BROKERS: brokers(), QA_METRICS_PORT: '0', ...env }).kafka,
  );
  const metrics = createMetrics();
  const worker = await startWorker({ pipeline, config, logger: createLogger({ level: 'warn' }), metrics });
  running.push(worker);
  return { worker, metrics };
}

const samples = readFileSync('samples/chat-zh.jsonl', 'utf8').trim().split('\n');
const good = samples.filter((l) => {
  try {
    return 'agent' in JSON.parse(l);
  } catch {
    return false;
  }
});

/** A fuzzed mix of bad records: each kind of rejection, and random corruptions of good lines. */
function badRecords(seed: number): Array<{ value: string | Buffer | null; code: string }> {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const base = JSON.parse(good[0]!);
  const out: Array<{ value: string | Buffer | null; code: string }> = [
    { value: '{"conversationId": ', code: 'QA_ERR_TRANSCRIPT_NOT_JSON' },
    { value: Buffer.from([0xff, 0xfe, 0x00, 0x01]), code: 'QA_ERR_TRANSCRIPT_NOT_UTF8' },
    { value: null, code: 'QA_ERR_TRANSCRIPT_NOT_JSON' },
    { value: JSON.stringify({ ...base, channel: 'fax' }), code: 'QA_ERR_TRANSCRIPT_INVALID' },
    { value: JSON.stringify({ ...base, version: 99 }), code: 'QA_ERR_TRANSCRIPT_VERSION' },
    { value: JSON.stringify({ ...base, language: 'en' }), code: 'QA_ERR_LANGUAGE_MISMATCH' },
    {
      value: JSON.stringify({ ...base, turns: [{ speaker: 'agent', text: 'x'.repeat(1_100_000) }] }),
      code: 'QA_ERR_TRANSCRIPT_TOO_LARGE',
    },
  ];
  for (let i = 0; i < 20; i++) {
    const line = good[Math.floor(rand() * good.length)]!;
    const cut = Math.floor(rand() * (line.length - 2)) + 1;
    out.push({ value: line.slice(0, cut), code: 'QA_ERR_TRANSCRIPT_NOT_JSON' });
  }
  return out;
}

describe('worker on a real broker', () => {
  it('screens good records and dead-letters a fuzzed mix of bad ones, with reasons, without blocking the partition', async () => {
    const { t } = workerTopics('w');
    // The input topic accepts 4 MB records (as a topic for long call transcripts would); the
    // pipeline's limit is 1 MiB, and dead letters above 900 KiB keep their head only.
    await createTopics(
      { topic: t.input, config: { 'max.message.bytes': String(4 * 1024 * 1024) } },
      { topic: t.output },
      { topic: t.dlq },
    );
    const bad = badRecords(7);
    // Interleave: bad records between good ones on one partition; the good ones after each bad one must still flow.
    const records: Array<{
      key: string | null;
      value: string | Buffer | null;
      headers?: Record<string, string>;
    }> = [];
    const goodIds: string[] = [];
    bad.forEach((b, i) => {
      records.push({ key: `bad-${i}`, value: b.value, headers: { 'x-trace': `t-${i}` } });
      const g = JSON.parse(good[i % good.length]!);
      g.conversationId = `good-${i}`;
      goodIds.push(g.conversationId);
      records.push({ key: g.conversationId, value: JSON.stringify(g) });
    });
    await produce(t.input, records);
    const { metrics } = await start(t);

    const items = await readCommitted(t.output, goodIds.length);
    expect(items.map((m) => m.key!.toString()).sort()).toEqual([...goodIds].sort());
    const first = JSON.parse(items[0]!.value!.toString());
    expect(first.pipeline.id).toBe('chat-zh');
    expect(items[0]!.headers![HEADER.queue]!.toString()).toBe(first.queue);

    const dead = await readCommitted(t.dlq, bad.length);
    expect(dead).toHaveLength(bad.length);
    dead.forEach((m, i) => {
      const h = (k: string) => m.headers?.[k]?.toString();
      expect(h(HEADER.errorCode), `record ${i}`).toBe(bad[i]!.code);
      expect(h(HEADER.errorReason)).toBeTruthy();
      expect(h(HEADER.sourceTopic)).toBe(t.input);
      expect(h(HEADER.sourcePartition)).toBe('0');
      expect(h(HEADER.sourceOffset)).toBe(String(i * 2));
      expect(h('x-trace')).toBe(`t-${i}`);
      const original = bad[i]!.value;
      const expected = original === null ? Buffer.alloc(0) : Buffer.from(original);
      if (h(HEADER.truncated) === 'true') {
        expect(m.value!.equals(expected.subarray(0, m.value!.length))).toBe(true);
        expect(h(HEADER.originalBytes)).toBe(String(expected.length));
      } else {
        expect((m.value ?? Buffer.alloc(0)).equals(expected)).toBe(true);
      }
    });

    const text = await metrics.registry.metrics();
    expect(text).toMatch(new RegExp(`qa_screen_consumed_total\\{topic="${t.input}"\\} ${records.length}`));
    expect(text).toMatch(/qa_screen_dead_letters_total\{code="QA_ERR_TRANSCRIPT_NOT_JSON"\} 22/);
    expect(text).toMatch(/qa_screen_rebalances_total 1/);
  });

  it('routes flagged items to their review-queue topics as well', async () => {
    const { t } = workerTopics('w');
    await createTopics(
      { topic: t.input },
      { topic: t.output },
      { topic: t.dlq },
      { topic: `${t.queuePrefix}fatal` },
    );
    await produce(
      t.input,
      good.map((l) => ({ key: JSON.parse(l).conversationId, value: l })),
    );
    await start(t);
    const items = await readCommitted(t.output, good.length);
    const fatalIds = items
      .filter((m) => m.headers![HEADER.queue]!.toString() === 'fatal')
      .map((m) => m.key!.toString());
    expect(fatalIds).toEqual(['chat-zh-004']);
    const fatalQueue = await readCommitted(`${t.queuePrefix}fatal`, 1);
    expect(fatalQueue.map((m) => m.key!.toString())).toEqual(['chat-zh-004']);
    // A reference to the item on the items topic, not a copy.
    const ref = QueueRef.parse(JSON.parse(fatalQueue[0]!.value!.toString()));
    const fatalItem = JSON.parse(items.find((m) => m.key!.toString() === 'chat-zh-004')!.value!.toString());
    expect(ref).toMatchObject({
      conversationId: 'chat-zh-004',
      topic: t.output,
      queue: 'fatal',
      fatal: true,
    });
    expect(ref.priority).toBe(fatalItem.priority);
  });
});

describe('worker batches on a real broker', () => {
  it('writes a full 1 MiB fetch whose items exceed the broker message limit, in chunks, within one transaction', async () => {
    const { t } = workerTopics('big');
    await createTopics({ topic: t.input }, { topic: t.output }, { topic: t.dlq });
    const records = Array.from({ length: 4000 }, (_, i) => {
      const g = JSON.parse(good[i % good.length]!);
      g.conversationId = `big-${i}`;
      return { key: g.conversationId, value: JSON.stringify(g) };
    });
    await produce(t.input, records);
    const { metrics } = await start(t);
    const items = await readCommitted(t.output, records.length, { settleMs: 1000 });
    expect(new Set(items.map((m) => m.key!.toString())).size).toBe(records.length);
    expect(items).toHaveLength(records.length);
    expect(await metrics.registry.getSingleMetricAsString('qa_screen_aborted_batches_total')).toMatch(/ 0$/m);
  });
});

describe('items too large for the broker', () => {
  it('dead-letters an item over the output topic max.message.bytes and keeps the partition flowing', async () => {
    const { t } = workerTopics('large');
    // The output topic takes 100 kB messages; the worker is left at its 1 MB default, so the broker
    // itself refuses the large item and the worker must lower its limit rather than stop.
    await createTopics(
      { topic: t.input },
      { topic: t.output, config: { 'max.message.bytes': '100000' } },
      { topic: t.dlq },
    );
    const base = JSON.parse(good[1]!);
    const long = {
      ...base,
      conversationId: 'large-1',
      // A flagged conversation (so the item carries it for review) of about 300 kB.
      turns: Array.from({ length: 100 }, (_, i) => ({
        speaker: i % 2 ? 'customer' : 'agent',
        text: `这是规定,${'请您耐心等待处理结果'.repeat(100)}`,
        at: new Date(Date.parse(base.startedAt) + i * 1000).toISOString(),
      })),
    };
    const before = { ...JSON.parse(good[0]!), conversationId: 'small-1' };
    const after = { ...JSON.parse(good[2]!), conversationId: 'small-2' };
    await produce(
      t.input,
      [before, long, after].map((x) => ({ key: x.conversationId, value: JSON.stringify(x) })),
    );
    const { metrics } = await start(t);
    const items = await readCommitted(t.output, 2);
    expect(items.map((m) => m.key!.toString())).toEqual(['small-1', 'small-2']);
    const [dead] = await readCommitted(t.dlq, 1);
    expect(dead!.headers![HEADER.errorCode]!.toString()).toBe('QA_ERR_ITEM_TOO_LARGE');
    expect(dead!.headers![HEADER.conversationId]!.toString()).toBe('large-1');
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/qa_screen_dead_letters_total\{code="QA_ERR_ITEM_TOO_LARGE"[^}]*\} 1/);
  });
});
