import { createReadStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadPipeline } from '../config/load.js';
import { ScreenedItem, Transcript } from '../domain/index.js';
import { ERRORS, isQaError, QaError } from '../errors.js';
import { hasTurns, parseTranscript } from '../pipeline/parse.js';
import { createScreener } from '../pipeline/screen.js';
import { RULE_TYPES } from '../rules/registry.js';
import { readJsonl } from '../sources/jsonl.js';
import { ansi, explain, plain } from './explain.js';
import { formatSummary, screenFile } from './screen.js';
import { validateFiles } from './validate.js';
import { runArchive, runProduce, runWorker } from './worker.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const USAGE = `qa-screen — pre-screens customer-service chats and calls for QA review

Usage:
  qa-screen demo                                   screen the bundled samples (no broker needed)
  qa-screen screen --pipeline P --input F|- [--output F|-] [--rejects F] [--agents] [--quiet]
  qa-screen explain --pipeline P --input F [--id CONVERSATION_ID] [--color|--no-color]
  qa-screen validate FILE|DIR ...                  check pipelines and lexicons
  qa-screen worker --pipeline P                    Kafka worker (settings: pipeline kafka: section + env)
  qa-screen produce --topic T [--brokers B] F|-    load JSONL transcripts into a topic
  qa-screen archive --topic T --bucket B [--prefix P]   archive items to S3 as gzip JSONL
  qa-screen rules                                  list the registered rule types
  qa-screen schema transcript|item                 print a JSON Schema
  qa-screen errors                                 list error codes

