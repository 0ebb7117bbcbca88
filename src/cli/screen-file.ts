import { statSync, unlinkSync, writeFileSync } from 'node:fs';
import { MultiBar } from 'cli-progress';
import { readLocalFile } from '../config/file-store.js';
import { loadScreeningWithFiles } from '../config/routing.js';
import { QaError } from '../errors.js';
import { screenMessage } from '../pipeline/process.js';
import { createRouter } from '../pipeline/route.js';
import { type BatchSummary, batchSummary } from '../scoring/summary.js';
import { type JsonlSink, type JsonlSinkOptions, JsonText, openJsonlSink } from '../sinks/jsonl.js';
import { jsonlSource, openInput } from '../sources/jsonl.js';
import { usageError } from './command.js';
import { table } from './table.js';

export interface ScreenFileOptions {
  /** One pipeline file, or (instead) a routing file over several. */
  pipeline: string | undefined;
  routing?: string | undefined;
  /** Files or `-` (stdin), screened one after the other. */
  inputs: readonly string[];
  output: string;
  rejects: string;
  agents: boolean;
  quiet: boolean;
  /** Where to write the batch summary as JSON (`--summary-json`). */
  summaryJson?: string | undefined;
  /** More places lexicon files may come from (`--config-root`). */
  configRoots?: readonly string[];
  now?: () => Date;
}

export interface ScreenTotals {
  summary: BatchSummary;
  /** Non-blank input lines: every one became an item or a rejection. */
  lines: number;
  rejected: number;
  bytes: number;
  elapsedMs: number;
}

/** Reject lines shown on stderr; the rest are counted (all of them are in the rejects file). */
export const SHOWN_REJECTS = 20;

async function openOutput(option: string, path: string, options: JsonlSinkOptions = {}): Promise<JsonlSink> {
  try {
    return await openJsonlSink(path, options);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such folder'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a folder'
            : code;
    return usageError(`--${option} ${path}: cannot write (${why})`);
  }
}

