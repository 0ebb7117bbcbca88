/**
 * npm run bench:kafka — the worker against its baselines on the same broker and corpus, one run:
 *   1. kcat consume → kcat produce passthrough (the cost of moving the bytes, native);
 *   2. the kafkajs passthrough (bench/passthrough.ts: the worker's own source and sink, screening
 *      replaced by copying), without and with transactions — the fair baseline for a JS worker;
 *   3. the worker draining the backlog without and with transactions, with its default processes;
 *   4. the same pinned to one core (taskset), with one process, and one partition at a time;
 *   5. end-to-end latency (append → visible to a read_committed reader) at a steady offered load,
 *      over the whole load and after its first 2 s (a fresh worker's first transactions and fetches);
 *   6. with BENCH_RSS_TRANSCRIPTS=1000000, RSS sampled over a long exactly-once run;
 *   each row the best of BENCH_ROUNDS (2) interleaved runs; CPU time per transcript and peak RSS;
 *   then the ratios, the last one `ratio worker/kafkajs-passthrough R`.
 * The corpus is the Chinese samples, each turn given a three-character mark that makes its text new
 * (bench/fresh.ts: the screener remembers recent clauses and pattern windows, and real traffic is not
 * the same nine conversations again); BENCH_REPEAT=1 sends the samples verbatim, as before 2026-11-24.
 * Needs kcat (apt-get install kcat), taskset (util-linux) and a broker (started if absent).
 */
