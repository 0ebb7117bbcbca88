import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkExceptions, lexiconPhrases, parseLexicon } from '../config/compile.js';
import { readLocalFile } from '../config/file-store.js';
import { loadPipeline } from '../config/load.js';
import { loadRoutingWithFiles } from '../config/routing.js';
import { configSource, parseConfig } from '../config/source.js';
import { isQaError } from '../errors.js';

const CONFIG_FILE = /\.(ya?ml|json)$/i;

/** Folders a search never enters: installed packages and hidden folders (.git, .cache…). */
const SKIPPED_FOLDER = (name: string) => name === 'node_modules' || name.startsWith('.');

/**
 * Expands directories (a shell without globstar turns `lexicons/**` into folders). Folders found on
 * the way skip node_modules and hidden folders, and symbolic links to folders are not followed (no
 * loops); paths named on the command line are always taken.
 */
export function expandPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const child = join(dir, entry);
      const info = lstatSync(child);
      if (info.isDirectory()) {
        if (!SKIPPED_FOLDER(entry)) walk(child);
      } else if (CONFIG_FILE.test(entry) && (info.isFile() || statSync(child).isFile())) {
        out.push(child);
      }
    }
  };
  for (const p of paths) {
    if (statSync(p, { throwIfNoEntry: false })?.isDirectory()) walk(p);
    else out.push(p);
  }
  return out;
}

export interface ValidationReport {
  file: string;
  ok: boolean;
  summary: string;
  issues: string[];
}

async function validateFile(file: string, roots: readonly string[]): Promise<ValidationReport> {
  try {
    const source = configSource(file, await readLocalFile(file));
    const { data } = parseConfig(source);
    if (data && typeof data === 'object' && 'pipeline' in data) {
      const p = await loadPipeline(file, { roots });
      return {
        file,
        ok: true,
        summary: `pipeline ${p.id} ${p.version}: ${p.channel}/${p.language}, ${p.rules.length} rules, ${p.lexicons.length} lexicons (${p.lexicons.map((l) => `${l.id}@${l.version}`).join(', ')}; items name them ${p.lexiconsDigest}), ${p.index.size} phrases read by its rules`,
        issues: [],
      };
    }
    if (data && typeof data === 'object' && 'routing' in data) {
      const { routing: r } = await loadRoutingWithFiles(file, readLocalFile, roots);
      return {
        file,
        ok: true,
        summary: `routing ${r.id} ${r.version}: ${r.pipelines.size} pipelines (${[...r.pipelines.keys()].join(', ')}), ${r.routes.length} routes${r.default ? `, default ${r.default}` : ''}`,
        issues: [],
      };
    }
    if (data && typeof data === 'object' && 'lexicon' in data) {
      const validated = parseLexicon(source);
      const lex = validated.value;
      const issues = checkExceptions(validated, lex.language);
      return {
        file,
        ok: issues.length === 0,
        issues,
        summary: `lexicon ${lex.lexicon} (${lex.language}): ${Object.keys(lex.categories).length} categories, ${lexiconPhrases(lex).length} phrases${lex.model ? `, a learned model of ${Object.keys(lex.model.weights).length} weights (${lex.model.reads})` : ''}`,
      };
    }
    return {
      file,
      ok: false,
      summary: 'not a pipeline, routing or lexicon',
      issues: [`${file}:1:1 (root): expected a top-level "pipeline:", "routing:" or "lexicon:" key`],
    };
  } catch (err) {
    if (!isQaError(err)) throw err;
    return {
      file,
      ok: false,
      summary: err.message,
      issues: err.details.length > 0 ? [...err.details] : [err.message],
    };
  }
}

/**
 * Checks each file as what it declares itself to be; all problems of all files are reported, each
 * file's as soon as it is checked (`onReport`, with its position among `total`).
 */
export async function validateFiles(
  paths: readonly string[],
  options: {
    roots?: readonly string[];
    onStart?: (total: number) => void;
    onReport?: (report: ValidationReport, index: number, total: number) => void;
  } = {},
): Promise<ValidationReport[]> {
  const files = expandPaths(paths);
  options.onStart?.(files.length);
  const reports: ValidationReport[] = [];
  for (const file of files) {
    const report = await validateFile(file, options.roots ?? []);
    reports.push(report);
    options.onReport?.(report, reports.length, files.length);
  }
  return reports;
}
