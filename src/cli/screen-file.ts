import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import { readLocalFile } from '../config/file-store.js';
import { loadScreeningWithFiles } from '../config/routing.js';
import { QaError } from '../errors.js';
import { screenMessage } from '../pipeline/process.js';
import { createRouter } from '../pipeline/route.js';
import { type AgentSummary, agentSummary } from '../scoring/summary.js';
import { jsonlSink } from '../sinks/jsonl.js';
import type { Sink } from '../sinks/sink.js';
import { jsonlSource } from '../sources/jsonl.js';
import { table } from './table.js';

export interface ScreenFileOptions {
  /** One pipeline file, or (instead) a routing file over several. */
  pipeline: string | undefined;
  routing?: string | undefined;
  input: string;
  output: string;
  rejects: string;
  agents: boolean;
  quiet: boolean;
  now?: () => Date;
}

export interface ScreenTotals {
  items: number;
  rejected: number;
  flagged: number;
  fatal: number;
  passed: number;
  sampled: number;
  scoreSum: number;
  bytes: number;
  elapsedMs: number;
  findingsByRule: Map<string, number>;
  queues: Map<string, number>;
  agents: AgentSummary[];
}

function inputStream(input: string): { stream: Readable; size: number | undefined } {
  if (input === '-') return { stream: process.stdin, size: undefined };
  return { stream: createReadStream(input), size: statSync(input).size };
}

const count = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);

/**
 * The embedded default: JSONL source → screen → JSONL sinks (items, and rejects with their reason).
 * Bad lines go to the rejects file; the rest goes on.
 */
export async function screenFile(
  options: ScreenFileOptions,
  log: (line: string) => void,
): Promise<ScreenTotals> {
  const { value } = await loadScreeningWithFiles(
    options.routing
      ? { kind: 'routing', location: options.routing }
      : { kind: 'pipeline', location: options.pipeline ?? '' },
    readLocalFile,
  );
  const router = createRouter(value, options.now ? { now: options.now } : {});
  const { stream, size } = inputStream(options.input);
  const maxLine = router.maxTranscriptBytes;
  const source = jsonlSource({ input: stream, maxLineBytes: maxLine * 2 });
  const out = jsonlSink(options.output);
  let rejects: Sink<unknown> | undefined;
  const agents = agentSummary();
  const totals: ScreenTotals = {
    items: 0,
    rejected: 0,
    flagged: 0,
    fatal: 0,
    passed: 0,
    sampled: 0,
    scoreSum: 0,
    bytes: 0,
    elapsedMs: 0,
    findingsByRule: new Map(),
    queues: new Map(),
    agents: [],
  };
  const bar =
    !options.quiet && process.stderr.isTTY && size !== undefined
      ? new SingleBar({
          format: 'screening [{bar}] {percentage}% | {items} items | {rejected} rejected',
          stream: process.stderr,
        })
      : undefined;
  bar?.start(size!, 0, { items: 0, rejected: 0 });
  const started = performance.now();

  await source.run(async (batch) => {
    const items: unknown[] = [];
    const rejected: unknown[] = [];
    for (const record of batch.records) {
      totals.bytes += record.bytes + 1;
      const result =
        record.value === undefined
          ? {
              ok: false as const,
              error: new QaError(
                'QA_ERR_TRANSCRIPT_TOO_LARGE',
                `line is ${record.bytes} bytes, over ${maxLine * 2}`,
              ),
            }
          : screenMessage(router, record.value);
      if (result.ok) {
        const item = result.item;
        totals.items++;
        totals.scoreSum += item.score;
        if (item.passed) totals.passed++;
        if (item.fatal) totals.fatal++;
        if (item.sampled) totals.sampled++;
        if (item.queue !== router.defaultQueue(item.pipeline.id) && !item.sampled) totals.flagged++;
        count(totals.queues, item.queue);
        for (const f of item.findings) count(totals.findingsByRule, f.ruleId);
        if (options.agents) agents.add(item);
        items.push(item);
      } else {
        totals.rejected++;
        const { code, message: reason } = result.error;
        log(`line ${record.line}: ${code}: ${reason}`);
        rejected.push({
          line: record.line,
          code,
          reason,
          ...('conversationId' in result &&
            result.conversationId && { conversationId: result.conversationId }),
          ...(record.value !== undefined ? { raw: record.value } : { bytes: record.bytes }),
        });
      }
    }
    await out.write(batch, items);
    if (rejected.length > 0) {
      rejects ??= jsonlSink(options.rejects, { mode: 0o600 }); // raw transcripts: owner only
      await rejects.write(batch, rejected);
    }
    bar?.update(totals.bytes, { items: totals.items, rejected: totals.rejected });
  });
  totals.elapsedMs = performance.now() - started;
  totals.agents = agents.result();
  bar?.stop();
  await out.close();
  await rejects?.close();
  return totals;
}

export function formatSummary(totals: ScreenTotals, rejectsPath: string, agents: boolean): string {
  const secs = totals.elapsedMs / 1000;
  const lines: string[] = [];
  lines.push(
    table(
      ['items', 'flagged', 'fatal', 'passed', 'calibration', 'rejected', 'mean score', 'items/s', 'MB/s'],
      [
        [
          totals.items,
          totals.flagged,
          totals.fatal,
          totals.passed,
          totals.sampled,
          totals.rejected,
          totals.items === 0 ? 0 : Math.round((totals.scoreSum / totals.items) * 10) / 10,
          secs > 0 ? Math.round(totals.items / secs) : 0,
          secs > 0 ? Math.round((totals.bytes / 1e6 / secs) * 100) / 100 : 0,
        ],
      ],
    ),
  );
  const rules = [...totals.findingsByRule.entries()].sort((a, b) => b[1] - a[1]);
  if (rules.length > 0) lines.push('', table(['rule', 'findings'], rules));
  const queues = [...totals.queues.entries()].sort((a, b) => b[1] - a[1]);
  if (queues.length > 0) lines.push('', table(['queue', 'items'], queues));
  if (agents && totals.agents.length > 0) {
    lines.push(
      '',
      table(
        ['agent', 'items', 'mean score', 'passed', 'fatal', 'fatal accuracy', 'non-fatal accuracy'],
        totals.agents.map((a) => [
          a.agentId,
          a.items,
          a.meanScore,
          a.passed,
          a.fatalItems,
          `${(a.fatalAccuracy * 100).toFixed(1)}%`,
          `${(a.nonFatalAccuracy * 100).toFixed(1)}%`,
        ]),
      ),
    );
  }
  if (totals.rejected > 0) lines.push('', `${totals.rejected} rejected line(s) written to ${rejectsPath}`);
  return lines.join('\n');
}
