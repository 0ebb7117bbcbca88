import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, parse, relative, resolve } from 'node:path';
import { QaError } from '../errors.js';
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

export interface LoadOptions {
  /** Where the config text comes from (default: local files). */
  read?: ReadText;
  /**
   * Folders and `s3://bucket[/prefix]` locations lexicon files may also come from, besides the
   * pipeline's own project folder or bucket (see defaultRoot).
   */
  roots?: readonly string[];
}

/**
 * Where a pipeline's lexicons may come from unless more is allowed: for a pipeline in a bucket, that
 * bucket; on disk, the folder that holds the pipeline's folder (`pipelines/` and `lexicons/` side by
 * side, as bundled), or the pipeline's own folder when that one is at the top of the file system.
 */
export function defaultRoot(pipelineLocation: string): string {
  if (pipelineLocation.startsWith('s3://')) return `s3://${pipelineLocation.slice(5).split('/')[0]}/`;
  const folder = dirname(resolve(pipelineLocation));
  const above = dirname(folder);
  return above === parse(above).root ? folder : above;
}

function inside(location: string, root: string): boolean {
  if (root.startsWith('s3://') || location.startsWith('s3://')) {
    if (!root.startsWith('s3://') || !location.startsWith('s3://')) return false;
    const prefix = root.endsWith('/') ? root : `${root}/`;
    return location.startsWith(prefix) || location === root;
  }
  const rel = relative(resolve(root), location);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The location with symbolic links resolved (local files), so a link cannot lead out of a root. */
async function canonical(location: string): Promise<string> {
  if (location.startsWith('s3://')) return location;
  return realpath(location).catch(() => location);
}

/** Loads a pipeline file and the lexicons it names (relative to it), validated and compiled. */
export async function loadPipeline(
  location: string,
  options: LoadOptions | ReadText = {},
): Promise<CompiledPipeline> {
  return (await loadPipelineWithFiles(location, options)).pipeline;
}

/**
 * As loadPipeline, and the locations of every file it read (for change detection). Lexicon paths
 * are checked before anything is read: each must lie inside an allowed root (symbolic links
 * resolved), and none may be listed twice; files with the same content are refused before parsing.
 */
export async function loadPipelineWithFiles(
  location: string,
  readOrOptions: LoadOptions | ReadText = {},
): Promise<{ pipeline: CompiledPipeline; files: string[] }> {
  const options = typeof readOrOptions === 'function' ? { read: readOrOptions } : readOrOptions;
  const read = options.read ?? readLocalFile;
  const pipeline = parsePipeline(configSource(displayName(location), await read(location)));
  const roots = [
    defaultRoot(location),
    ...(options.roots ?? []).map((r) => (r.startsWith('s3://') ? r : resolve(r))),
  ];
  const canonicalRoots = await Promise.all(roots.map(canonical));
  const listed = pipeline.value.lexicons;
  const lexiconFiles = listed.map((rel) => resolveRelative(location, rel));
  const issues: string[] = [];
  const outside = `outside the folders lexicons may come from (${roots.join(', ')}); allow more with --config-root`;
  const seen = new Map<string, number>();
  const real = await Promise.all(
    lexiconFiles.map(async (file) => (roots.some((r) => inside(file, r)) ? canonical(file) : undefined)),
  );
  lexiconFiles.forEach((file, i) => {
    const target = real[i];
    if (target === undefined || !canonicalRoots.some((r) => inside(target, r))) {
      issues.push(pipeline.issueAt(['lexicons', i], `"${listed[i]}" is ${outside}`));
      return;
    }
    const first = seen.get(target) ?? seen.get(file);
    if (first !== undefined) {
      issues.push(pipeline.issueAt(['lexicons', i], `the same file as lexicons[${first}] is listed twice`));
      return;
    }
    seen.set(target, i);
    seen.set(file, i);
  });
  if (issues.length > 0) throw new QaError('QA_ERR_CONFIG_INVALID', pipeline.source.name, issues);

  const texts = await Promise.all(lexiconFiles.map((path) => read(path)));
  const byContent = new Map<string, number>();
  texts.forEach((text, i) => {
    const hash = createHash('sha256').update(text).digest('hex');
    const first = byContent.get(hash);
    if (first !== undefined)
      issues.push(pipeline.issueAt(['lexicons', i], `has the same content as lexicons[${first}]`));
    else byContent.set(hash, i);
  });
  if (issues.length > 0) throw new QaError('QA_ERR_CONFIG_INVALID', pipeline.source.name, issues);

  const lexicons = texts.map((text, i) => parseLexicon(configSource(displayName(lexiconFiles[i]!), text)));
  return { pipeline: compilePipeline(pipeline, lexicons), files: [location, ...lexiconFiles] };
}
