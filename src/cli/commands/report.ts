import { closeSync, openSync, writeFileSync } from 'node:fs';
import { AnyScreenedItem } from '../../domain/index.js';
import { isMessageLang, MESSAGE_LANGS } from '../../domain/messages.js';
import { renderCsv } from '../../report/csv.js';
import { renderHtml } from '../../report/html.js';
import { batchSummary } from '../../scoring/summary.js';
import { openInput, readJsonl } from '../../sources/jsonl.js';
import { type Command, optional, readablePaths, usageError } from '../command.js';
import { formatSummary } from '../screen-file.js';

/** Items can carry a conversation: lines up to this size are read, longer ones skipped. */
const MAX_ITEM_LINE_BYTES = 64 * 1024 * 1024;

function writable(option: string, path: string | undefined): void {
  if (path === undefined) return;
  try {
    closeSync(openSync(path, 'w'));
  } catch (err) {
    usageError(`--${option} ${path}: cannot write (${(err as NodeJS.ErrnoException).code})`);
  }
}

export const reportCommand: Command = {
  name: 'report',
  summary:
    'Summarise screened items (JSONL, gzip too) for managers: totals, score distribution, queues, rules, teams and agents, as HTML (inline charts), CSV or JSON.',
  positionals: 'ITEMS.jsonl|- ...',
  options: {
    html: {
      type: 'string',
      valueName: 'FILE',
      help: 'a self-contained HTML report with charts (no script, nothing fetched)',
    },
    csv: { type: 'string', valueName: 'FILE', help: 'the figures as one CSV table (scope, key, …)' },
    lang: { type: 'string', valueName: 'en|zh', help: 'language of the HTML report (default en)' },
    json: { type: 'string', valueName: 'FILE', help: 'the figures as JSON (as screen --summary-json)' },
    'clean-queue': {
      type: 'string',
      valueName: 'QUEUE',
      default: 'clean',
      help: "the pipelines' default queue: items elsewhere count as flagged",
    },
  },
  async run(args) {
    if (args.positionals.length === 0) usageError('report needs at least one items file (or - for stdin)');
    const inputs = readablePaths(args.positionals);
    const html = optional(args, 'html');
    const csv = optional(args, 'csv');
    const json = optional(args, 'json');
    const lang = optional(args, 'lang') ?? 'en';
    if (!isMessageLang(lang)) usageError(`--lang: expected one of ${MESSAGE_LANGS.join(', ')}`);
    writable('html', html);
    writable('csv', csv);
    writable('json', json);
    const summary = batchSummary({ defaultQueue: optional(args, 'clean-queue') ?? 'clean' });
    let skipped = 0;
    for (const input of inputs) {
      for await (const line of readJsonl(openInput(input), MAX_ITEM_LINE_BYTES)) {
        let data: unknown;
        try {
          data = 'text' in line ? JSON.parse(line.text) : undefined;
        } catch {
          data = undefined;
        }
        const item = AnyScreenedItem.safeParse(data);
        if (item.success) summary.add(item.data);
        else skipped++;
      }
    }
    const result = summary.result();
    const meta = { sources: inputs, generatedAt: new Date().toISOString(), skipped };
    if (html) writeFileSync(html, renderHtml(result, meta, lang));
    if (csv) writeFileSync(csv, renderCsv(result));
    if (json) writeFileSync(json, `${JSON.stringify({ ...result, skipped }, null, 2)}\n`);
    if (skipped > 0) process.stderr.write(`${skipped} line(s) skipped: not screened items\n`);
    if (!html && !csv && !json) {
      process.stdout.write(
        `${formatSummary({ summary: result, lines: result.items + skipped, rejected: 0, bytes: 0, elapsedMs: 0 }, '', true)}\n`,
      );
    } else {
      for (const [what, path] of [
        ['HTML', html],
        ['CSV', csv],
        ['JSON', json],
      ] as const)
        if (path) process.stderr.write(`${what} report of ${result.items} item(s) written to ${path}\n`);
    }
    return 0;
  },
};
