import { mkdirSync } from 'node:fs';
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
  summary: 'Screen the bundled samples with the bundled pipelines (no broker needed); items go to out/.',
  options: {},
  async run() {
    process.chdir(PACKAGE_ROOT);
    mkdirSync('out', { recursive: true });
    for (const [input, pipeline] of SAMPLES) {
      const name = input.replace(/^samples\/|\.jsonl$/g, '');
      const output = `out/${name}.items.jsonl`;
      const rejects = `out/${name}.rejects.jsonl`;
      process.stdout.write(`\n== ${input} with ${pipeline} → ${output}\n`);
      const totals = await screenFile(
        { pipeline, input, output, rejects, agents: true, quiet: true },
        (line) => process.stdout.write(`${line}\n`),
      );
      process.stdout.write(`${formatSummary(totals, rejects, true)}\n`);
    }
    process.stdout.write(
      '\nSee why an item was flagged:\n  npx qa-screen explain --pipeline pipelines/chat-zh.yaml --input samples/chat-zh.jsonl --id chat-zh-002\n',
    );
    return 0;
  },
};
