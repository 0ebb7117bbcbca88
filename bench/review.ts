/**
 * npm run bench:review — the review service on a real broker and a real PostgreSQL, one run:
 *   1. baseline: a plain kafkajs consume-and-insert of the items (one multi-row INSERT per batch,
 *      Kafka auto-commit: at-least-once, no versions, no findings, no audit);
 *   2. `review ingest` (exactly-once: items, findings, audit rows and offsets in one transaction)
 *      on the same items, reported as items/s and as the ratio to the baseline;
 *   3. claim latency (p50/p99) with 20 reviewers claiming, deciding and submitting over HTTP at once,
 *      against the latency of GET /healthz (SELECT 1) measured under the same load.
 * Broker: KAFKA_BROKERS, else scripts/kafka.sh start. PostgreSQL: BENCH_POSTGRES_URL (an admin URL),
 * else postgres://postgres@127.0.0.1:5432/postgres. Fresh databases and topics, dropped afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import pino from 'pino';
import { loadPipeline } from '../src/config/load.js';
import { parseSettings } from '../src/config/settings.js';
import { hasTurns, parseTranscript } from '../src/pipeline/parse.js';
import { createScreener } from '../src/pipeline/screen.js';
import { createUser } from '../src/review/auth.js';
import { openDb } from '../src/review/db.js';
import { startKafkaIngest } from '../src/review/kafka-ingest.js';
import { migrate } from '../src/review/migrate.js';
import { loadCatalog } from '../src/review/pipelines.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.chdir(ROOT);
const TOTAL = Number(process.env.BENCH_ITEMS ?? 20_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 4);
const REVIEWERS = Number(process.env.BENCH_REVIEWERS ?? 20);
const CLAIM_SECONDS = Number(process.env.BENCH_CLAIM_SECONDS ?? 15);
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function brokers(): string {
  if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS;
  const r = spawnSync('bash', ['scripts/kafka.sh', 'start'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error('could not start the broker');
  return r.stdout.trim().split('\n').at(-1)!;
}

const BROKERS = brokers();
const kafka = new Kafka({
  clientId: 'bench-review',
  brokers: BROKERS.split(','),
  logLevel: logLevel.NOTHING,
});
const run = Date.now().toString(36);
const silent = pino({ level: 'silent' });

async function freshDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const db = `bench_review_${run}_${name}`;
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  await c.query(`CREATE DATABASE ${db}`);
  await c.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${db}`;
  return {
    url: url.toString(),
    async drop() {
      const d = new pg.Client({ connectionString: ADMIN_URL });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await d.end();
    },
  };
}

/** The samples screened once, then copied under fresh conversation ids (a third carry the conversation). */
async function corpus(): Promise<string[]> {
  const pipeline = await loadPipeline('pipelines/chat-zh.yaml');
  const screener = createScreener(pipeline);
  const items = readFileSync('samples/chat-zh.jsonl', 'utf8')
    .split('\n')
    .map((l) => (l.trim() ? parseTranscript(l, 1 << 20) : undefined))
    .flatMap((p) => (p?.ok && hasTurns(p.transcript) ? [screener.screen(p.transcript)] : []));
  return Array.from({ length: TOTAL }, (_, i) => {
    const item = { ...items[i % items.length]!, conversationId: `bench-${i}`, agentId: `a-${i % 200}` };
    return JSON.stringify(item);
  });
}

async function produce(topic: string, values: string[]) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
  });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < values.length; i += 1000) {
    await producer.send({
      topic,
      acks: -1,
      messages: values.slice(i, i + 1000).map((v, k) => ({ key: `bench-${i + k}`, value: v })),
    });
  }
  await producer.disconnect();
}

async function until(check: () => Promise<boolean>, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** 1. A plain consume-and-insert: what moving the items from Kafka into a table costs at all. */
async function baseline(topic: string): Promise<number> {
  const { url, drop } = await freshDatabase('plain');
  const pool = new pg.Pool({ connectionString: url, max: PARTITIONS });
  await pool.query('CREATE TABLE items (conversation_id text, item jsonb)');
  const consumer = kafka.consumer({ groupId: `bench-plain-${run}`, maxWaitTimeInMs: 100 });
  let stored = 0;
  const started = performance.now();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: PARTITIONS,
    eachBatch: async ({ batch }) => {
      const rows = batch.messages.map((m) => ({
        id: m.key!.toString(),
        item: JSON.parse(m.value!.toString()),
      }));
      await pool.query(
        `INSERT INTO items (conversation_id, item) SELECT x.id, x.item FROM jsonb_to_recordset($1::jsonb) AS x(id text, item jsonb)`,
        [JSON.stringify(rows)],
      );
      stored += rows.length;
    },
  });
  await until(async () => stored >= TOTAL);
  const seconds = (performance.now() - started) / 1000;
  await consumer.disconnect();
  await pool.end();
  await drop();
  return TOTAL / seconds;
}

