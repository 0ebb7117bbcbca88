import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { inject } from 'vitest';
import { loadPipeline } from '../../src/config/load.js';
import type { ScreenedItem } from '../../src/domain/index.js';
import { hasTurns, parseTranscript } from '../../src/pipeline/parse.js';
import { createScreener } from '../../src/pipeline/screen.js';
import { createReviewApp, type ReviewApp } from '../../src/review/app.js';
import { type Db, openDb } from '../../src/review/db.js';
import { ingestItem } from '../../src/review/ingest.js';
import { migrate } from '../../src/review/migrate.js';
import { type ReviewSettings, reviewSettings } from '../../src/review/settings.js';

export type Backend = 'postgres' | 'pglite';
/** Every review test runs on both: a real PostgreSQL server and the embedded PGlite. */
export const BACKENDS: Backend[] = ['postgres', 'pglite'];

/** A fresh database on the test server; returns its URL and a drop function. */
export async function freshPostgres(
  prefix = 'qa_review',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = inject('postgresUrl');
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

let template: Promise<Blob> | undefined;

/** A migrated PGlite data folder, made once per test worker: cloning it takes ~1 s, initdb ~5 s. */
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const db = await openDb({});
    await migrate(db);
    const blob = await db.dump!();
    await db.close();
    return blob;
  })();
  return template;
}

export async function openTestDb(
  backend: Backend,
  { migrated = true } = {},
): Promise<{ db: Db; url?: string; cleanup: () => Promise<void> }> {
  if (backend === 'pglite') {
    const db = migrated ? await openDb({ loadDataDir: await pgliteTemplate() }) : await openDb({});
    return { db, cleanup: () => db.close() };
  }
  const { url, drop } = await freshPostgres();
  const db = await openDb({ url, max: 30 });
  if (migrated) await migrate(db);
  return {
    db,
    url,
    async cleanup() {
      await db.close();
      await drop();
    },
  };
}

/** Log lines the app wrote, parsed, for asserting what logs contain (and never contain). */
export function captureLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  return { logger, lines, text: () => lines.join('\n') };
}

export interface TestApp extends ReviewApp {
  logs: ReturnType<typeof captureLogger>;
  settings: ReviewSettings;
  backend: Backend;
  cleanup(): Promise<void>;
}

export async function startApp(backend: Backend, env: Record<string, string> = {}): Promise<TestApp> {
  const { db, cleanup } = await openTestDb(backend);
  const settings = reviewSettings({ REVIEW_PIPELINES: 'pipelines', ...env });
  const logs = captureLogger();
  const app = await createReviewApp(settings, logs.logger, db);
  return {
    ...app,
    logs,
    settings,
    backend,
    async cleanup() {
      await app.server.close();
      await cleanup();
    },
  };
}

let sampleCache: Promise<{ items: ScreenedItem[]; transcripts: Map<string, unknown> }> | undefined;

/** The bundled chat-zh samples screened by pipelines/chat-zh.yaml (items carry the masked conversation). */
export function sampleItems(): Promise<{ items: ScreenedItem[]; transcripts: Map<string, unknown> }> {
  sampleCache ??= (async () => {
    const pipeline = await loadPipeline('pipelines/chat-zh.yaml');
    const screener = createScreener(pipeline, { now: () => new Date('2026-11-02T08:00:00Z') });
    const items: ScreenedItem[] = [];
    const transcripts = new Map<string, unknown>();
    for (const line of readFileSync('samples/chat-zh.jsonl', 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const parsed = parseTranscript(line, 1024 * 1024);
      if (!parsed.ok || !hasTurns(parsed.transcript)) continue;
      transcripts.set(parsed.transcript.conversationId, parsed.transcript);
      items.push(screener.screen(parsed.transcript));
    }
    return { items, transcripts };
  })();
  return sampleCache;
}

/** A sample item under another conversation id (and optionally other fields). */
export function variant(item: ScreenedItem, id: string, patch: Partial<ScreenedItem> = {}): ScreenedItem {
  return structuredClone({ ...item, conversationId: id, ...patch });
}

export async function ingest(app: ReviewApp, items: readonly ScreenedItem[]): Promise<number[]> {
  const ids: number[] = [];
  await app.db.transaction(async (tx) => {
    for (const item of items) {
      const r = await ingestItem(tx, item, { catalog: app.catalog, calibrationReviewers: 3 });
      ids.push(r.itemId);
    }
  });
  return ids;
}

/** API responses as tests read them: loosely, field by field. */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on response fields without restating every schema
type Body = any;

export interface Client {
  csrf: string;
  user: { id: number; role: string };
  get(url: string): Promise<{ status: number; body: Body; headers: Record<string, unknown>; text: string }>;
  send(
    method: 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    opts?: { csrf?: string | null },
  ): Promise<{ status: number; body: Body; headers: Record<string, unknown>; text: string }>;
}

/** Creates a user and logs in through the API: the client carries the session cookie and CSRF token. */
export async function login(
  app: ReviewApp,
  username: string,
  role: 'reviewer' | 'supervisor' | 'agent' | 'admin',
  extra: { agentId?: string; team?: string } = {},
): Promise<Client> {
  const { createUser } = await import('../../src/review/auth.js');
  const password = `pw-${username}-0123456789`;
  await createUser(app.db, { username, password, role, ...extra }, null);
  const res = await app.server.inject({ method: 'POST', url: '/api/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'qa_review_session')!;
  const body = res.json();
  const wrap = (r: Awaited<ReturnType<typeof app.server.inject>>) => {
    let parsed: unknown;
    try {
      parsed = r.json();
    } catch {
      parsed = undefined;
    }
    return {
      status: r.statusCode,
      body: parsed as Body,
      headers: r.headers as Record<string, unknown>,
      text: r.body,
    };
  };
  return {
    csrf: body.csrfToken,
    user: body.user,
    async get(url) {
      return wrap(
        await app.server.inject({ method: 'GET', url, cookies: { qa_review_session: cookie.value } }),
      );
    },
    async send(method, url, payload, opts = {}) {
      const csrf = opts.csrf === undefined ? body.csrfToken : opts.csrf;
      return wrap(
        await app.server.inject({
          method,
          url,
          cookies: { qa_review_session: cookie.value },
          headers: csrf === null ? {} : { 'x-csrf-token': csrf },
          ...(payload !== undefined && { payload: payload as object }),
        }),
      );
    },
  };
}

/** Claims the next item and gives every machine finding a verdict (confirm unless `reject` says so). */
export async function reviewNext(
  c: Client,
  queue: string | undefined,
  decide: (f: { id: number; ruleId: string }) => 'confirmed' | 'rejected' = () => 'confirmed',
) {
  const claim = await c.send('POST', '/api/claims', queue ? { queue } : {});
  if (claim.status !== 200 || !claim.body.claim) return null;
  const { reviewId, itemId } = claim.body.claim;
  const item = (await c.get(`/api/items/${itemId}`)).body;
  for (const f of item.findings.filter((x: { origin: string }) => x.origin === 'machine')) {
    const verdict = decide(f);
    const r = await c.send('PUT', `/api/reviews/${reviewId}/verdicts/${f.id}`, {
      verdict,
      ...(verdict === 'rejected' && { reason: 'false_positive' }),
    });
    if (r.status !== 200) throw new Error(`verdict failed: ${r.status} ${r.text}`);
  }
  const submitted = await c.send('POST', `/api/reviews/${reviewId}/submit`);
  if (submitted.status !== 200) throw new Error(`submit failed: ${submitted.status} ${submitted.text}`);
  return { reviewId, itemId, item, result: submitted.body };
}
