import { open, stat } from 'node:fs/promises';
import { QaError } from '../errors.js';
import { MAX_CONFIG_BYTES } from './source.js';
import type { ConfigStore, ReadText } from './store.js';

const CHUNK = 64 * 1024;

function notReadable(location: string, err: NodeJS.ErrnoException): QaError {
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR')
    return new QaError('QA_ERR_CONFIG_NOT_FOUND', location);
  const why = err.code === 'EACCES' ? 'permission denied' : err.code;
  return new QaError('QA_ERR_CONFIG_NOT_FOUND', `${location}: not readable (${why})`);
}

/**
 * Reads a config file without ever holding more than the size limit: a regular file over the limit
 * is refused from its size alone, and anything else (a device such as /dev/zero, a pipe) is read
 * until the limit and refused past it.
 */
export const readLocalFile: ReadText = async (location) => {
  const file = await open(location, 'r').catch((err: NodeJS.ErrnoException) => {
    throw notReadable(location, err);
  });
  try {
    const info = await file.stat();
    if (info.isDirectory())
      throw new QaError('QA_ERR_CONFIG_NOT_FOUND', `${location}: not readable (is a folder)`);
    const tooLarge = () =>
      new QaError('QA_ERR_CONFIG_TOO_LARGE', `${location} is over ${MAX_CONFIG_BYTES} bytes`);
    if (info.isFile() && info.size > MAX_CONFIG_BYTES) throw tooLarge();
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await file.read(buffer, 0, CHUNK, null).catch((err) => {
        throw notReadable(location, err as NodeJS.ErrnoException);
      });
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_CONFIG_BYTES) throw tooLarge();
      parts.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(parts, total).toString('utf8');
  } finally {
    await file.close();
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