/** 2. The real ingest, exactly once. */
async function ingest(topic: string): Promise<{ rate: number; url: string; drop: () => Promise<void> }> {
  const { url, drop } = await freshDatabase('ingest');
  const db = await openDb({ url, max: PARTITIONS + 2 });
  await migrate(db);
  const settings = parseSettings({
    KAFKA_BROKERS: BROKERS,
    KAFKA_PARTITIONS_CONCURRENTLY: String(PARTITIONS),
    KAFKA_MAX_WAIT_MS: '100',
  });
  const catalog = await loadCatalog('pipelines');
  const group = `bench-ingest-${run}`;
  const started = performance.now();
  const ingest = await startKafkaIngest({
    db,
    catalog,
    kafka: { ...settings.kafka, brokers: BROKERS.split(',') },
    topic,
    groupId: group,
    calibrationReviewers: 3,
    logger: silent,
  });
  await until(async () => {
    const [r] = await db.query<{ n: number }>(
      'SELECT coalesce(sum(next_offset), 0)::int AS n FROM kafka_offsets WHERE consumer_group = $1',
      [group],
    );
    return r!.n >= TOTAL;
  });
  const seconds = (performance.now() - started) / 1000;
  await ingest.stop();
  await db.close();
  return { rate: TOTAL / seconds, url, drop };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  return port;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** 3. 20 reviewers working the queue over HTTP at once; the service in its own process, as deployed. */
async function claims(url: string) {
  const db = await openDb({ url, max: 2 });
  for (let k = 0; k < REVIEWERS; k++) {
    await createUser(db, { username: `bench-r${k}`, password: 'bench-password-1', role: 'reviewer' }, null);
  }
  await db.close();
  const port = await freePort();
  const server = spawn('node', ['bin/qa-screen.js', 'review', 'serve', '--port', String(port)], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  server.stderr!.on('data', (d: Buffer) => {
    log += d.toString();
  });
  await until(async () => log.includes('review service on'), 60_000);
  const address = `http://127.0.0.1:${port}`;
  const sessions = await Promise.all(
    Array.from({ length: REVIEWERS }, async (_, k) => {
      const res = await fetch(`${address}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `bench-r${k}`, password: 'bench-password-1' }),
      });
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrfToken };
    }),
  );
  const claimMs: number[] = [];
  const healthMs: number[] = [];
  let submitted = 0;
  const deadline = performance.now() + CLAIM_SECONDS * 1000;
  await Promise.all(
    sessions.map(async ({ cookie, csrfToken }, k) => {
      const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
      while (performance.now() < deadline) {
        if (k % 4 === 0) {
          const h = performance.now();
          await fetch(`${address}/healthz`);
          healthMs.push(performance.now() - h);
        }
        const t = performance.now();
        const res = await fetch(`${address}/api/claims`, { method: 'POST', headers, body: '{}' });
        const { claim } = (await res.json()) as { claim: { reviewId: number; itemId: number } | null };
        claimMs.push(performance.now() - t);
        if (!claim) break;
        const item = (await (
          await fetch(`${address}/api/items/${claim.itemId}`, { headers: { cookie } })
        ).json()) as {
          findings: Array<{ id: number }>;
        };
        for (const f of item.findings) {
          await fetch(`${address}/api/reviews/${claim.reviewId}/verdicts/${f.id}`, {
            method: 'PUT',
            headers,
            body: JSON.stringify({ verdict: 'confirmed' }),
          });
        }
        const s = await fetch(`${address}/api/reviews/${claim.reviewId}/submit`, {
          method: 'POST',
          headers: { cookie, 'x-csrf-token': csrfToken },
        });
        if (s.status === 200) submitted++;
      }
    }),
  );
  server.kill('SIGTERM');
  await once(server, 'exit');
  claimMs.sort((a, b) => a - b);
  healthMs.sort((a, b) => a - b);
  return { claims: claimMs.length, submitted, claim: claimMs, health: healthMs };
}

const values = await corpus();
const itemsTopic = `bench-review-${run}-${randomUUID().slice(0, 6)}`;
await produce(itemsTopic, values);
console.log(
  `bench:review — ${TOTAL} items (${Math.round(values.reduce((s, v) => s + v.length, 0) / TOTAL)} B avg), ${PARTITIONS} partitions, broker ${BROKERS}, PostgreSQL ${new URL(ADMIN_URL).host}`,
);
const plain = await baseline(itemsTopic);
console.log(`baseline  plain consume-and-insert (at-least-once)  ${plain.toFixed(0).padStart(7)} items/s`);
const real = await ingest(itemsTopic);
console.log(
  `ingest    review ingest (exactly-once, findings, audit) ${real.rate.toFixed(0).padStart(7)} items/s   ratio ${(real.rate / plain).toFixed(2)} of baseline`,
);
const c = await claims(real.url);
const fmt = (xs: number[], p: number) => `${percentile(xs, p).toFixed(1)} ms`;
console.log(
  `claims    ${REVIEWERS} reviewers, ${CLAIM_SECONDS} s: ${c.claims} claims, ${c.submitted} submitted; claim p50 ${fmt(c.claim, 50)}, p99 ${fmt(c.claim, 99)}`,
);
console.log(
  `baseline  GET /healthz (SELECT 1) under the same load: p50 ${fmt(c.health, 50)}, p99 ${fmt(c.health, 99)}   ratio p50 ${(percentile(c.claim, 50) / percentile(c.health, 50)).toFixed(1)}×, p99 ${(percentile(c.claim, 99) / percentile(c.health, 99)).toFixed(1)}×`,
);
await real.drop();
const admin = kafka.admin();
await admin.connect();
await admin.deleteTopics({ topics: [itemsTopic] }).catch(() => undefined);
await admin.disconnect();
process.exit(0);
