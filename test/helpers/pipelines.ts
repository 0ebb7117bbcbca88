import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CompiledPipeline } from '../../src/config/compile.js';
import { loadPipeline } from '../../src/config/load.js';

/**
 * A bundled pipeline with some top-level sections replaced (the section removed, ours appended),
 * written to a temporary folder, with extra lexicon files beside it and extra rules (flow YAML);
 * the bundled lexicons are read from the project, which `roots` allows.
 */
export function writeBundledPipelineWith(
  name: string,
  sections: Record<string, string>,
  extraLexicons: Record<string, string> = {},
  extraRules: readonly string[] = [],
): { location: string; roots: string[] } {
  const root = resolve('.');
  let text = readFileSync(join(root, 'pipelines', `${name}.yaml`), 'utf8').replaceAll(
    '../lexicons/',
    `${root}/lexicons/`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'qa-pipeline-'));
  for (const [file, yaml] of Object.entries(extraLexicons)) {
    writeFileSync(join(dir, file), yaml);
    text = text.replace(/^lexicons:\n/m, `lexicons:\n  - ./${file}\n`);
  }
  for (const rule of extraRules) text = text.replace(/^rules:\n/m, `rules:\n  - ${rule}\n`);
  for (const [key, yaml] of Object.entries(sections)) {
    // Drop the section if present (top-level key up to the next top-level key), then append ours.
    text = text.replace(new RegExp(`^${key}:[^\\n]*\\n(?:[ #][^\\n]*\\n|\\n)*`, 'm'), '');
    text += `\n${key}:\n${yaml.replace(/^/gm, '  ')}\n`;
  }
  const location = join(dir, `${name}.yaml`);
  writeFileSync(location, text);
  return { location, roots: [root] };
}

/** As writeBundledPipelineWith, loaded and compiled. */
export async function bundledPipelineWith(
  name: string,
  sections: Record<string, string>,
): Promise<CompiledPipeline> {
  const { location, roots } = writeBundledPipelineWith(name, sections);
  return loadPipeline(location, { roots });
}
