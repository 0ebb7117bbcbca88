import { dirname, relative, resolve } from 'node:path';
import { type CompiledPipeline, compilePipeline, parseLexicon, parsePipeline } from './compile.js';
import { readLocalFile } from './file-store.js';
import { configSource } from './source.js';
import type { ReadText } from './store.js';

/** A lexicon path in a pipeline is relative to the pipeline, on disk or in a bucket. */
export function resolveRelative(base: string, rel: string): string {
  if (/^s3:\/\//.test(rel) || rel.startsWith('/')) return rel;
  if (base.startsWith('s3://')) return new URL(rel, base).href;
  return resolve(dirname(base), rel);
}

export function displayName(location: string): string {
  return location.startsWith('s3://') ? location : relative(process.cwd(), location) || location;
}

/** Loads a pipeline file and the lexicons it names (relative to it), validated and compiled. */
export async function loadPipeline(
  location: string,
  read: ReadText = readLocalFile,
): Promise<CompiledPipeline> {
  return (await loadPipelineWithFiles(location, read)).pipeline;
}

/** As loadPipeline, and the locations of every file it read (for change detection). */
export async function loadPipelineWithFiles(
  location: string,
  read: ReadText = readLocalFile,
): Promise<{ pipeline: CompiledPipeline; files: string[] }> {
  const pipeline = parsePipeline(configSource(displayName(location), await read(location)));
  const lexiconFiles = pipeline.value.lexicons.map((rel) => resolveRelative(location, rel));
  const lexicons = await Promise.all(
    lexiconFiles.map(async (path) => parseLexicon(configSource(displayName(path), await read(path)))),
  );
  return { pipeline: compilePipeline(pipeline, lexicons), files: [location, ...lexiconFiles] };
}
