import { readFileSync } from 'node:fs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { CompiledPipeline } from '../../src/config/compile.js';
import { loadPipelineWithFiles } from '../../src/config/load.js';
import { watchPipeline } from '../../src/config/reload.js';
import type { InlineTranscript } from '../../src/domain/index.js';
import { QaError } from '../../src/errors.js';
import { createScreener } from '../../src/pipeline/screen.js';
import { configStore } from '../../src/s3/config-store.js';
import { freshBucket, put, putBundledPipeline, s3 } from '../helpers/s3.js';

const transcript = {
  conversationId: 'c-1',
  channel: 'chat',
  language: 'zh',
  agent: { id: 'a' },
  startedAt: '2026-11-02T01:00:00Z',
  turns: [
    { speaker: 'customer', text: '你好', at: '2026-11-02T01:00:00Z' },
    { speaker: 'agent', text: '您好,这个要走新流程测试,再见', at: '2026-11-02T01:00:10Z' },
  ],
} as InlineTranscript;

const ruleIds = (p: CompiledPipeline) =>
  createScreener(p)
    .screen(transcript)
    .findings.map((f) => `${f.ruleId}:${f.text ?? ''}`);

describe('lexicons and pipelines from S3 (real S3 server)', () => {
  it('loads from s3:// URIs, hot-reloads a changed lexicon, rejects an invalid one and keeps serving', async () => {
    const client = s3();
    const bucket = await freshBucket(client);
    const forbidden = readFileSync('lexicons/zh/forbidden.yaml', 'utf8');
    await putBundledPipeline(client, bucket, 'pipelines/chat-zh.yaml');
    const store = configStore(client);
    const location = `s3://${bucket}/pipelines/chat-zh.yaml`;
    const { pipeline, files } = await loadPipelineWithFiles(location, { read: store.read });
    expect(files).toContain(`s3://${bucket}/lexicons/zh/forbidden.yaml`);
    expect(ruleIds(pipeline)).toEqual([]);

    const logs: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(line) });
    let current = pipeline;
    const watch = watchPipeline({
      location,
      store,
      files,
      intervalMs: 3_600_000,
      logger,
      apply: (p) => (current = p),
    });
    expect(await watch.check()).toBe(false);

    // A QA manager adds a forbidden phrase: the next poll serves it, and items say which version.
    await put(
      client,
      bucket,
      'lexicons/zh/forbidden.yaml',
      forbidden.replace('      - 这不是我们的责任\n', '      - 这不是我们的责任\n      - 走新流程测试\n'),
    );
    expect(await watch.check()).toBe(true);
    expect(ruleIds(current)).toEqual(['forbidden-phrase:走新流程测试']);
    const v1 = pipeline.lexicons.find((l) => l.id === 'forbidden-zh')!.version;
    const v2 = current.lexicons.find((l) => l.id === 'forbidden-zh')!.version;
    expect(v2).not.toBe(v1);
    expect(current.lexicons).toContainEqual({ id: 'forbidden-zh', version: v2 });
    expect(createScreener(current).screen(transcript).pipeline.lexicons).toBe(current.lexiconsDigest);
    expect(current.lexiconsDigest).not.toBe(pipeline.lexiconsDigest);

    // An invalid version is rejected with file:line:col, and the last good one keeps serving.
    await put(
      client,
      bucket,
      'lexicons/zh/forbidden.yaml',
      forbidden.replace('severity: major', 'severity: huge'),
    );
    const before = current;
    expect(await watch.check()).toBe(false);
    expect(current).toBe(before);
    const rejected = logs.map((l) => JSON.parse(l)).find((l) => l.event === 'config.reject');
    expect(rejected.issues[0]).toMatch(
      new RegExp(`^s3://${bucket}/lexicons/zh/forbidden.yaml:\\d+:\\d+ categories\\.shirking\\.severity`),
    );
    expect(JSON.stringify(logs)).not.toContain('您好');

    // Fixed again: reloaded.
    await put(client, bucket, 'lexicons/zh/forbidden.yaml', forbidden);
    expect(await watch.check()).toBe(true);
    expect(ruleIds(current)).toEqual([]);
    watch.stop();
  });

  it('names the missing file when a lexicon is not in the bucket', async () => {
    const client = s3();
    const bucket = await freshBucket(client);
    await put(client, bucket, 'p.yaml', readFileSync('pipelines/chat-zh.yaml'));
    const err = await loadPipelineWithFiles(`s3://${bucket}/p.yaml`, {
      read: configStore(client).read,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(QaError);
    expect((err as QaError).code).toBe('QA_ERR_CONFIG_NOT_FOUND');
    expect((err as QaError).message).toContain(`s3://${bucket}/`);
  });

  it('refuses an object over the config size limit from its Content-Length', async () => {
    const client = s3();
    const bucket = await freshBucket(client);
    await put(client, bucket, 'big.yaml', Buffer.alloc(5 * 1024 * 1024, 'x'));
    const err = await configStore(client)
      .read(`s3://${bucket}/big.yaml`)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QaError);
    expect((err as QaError).code).toBe('QA_ERR_CONFIG_TOO_LARGE');
  });

  it("keeps a bucket pipeline's lexicons in its bucket: other buckets and local files are refused unread", async () => {
    const client = s3();
    const bucket = await freshBucket(client);
    const other = await freshBucket(client);
    await put(client, other, 'secret.yaml', 'password: hunter2\n');
    const pipeline = readFileSync('pipelines/chat-zh.yaml', 'utf8').replace(
      /^lexicons:\n/m,
      `lexicons:\n  - s3://${other}/secret.yaml\n  - /proc/self/environ\n`,
    );
    await put(client, bucket, 'pipelines/p.yaml', pipeline);
    const reads: string[] = [];
    const store = configStore(client);
    const err = await loadPipelineWithFiles(`s3://${bucket}/pipelines/p.yaml`, {
      read: (location) => {
        reads.push(location);
        return store.read(location);
      },
    }).catch((e: unknown) => e);
    expect((err as QaError).code).toBe('QA_ERR_CONFIG_INVALID');
    const outside = (err as QaError).details.filter((d) =>
      d.includes('is outside the folders lexicons may come from'),
    );
    expect(outside).toHaveLength(2);
    expect(reads).toEqual([`s3://${bucket}/pipelines/p.yaml`]);
  });
});
