/**
 * npm run bench:compare -- OTHER [FILE.jsonl …] — CPU time per conversation of this build against
 * another checkout's build (OTHER: a folder holding that revision with its dist/ built, e.g. a
 * `git worktree`), screening the same conversations with each build's own copy of the pipeline
 * (BENCH_PIPELINE, default pipelines/chat-zh.yaml; FILE defaults to samples/chat-zh.jsonl).
 *
 * Each measurement is a fresh process (BENCH_RUNS per build, default 6, in the order A B B A A B …):
 * two builds loaded into one process do not run alike — whichever loads second ran 6–30% slower in
 * either order (the dependencies they share see both builds' calls), so a one-process A/B measures
 * the load order. A process screens 4,000 conversations made new (bench/fresh.ts) to warm up (the
 * JIT settles over thousands, not over one pass), then BENCH_ROUNDS (default 5) rounds of at least
 * 500, each made new again so no cache carries a turn over from an earlier round (templates still
 * recur within a round, as in real traffic), and reports the median of its rounds. The table gives
 * every run; the last line `ratio this/other R` the ratio of the medians (below 1: this build is
 * cheaper). The line before it is issue 12's ratio on these conversations for this build: the screen
 * against JSON.parse + stringify of the same lines, and the ceiling any engine has while it still
 * parses, validates and writes the item (its "floor").
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshText } from './fresh.js';

const HERE = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PIPELINE = process.env.BENCH_PIPELINE ?? 'pipelines/chat-zh.yaml';
const RUNS = Number(process.env.BENCH_RUNS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Conversations screened before measuring: the JIT settles over thousands, not over one pass. */
const WARM_CONVERSATIONS = 4_000;
/** A measured round holds at least this many (copies of a small corpus, each made new). */
const ROUND_CONVERSATIONS = 500;

interface Conversation {
  conversationId: string;
  language: string;
  turns: Array<{ text: string }>;
}

function conversations(files: string[]): Conversation[] {
  return files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .flatMap((l) => {
        try {
          const c = JSON.parse(l) as Conversation;
          return Array.isArray(c.turns) ? [c] : [];
        } catch {
          return [];
        }
      }),
  );
}

/**
 * Round r: the corpus (as many copies as make ROUND_CONVERSATIONS), every conversation renamed and
 * every turn given a mark of its own.
 */
function round(corpus: Conversation[], r: number): string[] {
  const copies = Math.ceil(ROUND_CONVERSATIONS / corpus.length);
  const lines: string[] = [];
  for (let copy = 0; copy < copies; copy++) {
    const v = (r * copies + copy) * 7919;
    corpus.forEach((c, i) => {
      lines.push(
        JSON.stringify({
          ...c,
          conversationId: `${c.conversationId}-${r}-${copy}`,
          turns: c.turns.map((t, k) => ({ ...t, text: freshText(t.text, v + i * 31 + k * 7, c.language) })),
        }),
      );
    });
  }
  return lines;
}

/** One measurement: load `root`'s build, warm up, report the median CPU µs per conversation. */
async function child(root: string, files: string[]): Promise<void> {
  const load = (m: string) => import(pathToFileURL(join(root, 'dist', 'src', m)).href);
  const { loadPipeline } = await load('config/load.js');
  const { createScreener } = await load('pipeline/screen.js');
  const { screenMessage } = await load('pipeline/process.js');
  const { Transcript } = await load('domain/index.js');
  const screener = createScreener(await loadPipeline(join(root, PIPELINE)));
  const corpus = conversations(files);
  const items: string[] = [];
  const screenRound = (lines: string[]) => {
    let ok = 0;
    items.length = 0;
    for (const l of lines) {
      const r = screenMessage(screener, l);
      if (r.ok) {
        ok++;
        items.push(r.json);
      }
    }
    return ok;
  };
  for (let r = 1000, warmed = 0; warmed < WARM_CONVERSATIONS; r++) {
    const ok = screenRound(round(corpus, r));
    // Else the warm-up never ends: a pipeline of another language rejects every conversation.
    if (ok === 0) throw new Error(`${PIPELINE} screened none of the conversations (another language?)`);
    warmed += ok;
  }
  const cpuPer = (n: number, work: () => void) => {
    const before = process.cpuUsage();
    work();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / n;
  };
  const perConversation: number[] = [];
  // The same conversations through the baseline, and through what any screening must do whatever
  // its engine (read and check the transcript, write the item): issue 12's ratio on real text.
  const passthrough: number[] = [];
  const floor = { parse: [] as number[], validate: [] as number[], serialise: [] as number[] };
  let screened = 0;
  let of = 0;
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const lines = round(corpus, r);
    perConversation.push(cpuPer(lines.length, () => (screened += screenRound(lines))));
    of += lines.length;
    passthrough.push(
      cpuPer(lines.length, () => {
        for (const l of lines) sink += JSON.stringify(JSON.parse(l)).length;
      }),
    );
    let parsed: unknown[] = [];
    const read = cpuPer(lines.length, () => {
      parsed = lines.map((l) => JSON.parse(l) as unknown);
    });
    const check = cpuPer(lines.length, () => {
      for (const d of parsed) sink += Transcript.safeParse(d).success ? 1 : 0;
    });
    const objects = items.map((j) => JSON.parse(j) as unknown);
    const write = cpuPer(lines.length, () => {
      for (const o of objects) sink += JSON.stringify(o).length;
    });
    floor.parse.push(read);
    floor.validate.push(check);
    floor.serialise.push(write);
  }
  process.stdout.write(
    JSON.stringify({
      median: median(perConversation),
      passthrough: median(passthrough),
      floor: {
        parse: median(floor.parse),
        validate: median(floor.validate),
        serialise: median(floor.serialise),
      },
      screened,
      of,
      sink: sink > 0,
    }),
  );
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Measured {
  median: number;
  passthrough: number;
  floor: { parse: number; validate: number; serialise: number };
  screened: number;
  of: number;
}

