import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    s3Endpoint: string;
    s3RunDir: string;
  }
}

/** Starts S3Proxy (scripts/s3.sh) in a temporary data dir unless S3_ENDPOINT is set; fails the run if it cannot. */
export default function setup(project: TestProject) {
  if (process.env.S3_ENDPOINT) {
    project.provide('s3Endpoint', process.env.S3_ENDPOINT);
    project.provide('s3RunDir', '');
    return;
  }
  const running = spawnSync('bash', ['scripts/s3.sh', 'status'], { stdio: 'ignore' }).status === 0;
  const defaultRunDir =
    process.env.S3_RUN_DIR ??
    join(process.env.QA_CACHE_DIR ?? join(process.env.HOME ?? tmpdir(), '.cache', 'qa-screen'), 's3-run');
  const runDir = running ? defaultRunDir : mkdtempSync(join(tmpdir(), 'qa-s3-'));
  const env = { ...process.env, S3_RUN_DIR: runDir };
  const started = spawnSync('bash', ['scripts/s3.sh', 'start'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
    timeout: 300_000,
  });
  if (started.status !== 0)
    throw new Error(
      `could not start the S3 server for integration tests (scripts/s3.sh exited ${started.status})`,
    );
  project.provide('s3Endpoint', started.stdout.trim().split('\n').at(-1)!);
  project.provide('s3RunDir', runDir);
  return () => {
    if (running) return;
    spawnSync('bash', ['scripts/s3.sh', 'stop'], { stdio: 'inherit', env });
    rmSync(runDir, { recursive: true, force: true });
  };
}
