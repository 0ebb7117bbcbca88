import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ErrorCode, isQaError, QaError } from '../errors.js';
import { type Command, commandHelp, createContext, parseCommandArgs } from './command.js';
import { archiveCommand } from './commands/archive.js';
import { backtestCommand } from './commands/backtest.js';
import { demoCommand } from './commands/demo.js';
import { errorsCommand } from './commands/errors.js';
import { evalCommand } from './commands/eval.js';
import { explainCommand } from './commands/explain.js';
import { produceCommand } from './commands/produce.js';
import { reportCommand } from './commands/report.js';
import { reviewCommand } from './commands/review.js';
import { rulesCommand } from './commands/rules.js';
import { schemaCommand } from './commands/schema.js';
import { screenCommand } from './commands/screen.js';
import { validateCommand } from './commands/validate.js';
import { workerCommand } from './commands/worker.js';
import { PACKAGE_ROOT } from './root.js';

/** Every command, one file each in ./commands. Add a line here to add a command. */
export const COMMANDS: readonly Command[] = [
  demoCommand,
  screenCommand,
  explainCommand,
  validateCommand,
  evalCommand,
  reportCommand,
  workerCommand,
  produceCommand,
  archiveCommand,
  reviewCommand,
  backtestCommand,
  rulesCommand,
  schemaCommand,
  errorsCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'qa-screen — pre-screens customer-service chats and calls for QA review',
    '',
    'Usage: qa-screen <command> [options]      (qa-screen <command> --help for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    `  ${'version'.padEnd(width)}Print the version.`,
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (name === 'version' || name === '--version') {
    process.stdout.write(`${JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new QaError('QA_ERR_USAGE', `unknown command "${name}"`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  return command.run(parseCommandArgs(command, rest), createContext(process.env));
}

/** Exit codes other than 2 for errors (2: usage, settings or configuration). */
const EXIT_CODES: Partial<Record<ErrorCode, number>> = { QA_ERR_OUTPUT_CLOSED: 1 };

export async function run(argv: string[]): Promise<void> {
  // `qa-screen rules | head`: a closed pipe is not an error for text meant for people. Commands whose
  // stdout is data (`screen`) listen themselves, and fail with QA_ERR_OUTPUT_CLOSED instead.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (process.stdout.listenerCount('error') > 1) return;
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  try {
    process.exitCode = await main(argv);
  } catch (err) {
    if (isQaError(err)) {
      if (err.code === 'QA_ERR_USAGE') {
        // One line: what is wrong, and where help is.
        process.stderr.write(`error ${err.code}: ${err.message} (see qa-screen ${argv[0] ?? ''} --help)\n`);
      } else {
        process.stderr.write(`error ${err.code}: ${err.message}\n`);
        for (const d of err.details) process.stderr.write(`  ${d}\n`);
        process.stderr.write(`hint: ${err.hint}\n`);
      }
      process.exitCode = EXIT_CODES[err.code] ?? 2;
      return;
    }
    if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error QA_ERR_USAGE: ${err.message}\n${usage()}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}
