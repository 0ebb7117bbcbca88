import {
  type Command,
  flag,
  INPUT_OPTION,
  type ParsedArgs,
  PIPELINE_OPTION,
  ROUTING_OPTION,
  required,
  screeningSource,
} from '../command.js';
import { formatSummary, screenFile } from '../screen-file.js';

export const screenCommand: Command = {
  name: 'screen',
  summary:
    'Screen transcripts from a JSONL file or stdin; items go to stdout (or --output), the summary to stderr.',
  options: {
    pipeline: PIPELINE_OPTION,
    routing: ROUTING_OPTION,
    input: INPUT_OPTION,
    output: { type: 'string', short: 'o', valueName: 'FILE|-', default: '-', help: 'where items go' },
    rejects: {
      type: 'string',
      valueName: 'FILE',
      default: 'qa-screen.rejects.jsonl',
      help: 'bad lines, byte for byte, with their reason',
    },
    agents: { type: 'boolean', default: false, help: 'per-agent summary (seed 004 accuracy)' },
    quiet: { type: 'boolean', short: 'q', default: false, help: 'no progress bar or summary' },
  },
  async run(args) {
    const output = String(args.values.output);
    const rejects = String(args.values.rejects);
    const agents = flag(args, 'agents');
    const quiet = flag(args, 'quiet');
    const totals = await screenFile(
      {
        ...screeningFiles(args),
        input: required(args, 'input'),
        output,
        rejects,
        agents,
        quiet,
      },
      (line) => process.stderr.write(`${line}\n`),
    );
    if (!quiet) process.stderr.write(`\n${formatSummary(totals, rejects, agents)}\n`);
    return 0;
  },
};

function screeningFiles(args: ParsedArgs): { pipeline: string | undefined; routing: string | undefined } {
  const { kind, location } = screeningSource(args);
  return kind === 'routing'
    ? { pipeline: undefined, routing: location }
    : { pipeline: location, routing: undefined };
}
