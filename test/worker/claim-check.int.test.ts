import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import {
  committedOffsets,
  createTopics,
  produce,
  readCommitted,
  waitFor,
  withAdmin,
  workerTopics,
} from '../helpers/kafka.js';
import { freshBucket, put, putBundledPipeline, s3, s3Env } from '../helpers/s3.js';
import { spawnWorker, transcripts } from '../helpers/worker-process.js';

describe('claim-check transcripts (real broker + real S3 server)', () => {
  it('fetches transcriptRef objects (plain or gzip) and screens them as if inline; bad refs are dead-lettered with the reason', async () => {
    const client = s3();
    const bucket = await freshBucket(client);
    const { t, env } = workerTopics('cc');
    await createTopics({ topic: t.input }, { topic: t.output }, { topic: t.dlq });
    const [sample] = transcripts(1, 'cc');
    const full = JSON.parse(sample!.value);
    const { turns, ...meta } = full;
    await put(client, bucket, 'calls/a.json', JSON.stringify({ turns }));
    await put(client, bucket, 'calls/b.json.gz', gzipSync(JSON.stringify({ turns })));
    await put(client, bucket, 'calls/whole.json', JSON.stringify(full));
    await put(client, bucket, 'calls/not-json.json', 'turns: nope');
    await put(client, bucket, 'calls/no-turns.json', JSON.stringify({ hello: 1 }));
    await put(
      client,
      bucket,
      'calls/huge.json',
      JSON.stringify({ turns: [{ speaker: 'agent', text: 'x'.repeat(19_000) }] }).repeat(60),
    );
    const event = (id: string, key: string) => ({
      key: id,
      value: JSON.stringify({ ...meta, conversationId: id, transcriptRef: `s3://${bucket}/${key}` }),
    });
    await produce(t.input, [
      event('ok-plain', 'calls/a.json'),
      event('ok-gzip', 'calls/b.json.gz'),
      event('ok-whole', 'calls/whole.json'),
      event('missing', 'calls/missing.json'),
      {
        key: 'no-bucket',
        value: JSON.stringify({
          ...meta,
          conversationId: 'no-bucket',
          transcriptRef: 's3://qa-no-such-bucket/x.json',
        }),
      },
      event('not-json', 'calls/not-json.json'),
      event('no-turns', 'calls/no-turns.json'),
      event('huge', 'calls/huge.json'),
    ]);
    const w = await spawnWorker({ ...env, QA_CLAIM_CHECK: 's3', ...s3Env() });
    const items = await readCommitted(t.output, 3);
    expect(items.map((m) => m.key!.toString()).sort()).toEqual(['ok-gzip', 'ok-plain', 'ok-whole']);
    const item = JSON.parse(items.find((m) => m.key!.toString() === 'ok-plain')!.value!.toString());
    expect(item.stats.turns).toBe(turns.length);
    const dead = await readCommitted(t.dlq, 5);
    const reasons = Object.fromEntries(
      dead.map((m) => [m.key!.toString(), m.headers!['qa-error-code']!.toString()]),
    );
    expect(reasons).toEqual({
      missing: 'QA_ERR_TRANSCRIPT_REF_NOT_FOUND',
      'no-bucket': 'QA_ERR_TRANSCRIPT_REF_NOT_FOUND',
      'not-json': 'QA_ERR_TRANSCRIPT_REF_INVALID',
      'no-turns': 'QA_ERR_TRANSCRIPT_REF_INVALID',
      huge: 'QA_ERR_TRANSCRIPT_TOO_LARGE',
    });
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  });
});

