import { readFile, stat } from 'node:fs/promises';
import { QaError } from '../errors.js';
import type { ConfigStore, ReadText } from './store.js';

export const readLocalFile: ReadText = async (location) => {
  try {
    return await readFile(location, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new QaError('QA_ERR_CONFIG_NOT_FOUND', location);
    throw err;
  }
};

/** Config files on disk; a change is noticed by mtime and size. */
export const localStore: ConfigStore = {
  read: readLocalFile,
  async fingerprint(location) {
    const s = await stat(location).catch(() => undefined);
    return s ? `${s.mtimeMs}:${s.size}` : 'missing';
  },
};