Results are JSONL on stdout (or --output); the summary goes to stderr.`;

function fail(message: string): never {
  throw new QaError('QA_ERR_USAGE', message);
}

function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.length === 0) fail(`--${name} is required`);
  return v;
}

async function cmdScreen(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      pipeline: { type: 'string', short: 'p' },
      input: { type: 'string', short: 'i' },
      output: { type: 'string', short: 'o', default: '-' },
      rejects: { type: 'string', default: 'qa-screen.rejects.jsonl' },
      agents: { type: 'boolean', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
    },
  });
  const totals = await screenFile(
    {
      pipeline: required(values, 'pipeline'),
      input: required(values, 'input'),
      output: values.output!,
      rejects: values.rejects!,
      agents: values.agents!,
      quiet: values.quiet!,
    },
    (line) => process.stderr.write(`${line}\n`),
  );
  if (!values.quiet) process.stderr.write(`\n${formatSummary(totals, values.rejects!, values.agents!)}\n`);
  return 0;
}

async function cmdDemo(): Promise<number> {
  process.chdir(ROOT);
  mkdirSync('out', { recursive: true });
  const samples = [
    ['samples/chat-zh.jsonl', 'pipelines/chat-zh.yaml'],
    ['samples/call-zh.jsonl', 'pipelines/call-zh.yaml'],
    ['samples/chat-en.jsonl', 'pipelines/chat-en.yaml'],
  ] as const;
  for (const [input, pipeline] of samples) {
    const name = input.replace(/^samples\/|\.jsonl$/g, '');
    const output = `out/${name}.items.jsonl`;
    const rejects = `out/${name}.rejects.jsonl`;
    process.stdout.write(`\n== ${input} with ${pipeline} → ${output}\n`);
    const totals = await screenFile({ pipeline, input, output, rejects, agents: true, quiet: true }, (line) =>
      process.stdout.write(`${line}\n`),
    );
    process.stdout.write(`${formatSummary(totals, rejects, true)}\n`);
  }
  process.stdout.write(
    '\nSee why an item was flagged:\n  npx qa-screen explain --pipeline pipelines/chat-zh.yaml --input samples/chat-zh.jsonl --id chat-zh-002\n',
  );
  return 0;
}

async function cmdExplain(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      pipeline: { type: 'string', short: 'p' },
      input: { type: 'string', short: 'i' },
      id: { type: 'string' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
    },
  });
  const pipeline = await loadPipeline(required(values, 'pipeline'));
  const screener = createScreener(pipeline);
  const input = required(values, 'input');
  const style = values['no-color'] ? plain : values.color || process.stdout.isTTY ? ansi : plain;
  const stream = input === '-' ? process.stdin : createReadStream(input);
  let shown = 0;
  for await (const line of readJsonl(stream, pipeline.config.limits.max_transcript_bytes)) {
    if ('oversized' in line) continue;
    const parsed = parseTranscript(line.text, pipeline.config.limits.max_transcript_bytes);
    if (!parsed.ok || !hasTurns(parsed.transcript)) continue;
    if (values.id && parsed.transcript.conversationId !== values.id) continue;
    if (shown > 0) process.stdout.write('\n');
    process.stdout.write(`${explain(parsed.transcript, screener.screen(parsed.transcript), style)}\n`);
    shown++;
  }
  if (shown === 0) {
    process.stderr.write(
      values.id ? `no conversation "${values.id}" in ${input}\n` : `no valid conversation in ${input}\n`,
    );
    return 1;
  }
  return 0;
}

async function cmdValidate(args: string[]): Promise<number> {
  if (args.length === 0) fail('validate needs at least one file or folder');
  const reports = await validateFiles(args);
  for (const r of reports) {
    process.stdout.write(`${r.ok ? '✓' : '✗'} ${r.file}: ${r.summary}\n`);
    for (const issue of r.ok ? [] : r.issues) process.stdout.write(`    ${issue}\n`);
  }
  const bad = reports.filter((r) => !r.ok).length;
  process.stdout.write(`${reports.length - bad} valid, ${bad} invalid\n`);
  return bad === 0 ? 0 : 1;
}

function cmdRules(): number {
  for (const spec of RULE_TYPES) {
    const options = Object.keys(spec.schema.shape).filter(
      (k) => !['type', 'id', 'enabled', 'description'].includes(k),
    );
    process.stdout.write(
      `${spec.type.padEnd(18)} ${spec.summary}\n${''.padEnd(18)} channels: ${spec.channels.join(', ')}; options: ${options.join(', ')}\n`,
    );
  }
  return 0;
}

function cmdSchema(args: string[]): number {
  const which = args[0];
  const schema =
    which === 'transcript' ? Transcript : which === 'item' ? ScreenedItem : fail('schema transcript|item');
  process.stdout.write(
    `${JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), null, 2)}\n`,
  );
  return 0;
}

function cmdErrors(): number {
  for (const [code, e] of Object.entries(ERRORS)) process.stdout.write(`${code}: ${e.message} — ${e.hint}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'screen':
      return cmdScreen(rest);
    case 'demo':
      return cmdDemo();
    case 'explain':
      return cmdExplain(rest);
    case 'validate':
      return cmdValidate(rest);
    case 'rules':
      return cmdRules();
    case 'worker': {
      const { values } = parseArgs({ args: rest, options: { pipeline: { type: 'string', short: 'p' } } });
      // Exit explicitly: kafkajs reconnect timers would otherwise keep a stopped worker alive.
      return process.exit(await runWorker(required(values, 'pipeline')));
    }
    case 'archive': {
      const { values } = parseArgs({
        args: rest,
        options: {
          topic: { type: 'string', short: 't' },
          bucket: { type: 'string', short: 'b' },
          prefix: { type: 'string' },
        },
      });
      return process.exit(await runArchive(values));
    }
    case 'produce': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { topic: { type: 'string', short: 't' }, brokers: { type: 'string', short: 'b' } },
      });
      if (positionals.length !== 1) fail('produce needs one input file (or - for stdin)');
      return runProduce(required(values, 'topic'), positionals[0]!, values.brokers);
    }
    case 'schema':
      return cmdSchema(rest);
    case 'errors':
      return cmdErrors();
    case 'version':
    case '--version':
      process.stdout.write(`${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      return fail(`unknown command "${command}"`);
  }
}

export async function run(argv: string[]): Promise<void> {
  // `qa-screen rules | head`: a closed pipe is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  try {
    process.exitCode = await main(argv);
  } catch (err) {
    if (isQaError(err)) {
      process.stderr.write(`error ${err.code}: ${err.message}\n`);
      for (const d of err.details) process.stderr.write(`  ${d}\n`);
      process.stderr.write(`hint: ${err.hint}\n`);
      process.exitCode = 2;
      return;
    }
    if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error QA_ERR_USAGE: ${err.message}\n${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}