describe('hot reload in a running worker (real broker + real S3 server)', () => {
  it('screens with a lexicon uploaded while it runs, and each item names the lexicon version that screened it', async () => {
    const client = s3();
    const bucket = await freshBucket(client);
    await putBundledPipeline(client, bucket, 'pipelines/chat-zh.yaml');
    const { t, env } = workerTopics('reload');
    await createTopics({ topic: t.input }, { topic: t.output }, { topic: t.dlq });
    // One process: the test waits for its reload event (each process reloads on its own poll).
    const w = await spawnWorker(
      { ...env, ...s3Env(), QA_CONFIG_POLL_SECONDS: '0.5', QA_WORKER_PROCESSES: '1' },
      `s3://${bucket}/pipelines/chat-zh.yaml`,
    );
    const event = (id: string) => {
      const [x] = transcripts(1, id);
      const v = JSON.parse(x!.value);
      v.conversationId = id;
      v.turns.push({ speaker: 'agent', text: '请走新流程测试', at: v.turns.at(-1).at });
      return { key: id, value: JSON.stringify(v) };
    };
    await produce(t.input, [event('before')]);
    await readCommitted(t.output, 1, { settleMs: 0 });
    const forbidden = readFileSync('lexicons/zh/forbidden.yaml', 'utf8');
    await put(
      client,
      bucket,
      'lexicons/zh/forbidden.yaml',
      forbidden.replace('      - 这不是我们的责任\n', '      - 这不是我们的责任\n      - 走新流程测试\n'),
    );
    await waitFor(() => w.stderr().includes('"event":"config.reload"'), {
      what: 'the reload',
      timeoutMs: 30_000,
    });
    await produce(t.input, [event('after')]);
    const items = Object.fromEntries(
      (await readCommitted(t.output, 2, { settleMs: 0 })).map((m) => [
        m.key!.toString(),
        JSON.parse(m.value!.toString()),
      ]),
    );
    const flagged = (id: string) =>
      items[id].findings.some((f: { text?: string }) => f.text === '走新流程测试');
    expect(flagged('before')).toBe(false);
    expect(flagged('after')).toBe(true);
    // Items name their lexicons by one digest of their versions (item version 2).
    const digest = (id: string) => items[id].pipeline.lexicons;
    expect(digest('before')).toMatch(/^[0-9a-f]{12}$/);
    expect(digest('after')).not.toBe(digest('before'));
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  });
});

describe('claim checks during an S3 outage (real broker + real S3 server)', () => {
  it('retries while S3 is down (nothing dead-lettered, nothing committed) and screens everything once it is back', async () => {
    const runDir = inject('s3RunDir');
    expect(runDir, 'this test restarts the S3 server, so it needs the one scripts/s3.sh runs').not.toBe('');
    const s3Script = (command: string) =>
      spawnSync('bash', ['scripts/s3.sh', command], {
        encoding: 'utf8',
        env: { ...process.env, S3_RUN_DIR: runDir },
      });
    const client = s3();
    const bucket = await freshBucket(client);
    const { t, env } = workerTopics('outage');
    await createTopics({ topic: t.input }, { topic: t.output }, { topic: t.dlq });
    const [sample] = transcripts(1, 'outage');
    const { turns, ...meta } = JSON.parse(sample!.value);
    const total = 20;
    for (let i = 0; i < total; i++) await put(client, bucket, `t/${i}.json`, JSON.stringify({ turns }));
    await produce(
      t.input,
      Array.from({ length: total }, (_, i) => ({
        key: `o-${i}`,
        value: JSON.stringify({
          ...meta,
          conversationId: `o-${i}`,
          transcriptRef: `s3://${bucket}/t/${i}.json`,
        }),
      })),
    );
    expect(s3Script('stop').status).toBe(0);
    try {
      const w = await spawnWorker({ ...env, QA_CLAIM_CHECK: 's3', S3_MAX_ATTEMPTS: '2', ...s3Env() });
      await waitFor(
        () =>
          /"event":"worker.batch_failed"[^\n]*"code":"QA_ERR_S3_UNAVAILABLE"[^\n]*"retriable":true/.test(
            w.stderr(),
          ),
        {
          what: 'a failed fetch',
          timeoutMs: 30_000,
        },
      );
      w.assertAlive();
      expect(await committedOffsets(t.group, t.input)).toBe(0);
      expect(await endOffset(t.dlq)).toBe(0);
      expect(s3Script('start').status).toBe(0);
      await waitFor(async () => (await committedOffsets(t.group, t.input)) === total, {
        what: 'all screened after the outage',
        timeoutMs: 120_000,
      });
      const items = await readCommitted(t.output, total, { settleMs: 500 });
      expect(new Set(items.map((m) => m.key!.toString())).size).toBe(total);
      expect(await endOffset(t.dlq)).toBe(0);
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(0);
    } finally {
      s3Script('start');
    }
  });
});

async function endOffset(topic: string): Promise<number> {
  return withAdmin(async (admin) =>
    (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0),
  );
}
