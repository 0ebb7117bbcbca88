import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from '../command.js';
import { PACKAGE_ROOT } from '../root.js';
import { formatSummary, screenFile } from '../screen-file.js';

const SAMPLES = [
  ['samples/chat-zh.jsonl', 'pipelines/chat-zh.yaml'],
  ['samples/call-zh.jsonl', 'pipelines/call-zh.yaml'],
  ['samples/chat-en.jsonl', 'pipelines/chat-en.yaml'],
] as const;

export const demoCommand: Command = {
  name: 'demo',
  summary:
    'Screen the bundled samples with the bundled pipelines (no broker needed); items go to out/ in the current folder.',
  options: {},
  async run() {
    // The package may be read-only (a global install, the Docker image): read from it, write here.
    const bundled = (path: string) => relative(process.cwd(), join(PACKAGE_ROOT, path)) || '.';
    mkdirSync('out', { recursive: true });
    for (const [input, pipeline] of SAMPLES) {
      const name = input.replace(/^samples\/|\.jsonl$/g, '');
      const output = join('out', `${name}.items.jsonl`);
      const rejects = join('out', `${name}.rejects.jsonl`);
      process.stdout.write(`\n== ${bundled(input)} with ${bundled(pipeline)} → ${output}\n`);
      const totals = await screenFile(
        { pipeline: bundled(pipeline), inputs: [bundled(input)], output, rejects, agents: true, quiet: true },
        (line) => process.stdout.write(`${line}\n`),
      );
      process.stdout.write(`${formatSummary(totals, rejects, true)}\n`);
    }
    process.stdout.write(
      `\nSee why an item was flagged:\n  npx qa-screen explain --pipeline ${bundled('pipelines/chat-zh.yaml')} --input ${bundled('samples/chat-zh.jsonl')} --id chat-zh-002\n`,
    );
    return 0;
  },
};