import { type ChildProcess, execSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { freshText } from './fresh.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.chdir(ROOT);
const TOTAL = Number(process.env.BENCH_TRANSCRIPTS ?? 100_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 4);
const SOAK = Number(process.env.BENCH_RSS_TRANSCRIPTS ?? 0);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const RATE = Number(process.env.BENCH_LATENCY_RATE ?? 1000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
const REPEAT = process.env.BENCH_REPEAT === '1';

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
/**
 * The broker's pid when scripts/kafka.sh runs it on this machine: its CPU is counted per row, since
 * on a small machine the broker and the worker share the cores (an external broker: not counted).
 */
const BROKER_PID = ((): number | undefined => {
  if (process.env.KAFKA_BROKERS) return undefined;
  const r = spawnSync('bash', ['scripts/kafka.sh', 'status'], { encoding: 'utf8' });
  const pid = Number(/running pid (\d+)/.exec(r.stdout ?? '')?.[1]);
  return Number.isFinite(pid) && pid > 0 ? pid : undefined;
})();

/** CPU seconds the broker has used so far, or undefined when it is not a local process. */
function brokerCpu(): number | undefined {
  if (BROKER_PID === undefined) return undefined;
  return tree(BROKER_PID).get(BROKER_PID)?.cpu;
}
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
    if (!REPEAT)
      t.turns = t.turns.map((turn: { text: string }, k: number) => ({
        ...turn,
        text: freshText(turn.text, i * 31 + k * 7, 'zh'),
      }));
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

/** Resident memory (bytes) and CPU time so far (s) of a process and each of its children, by pid. */
function tree(pid: number): Map<number, { rss: number; cpu: number }> {
  const out = new Map<number, { rss: number; cpu: number }>();
  let pids: number[];
  try {
    pids = execSync(`ps -o pid= --pid ${pid} --ppid ${pid}`, { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number)
      .filter((n) => n > 0);
  } catch {
    return out; // exited
  }
  for (const p of pids) {
    try {
      // /proc/<pid>/stat: fields after the command; utime and stime are the 14th and 15th, in ticks.
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(p, { cpu: (Number(f[11]) + Number(f[12])) / 100, rss: Number(f[21]) * 4096 });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

interface Running {
  child: ChildProcess;
  peakRss: () => number;
  rss: () => number;
  /** CPU seconds the process and its children used so far (last sample of each). */
  cpu: () => number;
}

/** Starts the worker (or the passthrough) as its own process and waits until it joined its group. */
async function startProcess(
  script: string[],
  env: Record<string, string | undefined>,
  cpus?: string,
): Promise<Running> {
  const port = await freePort();
  const command = cpus ? ['taskset', '-c', cpus, 'node', ...script] : ['node', ...script];
  const child = spawn(command[0]!, command.slice(1), {
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
  // taskset execs node in place: the pid is the node process either way.
  let peak = 0;
  const cpu = new Map<number, number>();
  const sample = () => {
    const now = tree(child.pid!);
    peak = Math.max(
      peak,
      [...now.values()].reduce((sum, p) => sum + p.rss, 0),
    );
    for (const [pid, p] of now) cpu.set(pid, p.cpu);
    return now;
  };
  const timer = setInterval(sample, 200);
  child.once('exit', () => clearInterval(timer));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script.join(' ')} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    peakRss: () => peak,
    rss: () => [...sample().values()].reduce((sum, p) => sum + p.rss, 0),
    cpu: () => {
      sample();
      return [...cpu.values()].reduce((a, b) => a + b, 0);
    },
  };
}

async function stop(child: ChildProcess) {
  child.kill('SIGTERM');
  await once(child, 'exit');
}

const WORKER = ['bin/qa-screen.js', 'worker', '--pipeline', 'pipelines/chat-zh.yaml'];
const PASSTHROUGH = ['dist/bench/passthrough.js'];

interface Row {
  label: string;
  rate: number;
  /** CPU time of the process(es) per transcript, µs: the figure least moved by other load on the machine. */
  cpuUs: number;
  /** Cores the broker kept busy during the run on average (undefined: not a local broker). */
  brokerCores?: number | undefined;
  /** Transcripts committed before the clock started (not counted in the rate). */
  early?: number;
  mbps: number;
  secs: number;
  rss: number;
  produced: number;
}

/** Drains the whole input topic with a fresh group; the rate counts from joining to the last commit. */
async function drain(
  label: string,
  slug: string,
  input: string,
  bytes: number,
  options: { script: string[]; transactions: boolean; env?: Record<string, string>; cpus?: string },
): Promise<Row> {
  const group = topic(`${slug}-g`);
  const output = topic(`${slug}-out`);
  await createTopics(output, topic(`${slug}-dlq`));
  const w = await startProcess(
    options.script,
    {
      KAFKA_INPUT_TOPICS: input,
      KAFKA_OUTPUT_TOPIC: output,
      KAFKA_DLQ_TOPIC: topic(`${slug}-dlq`),
      KAFKA_GROUP_ID: group,
      KAFKA_TRANSACTIONS: String(options.transactions),
      ...options.env,
    },
    options.cpus,
  );
  const started = performance.now();
  const cpu0 = w.cpu();
  const broker0 = brokerCpu();
  // A process that reports ready late (the primary of several) may already have screened part of
  // the backlog: only what is committed after the clock starts counts, and too little is refused.
  const early = await committed(group, input);
  const counted = TOTAL - early;
  if (counted < TOTAL / 2) {
    await stop(w.child);
    throw new Error(
      `${label}: ${early} of ${TOTAL} transcripts were committed before the process reported ready; raise BENCH_TRANSCRIPTS`,
    );
  }
  while ((await committed(group, input)) < TOTAL) {
    if (w.child.exitCode !== null) throw new Error(`${label}: exited with ${w.child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const secs = (performance.now() - started) / 1000;
  const cpuUs = ((w.cpu() - cpu0) / counted) * 1e6;
  const broker1 = brokerCpu();
  const brokerCores = broker0 !== undefined && broker1 !== undefined ? (broker1 - broker0) / secs : undefined;
  const produced = await endOffsets(output);
  await stop(w.child);
  return {
    label,
    rate: counted / secs,
    cpuUs,
    brokerCores,
    early,
    mbps: (bytes * (counted / TOTAL)) / 1e6 / secs,
    secs,
    rss: w.peakRss(),
    produced,
  };
}

async function kcatPassthrough(input: string, bytes: number, slug: string): Promise<Row> {
  const output = topic(`${slug}-out`);
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
    cpuUs: 0,
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
  const w = await startProcess(WORKER, {
    KAFKA_INPUT_TOPICS: input,
    KAFKA_OUTPUT_TOPIC: output,
    KAFKA_DLQ_TOPIC: topic('lat-dlq'),
    KAFKA_GROUP_ID: topic('lat-g'),
    KAFKA_MAX_WAIT_MS: '100',
  });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  /** Latencies of what was appended after the first WARM_MS of the load: the steady state. */
  const steady: number[] = [];
  const WARM_MS = 2000;
  let start = 0;
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
      if (t0 === undefined) return;
      const ms = Date.now() - t0;
      latencies.push(ms);
      if (t0 - start >= WARM_MS) steady.push(ms);
    },
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const count = RATE * LATENCY_SECONDS;
  const tickMs = 20;
  const perTick = Math.max(1, Math.round((RATE * tickMs) / 1000));
  start = Date.now();
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
  steady.sort((a, b) => a - b);
  const pct = (values: number[], p: number) =>
    values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
  return {
    count,
    received: latencies.length,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    max: latencies.at(-1)!,
    steadyP50: pct(steady, 50),
    steadyP99: pct(steady, 99),
    warmSeconds: WARM_MS / 1000,
    rss: w.peakRss(),
  };
}

/**
 * RSS over a long run (BENCH_RSS_TRANSCRIPTS, e.g. 1,000,000): the corpus is produced in slices (the
 * bench never holds it), one exactly-once worker drains it, and its RSS is sampled at every tenth.
 */
async function soak(total: number, sample: string[]) {
  const input = topic('soak-in');
  const output = topic('soak-out');
  await createTopics(input, output, topic('soak-dlq'));
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < total; i += 2000) {
    const messages = Array.from({ length: Math.min(2000, total - i) }, (_, k) => {
      const t = JSON.parse(sample[(i + k) % sample.length]!);
      t.conversationId = `soak-${i + k}`;
      return { key: t.conversationId, value: JSON.stringify(t) };
    });
    await producer.send({ topic: input, acks: -1, messages });
  }
  await producer.disconnect();
  const group = topic('soak-g');
  const w = await startProcess(WORKER, {
    KAFKA_INPUT_TOPICS: input,
    KAFKA_OUTPUT_TOPIC: output,
    KAFKA_DLQ_TOPIC: topic('soak-dlq'),
    KAFKA_GROUP_ID: group,
  });
  const started = performance.now();
  const points: string[] = [];
  for (let tenth = 1; tenth <= 10; ) {
    const done = await committed(group, input);
    if (done >= (total * tenth) / 10) {
      points.push(`${(done / 1000).toFixed(0)}k ${(w.rss() / 1024 / 1024).toFixed(0)} MB`);
      tenth++;
      continue;
    }
    if (w.child.exitCode !== null) throw new Error(`soak worker exited with ${w.child.exitCode}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const secs = (performance.now() - started) / 1000;
  await stop(w.child);
  console.log(
    `\nRSS over ${total.toLocaleString('en-US')} transcripts (exactly-once worker, ${Math.round(total / secs).toLocaleString('en-US')}/s): ${points.join(', ')}; peak ${(w.peakRss() / 1024 / 1024).toFixed(0)} MB`,
  );
}

async function main() {
  await admin.connect();
  const values = corpus();
  const bytes = values.reduce((n, v) => n + Buffer.byteLength(v), 0);
  const input = topic('in');
  await createTopics(input);
  const t0 = performance.now();
  await produceAll(input, values);
  const cores = availableParallelism();
  console.log(
    `corpus: ${TOTAL.toLocaleString('en-US')} zh chat transcripts${REPEAT ? ' (the samples verbatim)' : ' (each turn made new by a mark)'}, ${(bytes / 1e6).toFixed(1)} MB, ${PARTITIONS} partitions on ${BROKERS} (loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s); node ${process.version}; ${cores} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const rows: Row[] = [];
  // Each row is the best of BENCH_ROUNDS runs, the rounds interleaved (A B C … A B C …), so a
  // neighbour's load on a shared machine hits every row alike instead of one row unluckily.
  const plans: Array<{ label: string; slug: string; run: (slug: string) => Promise<Row> }> = [
    {
      label: 'kcat consume → produce (passthrough)',
      slug: 'kcat',
      run: (slug) => kcatPassthrough(input, bytes, slug),
    },
    ...(
      [
        ['kafkajs passthrough, no transactions', 'pass-notx', PASSTHROUGH, false, undefined, {}],
        ['kafkajs passthrough, transactions', 'pass-tx', PASSTHROUGH, true, undefined, {}],
        ['worker, no transactions (at-least-once)', 'notx', WORKER, false, undefined, {}],
        ['worker, transactions (exactly-once)', 'tx', WORKER, true, undefined, {}],
        ['worker, transactions, pinned to 1 core', 'tx1', WORKER, true, '0', {}],
        ['worker, transactions, 1 process', 'tx1p', WORKER, true, undefined, { QA_WORKER_PROCESSES: '1' }],
        [
          'worker, transactions, 1 process, 1 partition at a time',
          'tx1p1',
          WORKER,
          true,
          undefined,
          { QA_WORKER_PROCESSES: '1', KAFKA_PARTITIONS_CONCURRENTLY: '1' },
        ],
      ] as const
    ).map(([label, slug, script, transactions, cpus, env]) => ({
      label,
      slug,
      run: (s: string) =>
        drain(label, s, input, bytes, {
          script: [...script],
          transactions,
          env: { ...env },
          ...(cpus && { cpus }),
        }),
    })),
  ];
  const runs = plans.map(() => [] as Row[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, plan] of plans.entries()) runs[i]!.push(await plan.run(`${plan.slug}-${round}`));
  }
  for (const r of runs) rows.push(r.reduce((best, x) => (x.rate > best.rate ? x : best)));
  const [kcat, passAlo, passEo, alo, eo, oneCore, oneProcess, serial] = rows as [
    Row,
    Row,
    Row,
    Row,
    Row,
    Row,
    Row,
    Row,
  ];
  const lat = await latency(values);
  const header = [
    'measurement',
    'transcripts/s',
    'MB/s',
    'seconds',
    'vs kcat',
    'vs kafkajs',
    'CPU µs/transcript',
    'broker cores',
    'peak RSS MB',
  ];
  const table = rows.map((r) => [
    r.label,
    Math.round(r.rate).toLocaleString('en-US'),
    r.mbps.toFixed(1),
    r.secs.toFixed(1),
    `${((r.rate / kcat.rate) * 100).toFixed(0)}%`,
    r === kcat ? '' : `${((r.rate / passEo.rate) * 100).toFixed(0)}%`,
    r.cpuUs ? r.cpuUs.toFixed(0) : '',
    r.brokerCores !== undefined ? r.brokerCores.toFixed(2) : '',
    r.rss ? (r.rss / 1024 / 1024).toFixed(0) : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table) console.log(fmt(r));
  console.log(
    `(each row: the best of ${ROUNDS} interleaved runs; "vs kafkajs": against the transactional kafkajs passthrough; CPU and RSS sum the worker's processes; kcat's CPU is not counted; "broker cores": the local broker's CPU seconds per second of the run)`,
  );
  for (const r of rows)
    if (r.early)
      console.log(`${r.label}: ${r.early} transcripts committed before it reported ready, not counted`);
  console.log(
    `\nend-to-end latency at ${RATE}/s for ${LATENCY_SECONDS} s (append → visible to a read_committed reader, transactions on): p50 ${lat.p50} ms, p99 ${lat.p99} ms, max ${lat.max} ms (${lat.received}/${lat.count} received); after the first ${lat.warmSeconds} s p50 ${lat.steadyP50} ms, p99 ${lat.steadyP99} ms; peak RSS ${(lat.rss / 1024 / 1024).toFixed(0)} MB`,
  );
  if (SOAK > 0) await soak(SOAK, values.slice(0, 1000));
  const x = (a: Row, b: Row) => (a.rate / b.rate).toFixed(2);
  console.log(
    [
      '',
      `ratio worker/kcat ${x(eo, kcat)}`,
      `ratio kafkajs-passthrough/kcat ${x(passEo, kcat)}`,
      `ratio passthrough transactions cost (at-least-once/exactly-once) ${x(passAlo, passEo)}`,
      `ratio worker transactions cost (at-least-once/exactly-once) ${x(alo, eo)}`,
      `ratio worker 1 process/1 core ${x(oneProcess, oneCore)}`,
      `ratio worker ${cores} cores/1 core ${x(eo, oneCore)}${
        eo.brokerCores !== undefined
          ? ` (the broker kept ${eo.brokerCores.toFixed(2)} of the ${cores} cores busy in that run, ${oneCore.brokerCores?.toFixed(2)} in the pinned one)`
          : ''
      }`,
      // The measured ratio is capped by this machine: the broker and this bench's own producer and
      // reader share the cores. By CPU per transcript: what the worker would do with the cores to itself.
      `ratio worker ${cores} cores/1 core by CPU time per transcript ${((cores * oneCore.cpuUs) / eo.cpuUs).toFixed(2)} (the ${cores}-core run's worker used ${((eo.rate * eo.cpuUs) / 1e6).toFixed(2)} cores, the pinned one's ${((oneCore.rate * oneCore.cpuUs) / 1e6).toFixed(2)})`,
      `ratio worker partitions concurrently/one at a time (1 process) ${x(oneProcess, serial)}`,
      `ratio worker/kafkajs-passthrough by CPU time per transcript ${(passEo.cpuUs / eo.cpuUs).toFixed(2)}`,
      `ratio worker/kafkajs-passthrough ${x(eo, passEo)}`,
    ].join('\n'),
  );
  await admin
    .deleteTopics({ topics: (await admin.listTopics()).filter((t) => t.startsWith(`bench-${run}-`)) })
    .catch(() => undefined);
  await admin.disconnect();
}

await main();
