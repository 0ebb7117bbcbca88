import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { brokers, createTopics, randomTopic, readCommitted } from '../helpers/kafka.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'qa-screen.js');

describe('qa-screen produce (real broker)', () => {
  it('loads a JSONL file into a topic keyed by conversation id; bad lines go unkeyed, nothing is dropped', async () => {
    const topic = randomTopic('produce');
    await createTopics({ topic });
    const { stderr } = await run('node', [
      BIN,
      'produce',
      '--topic',
      topic,
      '--brokers',
      brokers(),
      'samples/chat-zh.jsonl',
    ]);
    expect(stderr).toContain(`produced 11 record(s) to ${topic}`);
    const records = await readCommitted(topic, 11, { settleMs: 500 });
    expect(records).toHaveLength(11);
    const keys = records.map((m) => m.key?.toString() ?? null);
    expect(keys).toContain('chat-zh-001');
    expect(keys.filter((k) => k === null)).toHaveLength(1);
  });
});
