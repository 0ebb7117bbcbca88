import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLocalFile } from '../../src/config/file-store.js';
import type { QaError } from '../../src/errors.js';

describe('reading a config file', () => {
  it('refuses a file over the size limit from its size, without reading it (a sparse 1 GiB file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-big-'));
    const big = join(dir, 'big.yaml');
    writeFileSync(big, '');
    truncateSync(big, 1024 ** 3);
    const err = await readLocalFile(big).catch((e: unknown) => e);
    expect((err as QaError).code).toBe('QA_ERR_CONFIG_TOO_LARGE');
  });

  it('stops reading an endless device (/dev/zero) at the size limit', async () => {
    const err = await readLocalFile('/dev/zero').catch((e: unknown) => e);
    expect((err as QaError).code).toBe('QA_ERR_CONFIG_TOO_LARGE');
  });

  it('names a missing, unreadable or folder path as a config error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-read-'));
    for (const path of [join(dir, 'missing.yaml'), dir]) {
      const err = await readLocalFile(path).catch((e: unknown) => e);
      expect((err as QaError).code).toBe('QA_ERR_CONFIG_NOT_FOUND');
    }
  });
});
