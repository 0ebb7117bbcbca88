/**
 * npm run bench:kafka — the worker against kcat on the same broker and the same corpus, one run:
 *   1. kcat consume → kcat produce passthrough (the ceiling for moving the bytes);
 *   2. the worker draining the backlog without transactions (at-least-once);
 *   3. the worker draining it with transactions (exactly-once, the default);
 *   4. end-to-end latency (append → visible to a read_committed reader) at a steady offered load;
 *   and the worker's peak RSS. Needs kcat (apt-get install kcat) and a broker (started if absent).
 */
import { type ChildProcess, execSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.chdir(ROOT);
const TOTAL = Number(process.env.BENCH_TRANSCRIPTS ?? 100_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 2);
const RATE = Number(process.env.BENCH_LATENCY_RATE ?? 1000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);

function brokers(): string {
  if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS;
  const r = spawnSync('bash', ['scripts/kafka.sh', 'start'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error('could not start the broker');
  return r.stdout.trim().split('\n').at(-1)!;
}

if (spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status !== 0) {
  console.error('bench:kafka needs kcat for its baseline: apt-get install kcat');
  process.exit(2);
}
const BROKERS = brokers();
const kafka = new Kafka({ clientId: 'bench', brokers: BROKERS.split(','), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const run = Date.now().toString(36);
const topic = (name: string) => `bench-${run}-${name}`;

function corpus(): string[] {
  const lines = readFileSync('samples/chat-zh.jsonl', 'utf8')
    .trim()
    .split('\n')
    .filter((l) => {
      try {
        return typeof JSON.parse(l).agent === 'object';
      } catch {
        return false;
      }
    });
  return Array.from({ length: TOTAL }, (_, i) => {
    const t = JSON.parse(lines[i % lines.length]!);
    t.conversationId = `bench-${i}`;
    t.agent.id = `a-${i % 200}`;
    return JSON.stringify(t);
  });
}

async function createTopics(...names: string[]) {
  await admin.createTopics({
    waitForLeaders: true,
    topics: names.map((t) => ({ topic: t, numPartitions: PARTITIONS, replicationFactor: 1 })),
  });
}

async function produceAll(t: string, values: string[]) {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < values.length; i += 2000) {
    await producer.send({
      topic: t,
      acks: -1,
      messages: values.slice(i, i + 2000).map((v, k) => ({ key: `bench-${i + k}`, value: v })),
    });
  }
  await producer.disconnect();
}

async function committed(group: string, t: string): Promise<number> {
  const [r] = await admin.fetchOffsets({ groupId: group, topics: [t] });
  return (r?.partitions ?? []).reduce((s, p) => s + Math.max(0, Number(p.offset)), 0);
}

async function endOffsets(t: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(t);
  return offsets.reduce((s, p) => s + Number(p.high), 0);
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  return port;
}

async function startWorker(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number; peakRss: () => number }> {
  const port = await freePort();
  const child = spawn('node', ['bin/qa-screen.js', 'worker', '--pipeline', 'pipelines/chat-zh.yaml'], {
    env: {
      ...process.env,
      KAFKA_BROKERS: BROKERS,
      QA_METRICS_PORT: String(port),
      QA_METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const kb = Number(execSync(`ps -o rss= -p ${child.pid}`, { encoding: 'utf8' }).trim());
      peak = Math.max(peak, kb * 1024);
    } catch {
      /* exited */
    }
  }, 200);
  child.once('exit', () => clearInterval(timer));
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, port, peakRss: () => peak };
}

async function stop(child: ChildProcess) {
  child.kill('SIGTERM');
  await once(child, 'exit');
}

async function drain(label: string, input: string, bytes: number, transactions: boolean) {
  const slug = transactions ? 'tx' : 'notx';
  const group = topic(`${slug}-g`);
  const output = topic(`${slug}-out`);
  await createTopics(output, topic(`${slug}-dlq`));
  const w = await startWorker({
    KAFKA_INPUT_TOPICS: input,
    KAFKA_OUTPUT_TOPIC: output,
    KAFKA_DLQ_TOPIC: topic(`${slug}-dlq`),
    KAFKA_GROUP_ID: group,
    KAFKA_TRANSACTIONS: String(transactions),
    ...(process.env.KAFKA_PARTITIONS_CONCURRENTLY && {
      KAFKA_PARTITIONS_CONCURRENTLY: process.env.KAFKA_PARTITIONS_CONCURRENTLY,
    }),
  });
  const started = performance.now();
  while ((await committed(group, input)) < TOTAL) await new Promise((r) => setTimeout(r, 100));
  const secs = (performance.now() - started) / 1000;
  const produced = await endOffsets(output);
  await stop(w.child);
  return { label, rate: TOTAL / secs, mbps: bytes / 1e6 / secs, secs, rss: w.peakRss(), produced };
}

async function kcatPassthrough(input: string, bytes: number) {
  const output = topic('kcat-out');
  await createTopics(output);
  const started = performance.now();
  // Consume everything from the beginning and produce it again: the same bytes the worker moves.
  execSync(
    `kcat -C -b ${BROKERS} -t ${input} -o beginning -e -q -f '%s\\n' | kcat -P -b ${BROKERS} -t ${output} -X queue.buffering.max.ms=5`,
    { stdio: ['ignore', 'ignore', 'inherit'], shell: '/bin/bash' },
  );
  const secs = (performance.now() - started) / 1000;
  const produced = await endOffsets(output);
  if (produced !== TOTAL) throw new Error(`kcat produced ${produced} of ${TOTAL}`);
  return {
    label: 'kcat consume → produce (passthrough)',
    rate: TOTAL / secs,
    mbps: bytes / 1e6 / secs,
    secs,
    rss: 0,
    produced,
  };
}

/** Steady load: RATE transcripts/s for LATENCY_SECONDS; latency = append → received by a read_committed reader. */
async function latency(values: string[]) {
  const input = topic('lat-in');
  const output = topic('lat-out');
  await createTopics(input, output, topic('lat-dlq'));
  const w = await startWorker({
    KAFKA_INPUT_TOPICS: input,
    KAFKA_OUTPUT_TOPIC: output,
    KAFKA_DLQ_TOPIC: topic('lat-dlq'),
    KAFKA_GROUP_ID: topic('lat-g'),
    KAFKA_MAX_WAIT_MS: '100',
  });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const reader = kafka.consumer({
    groupId: topic('lat-reader'),
    readUncommitted: false,
    maxWaitTimeInMs: 50,
  });
  await reader.connect();
  await reader.subscribe({ topic: output, fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      const t0 = sentAt.get(message.key!.toString());
      if (t0 !== undefined) latencies.push(Date.now() - t0);
    },
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const count = RATE * LATENCY_SECONDS;
  const tickMs = 20;
  const perTick = Math.max(1, Math.round((RATE * tickMs) / 1000));
  const start = Date.now();
  for (let i = 0; i < count; i += perTick) {
    const due = start + (i / RATE) * 1000;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const batch = values.slice(i, Math.min(count, i + perTick)).map((v, k) => {
      // The worker keys items by conversation id: make it the one we time.
      const key = `lat-${i + k}`;
      const t = JSON.parse(v);
      t.conversationId = key;
      sentAt.set(key, Date.now());
      return { key, value: JSON.stringify(t) };
    });
    await producer.send({ topic: input, acks: -1, messages: batch });
  }
  await producer.disconnect();
  const deadline = Date.now() + 30_000;
  while (latencies.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await reader.disconnect();
  await stop(w.child);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return {
    count,
    received: latencies.length,
    p50: pct(50),
    p99: pct(99),
    max: latencies.at(-1)!,
    rss: w.peakRss(),
  };
}

async function main() {
  await admin.connect();
  const values = corpus();
  const bytes = values.reduce((n, v) => n + Buffer.byteLength(v), 0);
  const input = topic('in');
  await createTopics(input);
  const t0 = performance.now();
  await produceAll(input, values);
  console.log(
    `corpus: ${TOTAL.toLocaleString('en-US')} zh chat transcripts, ${(bytes / 1e6).toFixed(1)} MB, ${PARTITIONS} partitions on ${BROKERS} (loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s); node ${process.version}`,
  );
  const rows = [
    await kcatPassthrough(input, bytes),
    await drain('worker, no transactions (at-least-once)', input, bytes, false),
    await drain('worker, transactions (exactly-once)', input, bytes, true),
  ];
  const lat = await latency(values);
  const base = rows[0]!.rate;
  const header = ['measurement', 'transcripts/s', 'MB/s', 'seconds', 'vs kcat', 'peak RSS MB'];
  const table = rows.map((r) => [
    r.label,
    Math.round(r.rate).toLocaleString('en-US'),
    r.mbps.toFixed(1),
    r.secs.toFixed(1),
    `${((r.rate / base) * 100).toFixed(0)}%`,
    r.rss ? (r.rss / 1024 / 1024).toFixed(0) : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table) console.log(fmt(r));
  console.log(
    `\nend-to-end latency at ${RATE}/s for ${LATENCY_SECONDS} s (append → visible to a read_committed reader, transactions on): p50 ${lat.p50} ms, p99 ${lat.p99} ms, max ${lat.max} ms (${lat.received}/${lat.count} received); peak RSS ${(lat.rss / 1024 / 1024).toFixed(0)} MB`,
  );
  console.log(
    `ratios: exactly-once worker = ${((rows[2]!.rate / base) * 100).toFixed(0)}% of kcat passthrough; at-least-once = ${((rows[1]!.rate / base) * 100).toFixed(0)}%; transactions cost ${((1 - rows[2]!.rate / rows[1]!.rate) * 100).toFixed(0)}% of throughput`,
  );
  await admin
    .deleteTopics({ topics: (await admin.listTopics()).filter((t) => t.startsWith(`bench-${run}-`)) })
    .catch(() => undefined);
  await admin.disconnect();
}

await main();
