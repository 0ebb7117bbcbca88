import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { brokers, committedOffsets, waitFor } from './kafka.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'qa-screen.js');

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  return port;
}

export interface WorkerProcess {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  exited: Promise<number | null>;
  /** Throws (with the worker's log tail) if the process has died: a test never waits on a corpse. */
  assertAlive(): void;
}

/** Runs `qa-screen worker` (the built CLI) as its own process, as production does. */
export async function spawnWorker(
  env: Record<string, string>,
  pipeline = 'pipelines/chat-zh.yaml',
): Promise<WorkerProcess> {
  return spawnQa(['worker', '--pipeline', pipeline], env);
}

/** Runs any long-lived qa-screen command (worker, archive) as its own process. */
export async function spawnQa(args: string[], env: Record<string, string>): Promise<WorkerProcess> {
  const port = await freePort();
  const child = spawn('node', [BIN, ...args], {
    env: {
      ...process.env,
      KAFKA_BROKERS: brokers(),
      QA_METRICS_PORT: String(port),
      QA_METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.length > 2_000_000) err = err.slice(-1_000_000);
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const assertAlive = () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `worker exited (${child.exitCode ?? child.signalCode}):\n${err.split('\n').slice(-20).join('\n')}`,
      );
    }
  };
  return { child, port, stderr: () => err, exited, assertAlive };
}

/** The good lines of a samples file (the samples also hold deliberately broken lines). */
export function sampleLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => {
      try {
        return typeof JSON.parse(l).agent === 'object';
      } catch {
        return false;
      }
    });
}

export function transcripts(count: number, prefix: string): Array<{ key: string; value: string }> {
  const lines = sampleLines('samples/chat-zh.jsonl');
  return Array.from({ length: count }, (_, i) => {
    const t = JSON.parse(lines[i % lines.length]!);
    t.conversationId = `${prefix}-${i}`;
    return { key: t.conversationId, value: JSON.stringify(t) };
  });
}

export async function getJson(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

/**
 * Waits until the group's committed offsets on `topic` satisfy `done`, failing at once (with the
 * log tail) if one of `processes` dies meanwhile.
 */
export async function waitForCommitted(
  group: string,
  topic: string,
  done: (committed: number) => boolean,
  processes: readonly WorkerProcess[],
  { what = 'progress', timeoutMs = 60_000 } = {},
): Promise<number> {
  let last = 0;
  await waitFor(
    async () => {
      for (const p of processes) p.assertAlive();
      last = await committedOffsets(group, topic);
      return done(last);
    },
    { what, timeoutMs },
  );
  return last;
}