function measure(root: string, files: string[]): Measured {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', root, ...files], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`the measurement of ${root} failed (exit ${r.status})`);
  return JSON.parse(r.stdout);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!, args.slice(2));
  const other = args[0];
  if (!other) {
    console.error(
      'usage: npm run bench:compare -- OTHER_CHECKOUT [FILE.jsonl …]   (OTHER_CHECKOUT: another revision with dist/ built)',
    );
    process.exit(2);
  }
  const files = (args.length > 1 ? args.slice(1) : ['samples/chat-zh.jsonl']).map((f) => resolve(f));
  const build = (root: string) => ({
    root,
    runs: [] as number[],
    passthrough: [] as number[],
    floor: [] as Measured['floor'][],
  });
  const builds = [build(HERE), build(resolve(other))];
  const corpus = conversations(files);
  console.log(
    `corpus: ${corpus.length} conversations from ${files.length} file(s), each round made new; pipeline ${PIPELINE}; ` +
      `${RUNS} processes per build, each ${ROUNDS} rounds of ≥ ${ROUND_CONVERSATIONS} after ${WARM_CONVERSATIONS.toLocaleString('en-US')} to warm up; node ${process.version}; ` +
      `${availableParallelism()} cores, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  const screened = new Set<string>();
  for (let i = 0; i < RUNS; i++) {
    // A B B A: a drift of the machine's speed weighs on both builds alike.
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    for (const k of order) {
      const m = measure(builds[k]!.root, files);
      screened.add(`${m.screened} of ${m.of}`);
      builds[k]!.runs.push(m.median);
      builds[k]!.passthrough.push(m.passthrough);
      builds[k]!.floor.push(m.floor);
    }
  }
  // Rejected lines (the samples hold some on purpose) are cheap: both builds must reject the same.
  if (screened.size !== 1)
    throw new Error(`the builds screened different numbers of conversations: ${[...screened].join(', ')}`);
  console.log(`screened ${[...screened][0]} conversations per process (the rest rejected as invalid)`);
  const w = Math.max(...builds.map((b) => b.root.length));
  console.log(`${'build'.padEnd(w)}  median CPU µs/conversation  (each run)`);
  for (const b of builds)
    console.log(
      `${b.root.padEnd(w)}  ${median(b.runs).toFixed(1).padStart(8)}  (${b.runs.map((x) => x.toFixed(0)).join(' ')})`,
    );
  // Issue 12's measure on these conversations: the screen against a JSON parse + serialise of the
  // same lines, and the most any engine could reach while it still reads, checks and writes.
  const self = builds[0]!;
  const base = median(self.passthrough);
  const part = (k: keyof Measured['floor']) => median(self.floor.map((f) => f[k]));
  const least = part('parse') + part('validate') + part('serialise');
  const us = (n: number) => n.toFixed(1);
  console.log(
    `this build on these conversations: passthrough (JSON.parse + stringify) ${us(base)} µs; floor ${us(least)} µs (parse ${us(part('parse'))} + validate ${us(part('validate'))} + serialise the item ${us(part('serialise'))}); ` +
      `ratio screen/passthrough ${(base / median(self.runs)).toFixed(3)}, at most ${(base / least).toFixed(3)} at the floor; ${base / 0.4 > least ? `0.40 would leave ${us(base / 0.4 - least)} µs for all the screening` : '0.40 is below the floor'}`,
  );
  console.log(`ratio this/other ${(median(builds[0]!.runs) / median(builds[1]!.runs)).toFixed(3)}`);
}

await main();
