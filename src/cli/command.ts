import { closeSync, fstatSync, openSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { parseSettings, type Settings } from '../config/settings.js';
import { QaError } from '../errors.js';

type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { help: string; valueName?: string };

/** A `qa-screen` command: one file each in src/cli/commands, registered in src/cli/main.ts. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Positional arguments, as usage shows them ("FILE|DIR ..."). */
  readonly positionals?: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  run(args: ParsedArgs, context: CommandContext): Promise<number>;
}

/** Options several commands share, spelled the same everywhere. */
export const PIPELINE_OPTION: OptionSpec = {
  type: 'string',
  short: 'p',
  valueName: 'FILE',
  help: 'pipeline file (YAML)',
};
export const ROUTING_OPTION: OptionSpec = {
  type: 'string',
  short: 'r',
  valueName: 'FILE',
  help: 'routing file instead of --pipeline: several pipelines, each transcript screened by the one its route names',
};
export const INPUT_OPTION: OptionSpec = {
  type: 'string',
  short: 'i',
  multiple: true,
  valueName: 'FILE|-',
  help: 'JSONL transcripts (gzip too), - for stdin; repeat for several files',
};

export const CONFIG_ROOT_OPTION: OptionSpec = {
  type: 'string',
  multiple: true,
  valueName: 'DIR|s3://BUCKET',
  help: "more places lexicon files may come from (default: the folder holding the pipeline's folder, or its bucket); repeatable",
};

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface CommandContext {
  /** The environment's settings, parsed once (on first use), every problem reported together, frozen. */
  settings(): Readonly<Settings>;
}

export function createContext(env: NodeJS.ProcessEnv): CommandContext {
  let settings: Readonly<Settings> | undefined;
  return { settings: () => (settings ??= parseSettings(env)) };
}

export function usageError(message: string): never {
  throw new QaError('QA_ERR_USAGE', message);
}

/** Why a path cannot be read, in a few words (never a stack trace). */
function unreadable(path: string): string | undefined {
  try {
    const fd = openSync(path, 'r');
    try {
      if (fstatSync(fd).isDirectory()) return 'is a folder';
    } finally {
      closeSync(fd);
    }
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : `not readable (${code})`;
  }
}

/**
 * The input files of a repeatable option (`-` for stdin), each checked readable before anything
 * runs: a missing or unreadable one is a usage error naming it.
 */
export function inputPaths(args: ParsedArgs, name = 'input'): string[] {
  const paths = list(args, name);
  if (paths.length === 0) usageError(`--${name} is required`);
  return readablePaths(paths, `--${name} `);
}

/** The paths, each checked readable (`-`: stdin, at most once); `label` names them in the error. */
export function readablePaths(paths: readonly string[], label = ''): string[] {
  if (paths.filter((p) => p === '-').length > 1) usageError(`${label}- (stdin) can be given once`);
  for (const path of paths) {
    const why = path === '-' ? undefined : unreadable(path);
    if (why) usageError(`${label}${path}: ${why}`);
  }
  return [...paths];
}

/** A required string option, or a usage error naming it. */
export function required(args: ParsedArgs, name: string): string {
  const v = args.values[name];
  if (typeof v !== 'string' || v.length === 0) usageError(`--${name} is required`);
  return v;
}

export function optional(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A repeatable string option's values, in order (none: empty). */
export function list(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** Parses a command's arguments with node's parseArgs; unknown options are usage errors. */
export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, { help: _h, valueName: _v, ...spec }] of Object.entries(command.options))
    options[name] = spec;
  const { values, positionals } = parseArgs({
    args: argv,
    options,
    allowPositionals: command.positionals !== undefined,
    strict: true,
  });
  return { values: values as ParsedArgs['values'], positionals };
}

/** `qa-screen <command> --help`. */
export function commandHelp(command: Command): string {
  const flags = Object.entries(command.options).map(([name, o]) => {
    const short = o.short ? `-${o.short}, ` : '    ';
    const value = o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : '';
    const fallback = o.default !== undefined && o.type === 'string' ? ` (default ${String(o.default)})` : '';
    return { left: `  ${short}--${name}${value}`, help: `${o.help}${fallback}` };
  });
  const width = Math.max(0, ...flags.map((f) => f.left.length)) + 2;
  return [
    `qa-screen ${command.name}${Object.keys(command.options).length > 0 ? ' [options]' : ''}${command.positionals ? ` ${command.positionals}` : ''}`,
    '',
    command.summary,
    ...(flags.length > 0 ? ['', 'Options:', ...flags.map((f) => `${f.left.padEnd(width)}${f.help}`)] : []),
    '',
  ].join('\n');
}

/** `--pipeline FILE` or `--routing FILE`, exactly one. */
export function screeningSource(args: ParsedArgs): { kind: 'pipeline' | 'routing'; location: string } {
  const pipeline = optional(args, 'pipeline');
  const routing = optional(args, 'routing');
  if ((pipeline === undefined) === (routing === undefined)) usageError('give one of --pipeline or --routing');
  return routing !== undefined
    ? { kind: 'routing', location: routing }
    : { kind: 'pipeline', location: pipeline! };
}
