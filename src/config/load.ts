import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { QaError } from '../errors.js';
import { type CompiledPipeline, compilePipeline, parseLexicon, parsePipeline } from './compile.js';
import { configSource } from './source.js';

/** Where config text comes from (files, S3), and a cheap fingerprint to notice changes (mtime, ETag). */
export interface ConfigStore {
  read(location: string): Promise<string>;
  fingerprint(location: string): Promise<string>;
}

/** Where config text comes from: files here; S3 through a ConfigStore. */
export type ReadText = (location: string) => Promise<string>;

export const readLocalFile: ReadText = async (location) => {
  try {
    return await readFile(location, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new QaError('QA_ERR_CONFIG_NOT_FOUND', location);
    throw err;
  }
};

export const localStore: ConfigStore = {
  read: readLocalFile,
  async fingerprint(location) {
    const s = await stat(location).catch(() => undefined);
    return s ? `${s.mtimeMs}:${s.size}` : 'missing';
  },
};

/** A lexicon path in a pipeline is relative to the pipeline, on disk or in a bucket. */
export function resolveRelative(base: string, rel: string): string {
  if (/^s3:\/\//.test(rel) || rel.startsWith('/')) return rel;
  if (base.startsWith('s3://')) return new URL(rel, base).href;
  return resolve(dirname(base), rel);
}

function displayName(location: string): string {
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
