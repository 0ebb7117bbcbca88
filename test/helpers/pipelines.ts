import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CompiledPipeline } from '../../src/config/compile.js';
import { loadPipeline } from '../../src/config/load.js';

/**
 * A bundled pipeline with some top-level sections replaced (YAML appended after removing them),
 * written to a temporary folder; its lexicons stay the bundled ones.
 */
export async function bundledPipelineWith(
  name: string,
  sections: Record<string, string>,
): Promise<CompiledPipeline> {
  const root = resolve('.');
  let text = readFileSync(join(root, 'pipelines', `${name}.yaml`), 'utf8').replaceAll(
    '../lexicons/',
    `${root}/lexicons/`,
  );
  for (const [key, yaml] of Object.entries(sections)) {
    // Drop the section if present (top-level key up to the next top-level key), then append ours.
    text = text.replace(new RegExp(`^${key}:[^\\n]*\\n(?:[ #][^\\n]*\\n|\\n)*`, 'm'), '');
    text += `\n${key}:\n${yaml.replace(/^/gm, '  ')}\n`;
  }
  const dir = mkdtempSync(join(tmpdir(), 'qa-pipeline-'));
  const location = join(dir, `${name}.yaml`);
  writeFileSync(location, text);
  return loadPipeline(location, { roots: [root] });
}