/**
 * The embedded default: JSONL sources → screen → JSONL sinks (items, and rejects with their reason).
 * Bad lines go to the rejects file (which is removed when a run has none); the rest goes on.
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
    options.configRoots ?? [],
  );
  const router = createRouter(value, options.now ? { now: options.now } : {});
  const maxLine = router.maxTranscriptBytes;
  const hardLimit = maxLine * 2;
  // Every path is checked before the first line is screened.
  if (options.summaryJson !== undefined)
    await (await openOutput('summary-json', options.summaryJson)).close();
  const out = await openOutput('output', options.output);
  // Raw transcripts: owner only.
  const rejects = await openOutput('rejects', options.rejects, { mode: 0o600 });
  const summary = batchSummary({ defaultQueue: (id) => router.defaultQueue(id) });
  const totals: ScreenTotals = { summary: summary.result(), lines: 0, rejected: 0, bytes: 0, elapsedMs: 0 };

  const sizes = options.inputs.map((p) => (p === '-' ? undefined : statSync(p).size));
  const itemsToTerminal = options.output === '-' && process.stdout.isTTY;
  const bars =
    !options.quiet && process.stderr.isTTY && !itemsToTerminal && sizes.every((s) => s !== undefined)
      ? new MultiBar({
          format: 'screening [{bar}] {percentage}% | {items} items | {rejected} rejected',
          stream: process.stderr,
          clearOnComplete: true,
        })
      : undefined;
  const bar = bars?.create(
    sizes.reduce<number>((a, b) => a + (b ?? 0), 0),
    0,
    { items: 0, rejected: 0 },
  );
  let read = 0;
  // Reject lines go through the bar (printed above it), the first SHOWN_REJECTS of them.
  const note = (line: string) => {
    if (totals.rejected > SHOWN_REJECTS) return;
    if (bars) bars.log(`${line}\n`);
    else log(line);
  };
  const started = performance.now();

  try {
    for (const input of options.inputs) {
      const where = options.inputs.length > 1 ? `${input} ` : '';
      const source = jsonlSource({
        input: openInput(input, (n) => {
          read += n;
        }),
        maxLineBytes: hardLimit,
        // A line over the hard limit is never held: its bytes stream to the rejects file as read.
        spill(line) {
          const record = rejects.streamRecord(
            { input, line, code: 'QA_ERR_TRANSCRIPT_TOO_LARGE' },
            'rawBase64',
          );
          return {
            write: (piece) => record.write(piece),
            end: (bytes) => record.end({ bytes, reason: `line is ${bytes} bytes, over ${hardLimit}` }),
          };
        },
      });
      await source.run(async (batch) => {
        const items: unknown[] = [];
        const rejected: unknown[] = [];
        for (const record of batch.records) {
          totals.lines++;
          totals.bytes += record.bytes + 1;
          const result =
            record.value === undefined
              ? {
                  ok: false as const,
                  error: new QaError(
                    'QA_ERR_TRANSCRIPT_TOO_LARGE',
                    `line is ${record.bytes} bytes, over ${hardLimit}`,
                  ),
                }
              : screenMessage(router, record.value);
          if (result.ok) {
            summary.add(result.item);
            items.push(new JsonText(result.json));
            continue;
          }
          totals.rejected++;
          const { code, message: reason } = result.error;
          note(`${where}line ${record.line}: ${code}: ${reason}`);
          if (record.spilled) continue;
          rejected.push({
            input,
            line: record.line,
            code,
            reason,
            ...('conversationId' in result &&
              result.conversationId && { conversationId: result.conversationId }),
            // Text as it was; bytes that are not UTF-8 in base64, so they too are kept exactly.
            ...(typeof record.value === 'string'
              ? { raw: record.value }
              : record.value !== undefined
                ? { rawBase64: record.value.toString('base64') }
                : { bytes: record.bytes }),
          });
        }
        await out.write(batch, items);
        if (rejected.length > 0) await rejects.write(batch, rejected);
        bar?.update(read, { items: totals.lines - totals.rejected, rejected: totals.rejected });
      });
    }
  } finally {
    bars?.stop();
    await out.close();
    await rejects.close();
    // No rejects this run: no rejects file, not even a stale one from an earlier run.
    if (rejects.records === 0 && options.rejects !== '-') unlinkSync(options.rejects);
  }
  totals.elapsedMs = performance.now() - started;
  totals.summary = summary.result();
  if (totals.rejected > SHOWN_REJECTS)
    log(`${totals.rejected - SHOWN_REJECTS} more rejected line(s) not shown: see ${options.rejects}`);
  if (options.summaryJson !== undefined) {
    writeFileSync(
      options.summaryJson,
      `${JSON.stringify({ pipeline: { id: router.id, version: router.version }, lines: totals.lines, rejected: totals.rejected, ...totals.summary }, null, 2)}\n`,
    );
  }
  return totals;
}

export function formatSummary(totals: ScreenTotals, rejectsPath: string, agents: boolean): string {
  const s = totals.summary;
  const secs = totals.elapsedMs / 1000;
  const lines: string[] = [];
  // Speed only for a run that screened (not for `report`, which reads items).
  const speed = totals.elapsedMs > 0;
  lines.push(
    table(
      [
        'items',
        'flagged',
        'fatal',
        'passed',
        'calibration',
        'rejected',
        'mean score',
        ...(speed ? ['items/s', 'MB/s'] : []),
      ],
      [
        [
          s.items,
          s.flagged,
          s.fatal,
          s.passed,
          s.sampled,
          totals.rejected,
          s.meanScore,
          ...(speed ? [Math.round(s.items / secs), Math.round((totals.bytes / 1e6 / secs) * 100) / 100] : []),
        ],
      ],
    ),
  );
  if (s.rules.length > 0)
    lines.push(
      '',
      table(
        ['rule', 'findings'],
        s.rules.map((r) => [r.ruleId, r.findings]),
      ),
    );
  if (s.queues.length > 0)
    lines.push(
      '',
      table(
        ['queue', 'items'],
        s.queues.map((q) => [q.queue, q.items]),
      ),
    );
  if (agents && s.agents.length > 0) {
    lines.push(
      '',
      table(
        ['agent', 'items', 'mean score', 'passed', 'fatal', 'fatal accuracy', 'non-fatal accuracy'],
        s.agents.map((a) => [
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
