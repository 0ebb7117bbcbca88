import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkExceptions, lexiconPhrases, parseLexicon } from '../config/compile.js';
import { readLocalFile } from '../config/file-store.js';
import { loadPipeline } from '../config/load.js';
import { loadRoutingWithFiles } from '../config/routing.js';
import { configSource, parseConfig } from '../config/source.js';
import { isQaError } from '../errors.js';

const CONFIG_FILE = /\.(ya?ml|json)$/i;

/** Expands directories (a shell without globstar turns `lexicons/**` into folders). */
export function expandPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (statSync(p, { throwIfNoEntry: false })?.isDirectory()) {
      for (const entry of readdirSync(p).sort()) {
        const child = join(p, entry);
        if (statSync(child).isDirectory() || CONFIG_FILE.test(entry)) out.push(...expandPaths([child]));
      }
    } else {
      out.push(p);
    }
  }
  return out;
}

export interface ValidationReport {
  file: string;
  ok: boolean;
  summary: string;
  issues: string[];
}

/** Checks each file as what it declares itself to be; all problems of all files are reported. */
export async function validateFiles(paths: readonly string[]): Promise<ValidationReport[]> {
  const reports: ValidationReport[] = [];
  for (const file of expandPaths(paths)) {
    try {
      const source = configSource(file, await readLocalFile(file));
      const { data } = parseConfig(source);
      if (data && typeof data === 'object' && 'pipeline' in data) {
        const p = await loadPipeline(file);
        reports.push({
          file,
          ok: true,
          summary: `pipeline ${p.id} ${p.version}: ${p.channel}/${p.language}, ${p.rules.length} rules, ${p.lexicons.length} lexicons, ${p.index.size} phrases`,
          issues: [],
        });
      } else if (data && typeof data === 'object' && 'routing' in data) {
        const { routing: r } = await loadRoutingWithFiles(file, readLocalFile);
        reports.push({
          file,
          ok: true,
          summary: `routing ${r.id} ${r.version}: ${r.pipelines.size} pipelines (${[...r.pipelines.keys()].join(', ')}), ${r.routes.length} routes${r.default ? `, default ${r.default}` : ''}`,
          issues: [],
        });
      } else if (data && typeof data === 'object' && 'lexicon' in data) {
        const validated = parseLexicon(source);
        const lex = validated.value;
        const issues = checkExceptions(validated, lex.language);
        reports.push({
          file,
          ok: issues.length === 0,
          issues,
          summary: `lexicon ${lex.lexicon} (${lex.language}): ${Object.keys(lex.categories).length} categories, ${lexiconPhrases(lex).length} phrases`,
        });
      } else {
        reports.push({
          file,
          ok: false,
          summary: 'not a pipeline, routing or lexicon',
          issues: [`${file}:1:1 (root): expected a top-level "pipeline:", "routing:" or "lexicon:" key`],
        });
      }
    } catch (err) {
      if (!isQaError(err)) throw err;
      reports.push({
        file,
        ok: false,
        summary: err.message,
        issues: err.details.length > 0 ? [...err.details] : [err.message],
      });
    }
  }
  return reports;
}
