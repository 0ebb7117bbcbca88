import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLocalFile } from '../../src/config/file-store.js';
import { defaultRoot, loadPipeline } from '../../src/config/load.js';
import { QaError } from '../../src/errors.js';

const LEXICON = `lexicon: words
language: zh
categories:
  rude:
    severity: major
    points: 3
    phrases: [不知道]
`;

const pipeline = (lexicons: string[]) => `pipeline: test
version: "1"
channel: chat
language: zh
lexicons:
${lexicons.map((l) => `  - ${JSON.stringify(l)}`).join('\n')}
rules:
  - id: forbidden
    type: phrase
    match: { lexicon: words }
scoring:
  scheme: s
`;

/** A project folder: pipelines/p.yaml and lexicons/words.yaml, side by side as bundled. */
function project(lexicons: string[]) {
  const root = mkdtempSync(join(tmpdir(), 'qa-load-'));
  mkdirSync(join(root, 'pipelines'));
  mkdirSync(join(root, 'lexicons'));
  writeFileSync(join(root, 'lexicons', 'words.yaml'), LEXICON);
  const location = join(root, 'pipelines', 'p.yaml');
  writeFileSync(location, pipeline(lexicons));
  return { root, location };
}

/** Counts what the loader reads. */
function countingRead() {
  const reads: string[] = [];
  return {
    reads,
    read: async (location: string) => {
      reads.push(location);
      return readLocalFile(location);
    },
  };
}

async function loadError(location: string, options = {}): Promise<QaError> {
  const err = await loadPipeline(location, options).catch((e: unknown) => e);
  if (!(err instanceof QaError)) throw new Error(`expected a QaError, got ${String(err)}`);
  return err;
}

describe('loading a pipeline and its lexicons', () => {
  it('loads lexicons from the folder beside the pipeline folder (the bundled layout)', async () => {
    const { location } = project(['../lexicons/words.yaml']);
    expect((await loadPipeline(location)).lexicons.map((l) => l.id)).toEqual(['words']);
  });

  it('refuses a lexicon listed many times before reading or parsing any of them', async () => {
    const { location } = project(Array(50).fill('../lexicons/words.yaml'));
    const { reads, read } = countingRead();
    const err = await loadError(location, { read });
    expect(err.code).toBe('QA_ERR_CONFIG_INVALID');
    expect(err.details).toHaveLength(49);
    expect(err.details[0]).toMatch(
      /p\.yaml:7:5 lexicons\[1\]: the same file as lexicons\[0\] is listed twice$/,
    );
    expect(reads).toEqual([location]);
  });

  it('refuses two lexicon files with the same content before parsing them', async () => {
    const { root, location } = project(['../lexicons/a.yaml', '../lexicons/b.yaml']);
    // Not even YAML: a parse would fail with QA_ERR_CONFIG_YAML first.
    writeFileSync(join(root, 'lexicons', 'a.yaml'), 'x: [');
    writeFileSync(join(root, 'lexicons', 'b.yaml'), 'x: [');
    const err = await loadError(location);
    expect(err.code).toBe('QA_ERR_CONFIG_INVALID');
    expect(err.details).toEqual([
      expect.stringMatching(/lexicons\[1\]: has the same content as lexicons\[0\]$/),
    ]);
  });

  it('confines lexicon paths to the project folder: /proc, absolute paths, ../ and symbolic links out are refused unread', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'qa-outside-'));
    writeFileSync(join(outside, 'secret.yaml'), 'password: hunter2\n');
    const { root, location } = project([
      '/proc/self/environ',
      join(outside, 'secret.yaml'),
      '../../outside.yaml',
      '../lexicons/link.yaml',
    ]);
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'lexicons', 'link.yaml'));
    const { reads, read } = countingRead();
    const err = await loadError(location, { read });
    expect(err.code).toBe('QA_ERR_CONFIG_INVALID');
    expect(err.details).toHaveLength(4);
    for (const [i, d] of err.details.entries())
      expect(d).toMatch(
        new RegExp(
          `lexicons\\[${i}\\]: ".+" is outside the folders lexicons may come from \\(${root}\\); allow more with --config-root$`,
        ),
      );
    expect(reads).toEqual([location]);
    expect(err.details.join('\n')).not.toContain('hunter2');
  });

  it('reads lexicons from more places when --config-root allows them', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'qa-shared-'));
    writeFileSync(join(elsewhere, 'words.yaml'), LEXICON);
    const { location } = project([join(elsewhere, 'words.yaml')]);
    expect((await loadError(location)).code).toBe('QA_ERR_CONFIG_INVALID');
    const p = await loadPipeline(location, { roots: [elsewhere] });
    expect(p.lexicons.map((l) => l.id)).toEqual(['words']);
  });

  it('takes the bucket as the root of a pipeline in S3, and never the top of the file system', () => {
    expect(defaultRoot('s3://qa-config/pipelines/chat-zh.yaml')).toBe('s3://qa-config/');
    expect(defaultRoot('/srv/qa/pipelines/p.yaml')).toBe('/srv/qa');
    expect(defaultRoot('/p/x.yaml')).toBe('/p');
  });
});
