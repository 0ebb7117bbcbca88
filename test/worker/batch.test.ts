import { beforeAll, describe, expect, it } from 'vitest';
import { loadPipeline } from '../../src/config/load.js';
import { QaError } from '../../src/errors.js';
import { createScreener, type Screener } from '../../src/pipeline/screen.js';
import { HEADER, type Routing } from '../../src/sinks/kafka.js';
import type { KafkaRecord } from '../../src/sources/kafka.js';
import { screenBatch } from '../../src/worker/batch.js';

let screener: Screener;
beforeAll(async () => {
  screener = createScreener(await loadPipeline('pipelines/chat-zh.yaml'));
});

const routing: Routing = {
  outputTopic: 'items',
  deadLetterTopic: 'dlq',
  queueTopicPrefix: undefined,
  defaultQueue: () => 'clean',
  deadLetterMaxBytes: 1000,
  maxMessageBytes: 1_000_000,
};

const record = (offset: number, value: string): KafkaRecord => ({
  topic: 'in',
  partition: 0,
  offset: String(offset),
  key: null,
  value: Buffer.from(value),
  bytes: value.length,
  timestamp: 0,
});

const transcript = (id: string, ref = false) =>
  JSON.stringify({
    conversationId: id,
    channel: 'chat',
    language: 'zh',
    agent: { id: 'a-1' },
    startedAt: '2026-11-02T01:00:00Z',
    ...(ref
      ? { transcriptRef: `s3://b/${id}.json` }
      : { turns: [{ speaker: 'agent', text: '您好', at: '2026-11-02T01:00:05Z' }] }),
  });

describe('the worker step (records in → messages and tally out)', () => {
  it('keeps input order, sends bad records to the dead letters, and tallies without text', async () => {
    const { outgoing, tally } = await screenBatch(
      screener,
      [record(5, transcript('c-1')), record(6, '{"oops":'), record(7, transcript('c-2'))],
      routing,
      undefined,
    );
    expect(outgoing.map((o) => o.topic)).toEqual(['items', 'dlq', 'items']);
    expect(outgoing[1]!.message.headers![HEADER.sourceOffset]).toBe('6');
    expect(tally.queues).toHaveLength(2);
    expect(tally.deadLetters).toEqual([
      { code: 'QA_ERR_TRANSCRIPT_NOT_JSON', offset: '6', conversationId: undefined },
    ]);
    expect(tally.seconds).toHaveLength(3);
    expect(JSON.stringify(tally)).not.toContain('您好');
  });

  it('dead-letters a permanent claim-check failure and propagates a retriable one', async () => {
    const missing = async () => {
      throw new QaError('QA_ERR_TRANSCRIPT_REF_NOT_FOUND');
    };
    const { tally } = await screenBatch(screener, [record(1, transcript('c-3', true))], routing, missing);
    expect(tally.deadLetters.map((d) => d.code)).toEqual(['QA_ERR_TRANSCRIPT_REF_NOT_FOUND']);
    const down = async () => {
      throw new QaError('QA_ERR_S3_UNAVAILABLE');
    };
    await expect(
      screenBatch(screener, [record(1, transcript('c-3', true))], routing, down),
    ).rejects.toMatchObject({
      code: 'QA_ERR_S3_UNAVAILABLE',
    });
  });
});
