import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { QaError } from '../errors.js';
import { type CompiledPipeline, compilePipeline, parseLexicon, parsePipeline } from './compile.js';
import { configSource } from './source.js';

/** Where config text comes from: files here; S3 later. */
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

/** Loads a pipeline file and the lexicons it names (relative to it), validated and compiled. */
export async function loadPipeline(
  location: string,
  read: ReadText = readLocalFile,
): Promise<CompiledPipeline> {
  const pipeline = parsePipeline(configSource(location, await read(location)));
  const base = dirname(location);
  const lexicons = await Promise.all(
    pipeline.value.lexicons.map(async (rel) => {
      const path = resolve(base, rel);
      return parseLexicon(configSource(relative(process.cwd(), path) || path, await read(path)));
    }),
  );
  return compilePipeline(pipeline, lexicons);
}
