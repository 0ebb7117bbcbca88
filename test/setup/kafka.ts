import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    /** The data dir of the broker scripts/kafka.sh runs for us, so a test may stop and restart it; '' if external. */
    kafkaRunDir: string;
  }
}

const script = (command: string, runDir?: string) =>
  spawnSync('bash', ['scripts/kafka.sh', command], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 300_000,
    env: runDir ? { ...process.env, KAFKA_RUN_DIR: runDir } : process.env,
  });

/**
 * Gives the integration tests a real broker: KAFKA_BROKERS if set; else a broker already started by
 * scripts/kafka.sh; else a fresh one in a temporary data dir (isolated from earlier runs, removed
 * afterwards). A broker that cannot be started fails the run: integration tests never skip.
 */
export default function setup(project: TestProject) {
  if (process.env.KAFKA_BROKERS) {
    project.provide('kafkaBrokers', process.env.KAFKA_BROKERS);
    project.provide('kafkaRunDir', '');
    return;
  }
  const defaultRunDir =
    process.env.KAFKA_RUN_DIR ??
    join(process.env.QA_CACHE_DIR ?? join(process.env.HOME ?? tmpdir(), '.cache', 'qa-screen'), 'kafka-run');
  const running = spawnSync('bash', ['scripts/kafka.sh', 'status'], { stdio: 'ignore' }).status === 0;
  const runDir = running ? defaultRunDir : mkdtempSync(join(tmpdir(), 'qa-kafka-'));
  const started = script('start', runDir);
  if (started.status !== 0) {
    throw new Error(
      `could not start the Kafka broker for integration tests (scripts/kafka.sh exited ${started.status})`,
    );
  }
  project.provide('kafkaBrokers', started.stdout.trim().split('\n').at(-1)!);
  project.provide('kafkaRunDir', runDir);
  return () => {
    if (running) return;
    script('stop', runDir);
    rmSync(runDir, { recursive: true, force: true });
  };
}
