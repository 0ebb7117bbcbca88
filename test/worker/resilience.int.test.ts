import { spawnSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import {
  committedOffsets,
  createTopics,
  produce,
  readCommitted,
  waitFor,
  workerTopics,
} from '../helpers/kafka.js';
import { getJson, spawnWorker, transcripts, waitForCommitted } from '../helpers/worker-process.js';

async function expectExactlyOnce(output: string, total: number) {
  const out = await readCommitted(output, total, { settleMs: 3000 });
  const keys = out.map((m) => m.key!.toString());
  expect(new Set(keys).size).toBe(total);
  expect(keys.length).toBe(total);
}

describe('worker resilience on a real broker', () => {
  it('exposes /healthz, /readyz and Prometheus /metrics, and exits 0 on SIGTERM within the bound', async () => {
    const { t, env } = workerTopics('ops');
    await createTopics({ topic: t.input, partitions: 2 }, { topic: t.output }, { topic: t.dlq });
    await produce(t.input, [...transcripts(200, 'ops'), { key: 'x', value: 'not json' }]);
    const w = await spawnWorker(env);
    await waitFor(async () => (await getJson(w.port, '/healthz')).status === 200, { what: '/healthz' });
    await waitFor(async () => (await getJson(w.port, '/readyz')).status === 200, { what: '/readyz' });
    await waitFor(async () => (await committedOffsets(t.group, t.input)) === 201, { what: 'all committed' });
    const metrics = (await getJson(w.port, '/metrics')).body;
    expect(metrics).toMatch(new RegExp(`qa_screen_consumed_total\\{topic="${t.input}"\\} 201`));
    expect(metrics).toMatch(/qa_screen_dead_letters_total\{code="QA_ERR_TRANSCRIPT_NOT_JSON"\} 1/);
    expect(metrics).toMatch(/qa_screen_findings_total\{[^}]*rule="forbidden-phrase"[^}]*\} \d+/);
    expect(metrics).toMatch(/qa_screen_processing_seconds_bucket/);
    expect(metrics).toMatch(/qa_screen_consumer_lag\{topic="[^"]+",partition="[01]"\} 0/);
    expect(metrics).toMatch(/qa_screen_rebalances_total [1-9]/);
    const started = Date.now();
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Logs are JSON and never carry transcript text.
    const logs = w.stderr().trim().split('\n');
    for (const line of logs) expect(() => JSON.parse(line)).not.toThrow();
    expect(w.stderr()).not.toMatch(/您好|不知道|13812345678/);
    await expectExactlyOnce(t.output, 200);
  });

  it('scales out: two workers share a 4-partition topic; one is stopped mid-stream; every item is processed once', async () => {
    const { t, env } = workerTopics('scale');
    const total = 6000;
    await createTopics(
      { topic: t.input, partitions: 4 },
      { topic: t.output, partitions: 4 },
      { topic: t.dlq },
    );
    await produce(t.input, transcripts(total, 'scale'));
    const slow = { ...env, KAFKA_PARTITION_FETCH_MAX_BYTES: String(32 * 1024) };
    const a = await spawnWorker(slow);
    const b = await spawnWorker(slow);
    await waitForCommitted(t.group, t.input, (n) => n > total / 5, [a, b]);
    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    const atStop = await committedOffsets(t.group, t.input);
    expect(atStop).toBeLessThan(total);
    await waitFor(async () => (await committedOffsets(t.group, t.input)) === total, {
      timeoutMs: 120_000,
      what: 'the survivor to finish',
    }).catch((err) => {
      throw new Error(
        `${(err as Error).message}\nsurvivor log tail:\n${b.stderr().split('\n').slice(-15).join('\n')}`,
      );
    });
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    await expectExactlyOnce(t.output, total);
  });

  it('survives the broker being stopped and restarted while it runs: nothing lost, nothing duplicated', async () => {
    const runDir = inject('kafkaRunDir');
    expect(runDir, 'this test restarts the broker, so it needs the one scripts/kafka.sh runs').not.toBe('');
    const kafkaScript = (command: string) =>
      spawnSync('bash', ['scripts/kafka.sh', command], {
        encoding: 'utf8',
        env: { ...process.env, KAFKA_RUN_DIR: runDir },
      });
    const { t, env } = workerTopics('restart');
    const total = 4000;
    await createTopics(
      { topic: t.input, partitions: 2 },
      { topic: t.output, partitions: 2 },
      { topic: t.dlq },
    );
    await produce(t.input, transcripts(total, 'restart'));
    const w = await spawnWorker({ ...env, KAFKA_PARTITION_FETCH_MAX_BYTES: String(16 * 1024) });
    await waitForCommitted(t.group, t.input, (n) => n > 200, [w]);
    const stop = kafkaScript('stop');
    expect(stop.status).toBe(0);
    await new Promise((r) => setTimeout(r, 3000));
    const start = kafkaScript('start');
    expect(start.status, start.stderr).toBe(0);
    await waitFor(async () => (await committedOffsets(t.group, t.input)) === total, {
      timeoutMs: 180_000,
      what: 'the worker to finish after the restart',
    });
    expect(w.child.exitCode).toBeNull();
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    await expectExactlyOnce(t.output, total);
  });
});

describe('worker failures that retrying cannot fix', () => {
  it('exits 1 (to be restarted and alerted on) instead of looping or hanging on a deterministic failure', async () => {
    const { t, env } = workerTopics('fatal');
    // A compacted dead-letter topic refuses records without a key (INVALID_RECORD) on every attempt;
    // the worker keys a dead letter with its input record's key, and these invalid lines have none.
    // (Oversized batches no longer serve here: the worker lowers its message limit and retries them.)
    await createTopics(
      { topic: t.input },
      { topic: t.output },
      { topic: t.dlq, config: { 'cleanup.policy': 'compact' } },
    );
    await produce(t.input, [
      ...transcripts(50, 'fatal'),
      ...Array.from({ length: 5 }, () => ({ key: null, value: 'not a transcript' })),
    ]);
    const w = await spawnWorker(env);
    const code = await Promise.race([
      w.exited,
      new Promise((r) => setTimeout(() => r('still running'), 90_000)),
    ]);
    expect(code, w.stderr().slice(-4000)).toBe(1);
    expect(w.stderr()).toContain('"event":"worker.fatal"');
    expect(w.stderr()).toContain('INVALID_RECORD');
    expect(await committedOffsets(t.group, t.input)).toBeLessThanOrEqual(0);
  });
});
