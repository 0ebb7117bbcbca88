import { afterEach, describe, expect, it } from 'vitest';
import { readLocalFile } from '../../src/config/file-store.js';
import { loadRoutingWithFiles } from '../../src/config/routing.js';
import { parseSettings } from '../../src/config/settings.js';
import { createLogger } from '../../src/ops/logger.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { HEADER } from '../../src/sinks/kafka.js';
import { workerConfig } from '../../src/worker/config.js';
import { startWorker, type Worker } from '../../src/worker/worker.js';
import { brokers, createTopics, produce, readCommitted, workerTopics } from '../helpers/kafka.js';
import { sampleLines } from '../helpers/worker-process.js';

const running: Worker[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.stop()));
});

const lines = sampleLines;

describe('one worker, several pipelines (routing) on a real broker', () => {
  it('screens a mixed topic with the pipeline each transcript routes to, and dead-letters the unroutable with the reason', async () => {
    const { t } = workerTopics('route');
    await createTopics({ topic: t.input, partitions: 3 }, { topic: t.output }, { topic: t.dlq });
    const chatZh = lines('samples/chat-zh.jsonl').slice(0, 4);
    const callZh = lines('samples/call-zh.jsonl').slice(0, 4);
    const chatEn = lines('samples/chat-en.jsonl').slice(0, 4);
    const social = chatEn.slice(0, 2).map((l) => {
      const x = JSON.parse(l);
      x.conversationId = `social-${x.conversationId}`;
      x.agent.team = 'social-care';
      return JSON.stringify(x);
    });
    const callEn = JSON.parse(callZh[0]!);
    callEn.conversationId = 'call-en-unroutable';
    callEn.language = 'en';
    const records = [...chatZh, ...callZh, ...chatEn, ...social, JSON.stringify(callEn)].map((value) => ({
      key: JSON.parse(value).conversationId as string,
      value,
    }));
    await produce(t.input, records);

    const { routing } = await loadRoutingWithFiles('pipelines/routing.yaml', readLocalFile);
    const config = workerConfig(
      routing.id,
      { input_topics: [t.input], output_topic: t.output, dead_letter_topic: t.dlq, group_id: t.group },
      parseSettings({ KAFKA_BROKERS: brokers(), QA_METRICS_PORT: '0' }).kafka,
    );
    const metrics = createMetrics();
    const worker = await startWorker({
      pipeline: routing,
      config,
      logger: createLogger({ level: 'warn' }),
      metrics,
    });
    running.push(worker);

    const items = await readCommitted(t.output, records.length - 1);
    const byId = new Map(items.map((m) => [m.key!.toString(), JSON.parse(m.value!.toString())]));
    expect(byId.size).toBe(records.length - 1);
    const pipelineOf = (id: string) => byId.get(id)?.pipeline.id;
    for (const l of chatZh) expect(pipelineOf(JSON.parse(l).conversationId)).toBe('chat-zh');
    for (const l of callZh) expect(pipelineOf(JSON.parse(l).conversationId)).toBe('call-zh');
    for (const l of chatEn) expect(pipelineOf(JSON.parse(l).conversationId)).toBe('chat-en');
    for (const l of social) expect(pipelineOf(JSON.parse(l).conversationId)).toBe('social-en');
    const first = items.find((m) => m.key!.toString() === JSON.parse(callZh[0]!).conversationId)!;
    expect(JSON.parse(first.value!.toString()).pipeline.version).toMatch(/^1\.0\.0\+/);
    expect(Object.keys(first.headers!)).toEqual([HEADER.queue]);

    const [dead] = await readCommitted(t.dlq, 1);
    expect(dead!.key!.toString()).toBe('call-en-unroutable');
    expect(dead!.headers![HEADER.errorCode]!.toString()).toBe('QA_ERR_NO_ROUTE');
    expect(dead!.headers![HEADER.errorReason]!.toString()).toContain('call/en');
    expect(dead!.value!.toString()).toBe(JSON.stringify(callEn));

    const text = await metrics.registry.metrics();
    expect(text).toMatch(/qa_screen_dead_letters_total\{code="QA_ERR_NO_ROUTE"\} 1/);
    for (const [pipeline, n] of [
      ['chat-zh', chatZh.length],
      ['call-zh', callZh.length],
      ['chat-en', chatEn.length],
      ['social-en', social.length],
    ] as const) {
      const sum = [
        ...text.matchAll(
          new RegExp(`qa_screen_items_total\\{pipeline="${pipeline}",queue="[^"]+"\\} (\\d+)`, 'g'),
        ),
      ]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
      expect(sum, pipeline).toBe(n);
    }
    expect(text).toMatch(/qa_screen_findings_total\{pipeline="call-zh",rule="agent-hangup"\} \d+/);
  });
});
