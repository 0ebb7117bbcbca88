import {
  CONFIG_ROOT_OPTION,
  type Command,
  flag,
  INPUT_OPTION,
  inputPaths,
  list,
  optional,
  type ParsedArgs,
  PIPELINE_OPTION,
  ROUTING_OPTION,
  screeningSource,
} from '../command.js';
import { formatSummary, screenFile } from '../screen-file.js';

export const screenCommand: Command = {
  name: 'screen',
  summary:
    'Screen transcripts from JSONL files (gzip too) or stdin; items go to stdout (or --output), the summary to stderr.',
  options: {
    pipeline: PIPELINE_OPTION,
    routing: ROUTING_OPTION,
    input: INPUT_OPTION,
    output: { type: 'string', short: 'o', valueName: 'FILE|-', default: '-', help: 'where items go' },
    rejects: {
      type: 'string',
      valueName: 'FILE',
      default: 'qa-screen.rejects.jsonl',
      help: 'bad lines, byte for byte, with their reason (removed when a run has none)',
    },
    'fail-on-reject': { type: 'boolean', default: false, help: 'exit 1 when any line was rejected' },
    'summary-json': {
      type: 'string',
      valueName: 'FILE',
      help: 'write the batch summary (totals, score bands, queues, rules, agents, teams) as JSON',
    },
    agents: { type: 'boolean', default: false, help: 'per-agent summary (seed 004 accuracy)' },
    quiet: { type: 'boolean', short: 'q', default: false, help: 'no progress bar or summary' },
    'config-root': CONFIG_ROOT_OPTION,
  },
  async run(args) {
    const output = String(args.values.output);
    const rejects = String(args.values.rejects);
    const agents = flag(args, 'agents');
    const quiet = flag(args, 'quiet');
    const inputs = inputPaths(args);
    const totals = await screenFile(
      {
        ...screeningFiles(args),
        inputs,
        output,
        rejects,
        agents,
        quiet,
        summaryJson: optional(args, 'summary-json'),
        configRoots: list(args, 'config-root'),
      },
      (line) => process.stderr.write(`${line}\n`),
    );
    if (!quiet) process.stderr.write(`\n${formatSummary(totals, rejects, agents)}\n`);
    return flag(args, 'fail-on-reject') && totals.rejected > 0 ? 1 : 0;
  },
};

function screeningFiles(args: ParsedArgs): { pipeline: string | undefined; routing: string | undefined } {
  const { kind, location } = screeningSource(args);
  return kind === 'routing'
    ? { pipeline: undefined, routing: location }
    : { pipeline: location, routing: undefined };
}
