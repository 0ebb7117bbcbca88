import { spawnSync } from 'node:child_process';
import { Socket } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An admin URL of a real PostgreSQL server; each test file creates its own database on it. */
    postgresUrl: string;
  }
}

function answers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.connect(port, host);
  });
}

/**
 * A real PostgreSQL for the review tests: TEST_POSTGRES_URL if set; else the server on
 * 127.0.0.1:5432 when it answers; else a throwaway cluster from scripts/postgres.sh (Debian's
 * binaries). None of these: the run fails — review tests never skip PostgreSQL.
 */
export default async function setup(project: TestProject) {
  if (process.env.TEST_POSTGRES_URL) {
    project.provide('postgresUrl', process.env.TEST_POSTGRES_URL);
    return;
  }
  if (await answers(5432)) {
    project.provide('postgresUrl', 'postgres://postgres@127.0.0.1:5432/postgres');
    return;
  }
  const started = spawnSync('bash', ['scripts/postgres.sh', 'start'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 120_000,
  });
  if (started.status !== 0) {
    throw new Error(
      'no PostgreSQL for the review tests: nothing answers on 127.0.0.1:5432 and scripts/postgres.sh could not ' +
        'start one (apt-get install postgresql, or set TEST_POSTGRES_URL)',
    );
  }
  project.provide('postgresUrl', started.stdout.trim().split('\n').at(-1)!);
  return () => {
    spawnSync('bash', ['scripts/postgres.sh', 'stop'], { stdio: 'inherit' });
  };
}
