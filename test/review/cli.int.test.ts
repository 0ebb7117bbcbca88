import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/worker-process.js';
import { BACKENDS, freshPostgres, sampleItems } from './helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'qa-screen.js');

function qa(args: string[], env: Record<string, string>, input?: string) {
  return spawnSync('node', [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    input,
    timeout: 60_000,
  });
}

describe.each(BACKENDS)('qa-screen review commands on %s', (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'qa-review-cli-'));
  let drop: (() => Promise<void>) | undefined;
  let serve: ChildProcess | undefined;
  afterAll(async () => {
    serve?.kill('SIGKILL');
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('user add, import, serve (log in, work the queue), backtest — from a fresh database', async () => {
    const env: Record<string, string> = {};
    if (backend === 'postgres') {
      const db = await freshPostgres('qa_review_cli');
      drop = db.drop;
      env.DATABASE_URL = db.url;
    } else {
      env.REVIEW_DATA_DIR = join(dir, 'db');
    }
    const add = qa(
      ['review', 'user', 'add', '--username', 'ana', '--role', 'reviewer', '--password-stdin'],
      env,
      'ana-password-123\n',
    );
    expect(add.stderr).toBe('');
    expect(add.stdout).toContain('user ana (reviewer) created');
    const again = qa(
      ['review', 'user', 'add', '--username', 'ana', '--role', 'reviewer', '--password', 'x'],
      env,
    );
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('QA_ERR_USAGE');

    const { items } = await sampleItems();
    const file = join(dir, 'items.jsonl');
    writeFileSync(file, `${items.map((i) => JSON.stringify(i)).join('\n')}\n{"broken": true}\n`);
    const imported = qa(['review', 'import', file], env);
    expect(imported.stdout).toContain(`imported ${items.length} item(s), 0 already stored, 1 rejected`);
    expect(imported.stderr).toMatch(/line \d+: QA_ERR_REVIEW_ITEM_INVALID/);
    expect(imported.status).toBe(1);

    const port = await freePort();
    serve = spawn('node', [BIN, 'review', 'serve', '--port', String(port)], {
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    serve.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
    });
    const exited = once(serve, 'exit');
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (!log.includes('review service on')) {
      if (Date.now() > deadline || serve.exitCode !== null) throw new Error(`serve did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const loginRes = await fetch(`${base}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ana', password: 'ana-password-123' }),
    });
    expect(loginRes.status).toBe(200);
    const cookie = loginRes.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await loginRes.json()) as { csrfToken: string };
    const queues = (await (await fetch(`${base}/api/queues`, { headers: { cookie } })).json()) as Array<{
      unclaimed: number;
    }>;
    expect(queues.reduce((s, q) => s + q.unclaimed, 0)).toBe(items.filter((i) => i.queue !== 'clean').length);
    const post = (url: string, body: unknown, method = 'POST') =>
      fetch(`${base}${url}`, {
        method,
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const claim = (
      (await (await post('/api/claims', {})).json()) as { claim: { reviewId: number; itemId: number } }
    ).claim;
    const item = (await (
      await fetch(`${base}/api/items/${claim.itemId}`, { headers: { cookie } })
    ).json()) as {
      findings: Array<{ id: number }>;
    };
    for (const f of item.findings) {
      expect(
        (await post(`/api/reviews/${claim.reviewId}/verdicts/${f.id}`, { verdict: 'confirmed' }, 'PUT'))
          .status,
      ).toBe(200);
    }
    const submitted = await fetch(`${base}/api/reviews/${claim.reviewId}/submit`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(submitted.status).toBe(200);
    serve.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
    // Logs are JSON lines with catalogued events; no transcript text.
    const events = log
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l).event);
    expect(events).toEqual(
      expect.arrayContaining(['review.db_ready', 'review.listen', 'review.login', 'review.submit']),
    );

    const bt = qa(['backtest', '--pipeline', 'pipelines/chat-zh.yaml'], env);
    expect(bt.stderr).toBe('');
    expect(bt.status).toBe(0);
    expect(bt.stdout).toContain('on 1 reviewed conversation(s)');
  });
});
