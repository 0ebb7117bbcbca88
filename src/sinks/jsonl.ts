import { once } from 'node:events';
import { createWriteStream, fchmodSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Sink } from './sink.js';

export interface JsonlSinkOptions {
  /** File mode, applied even when the file already exists (0o600: only the owner may read it). */
  mode?: number;
}

function fileStream(path: string, mode: number | undefined): Writable {
  if (mode === undefined) return createWriteStream(path);
  const stream = createWriteStream(path, { mode });
  // `mode` only applies to a new file; an existing one keeps its own until changed, before any write.
  stream.once('open', (fd: number) => fchmodSync(fd, mode));
  return stream;
}

/** One JSON value per line to a file or stdout, waiting for 'drain' so memory stays bounded. */
export function jsonlSink(target: string | Writable, options: JsonlSinkOptions = {}): Sink<unknown> {
  const stream =
    typeof target === 'string'
      ? target === '-'
        ? process.stdout
        : fileStream(target, options.mode)
      : target;
  const owned = stream !== process.stdout && typeof target === 'string';
  return {
    async write(_batch, values) {
      for (const value of values)
        if (!stream.write(`${JSON.stringify(value)}\n`)) await once(stream, 'drain');
    },
    async close() {
      if (!owned) return;
      stream.end();
      await once(stream, 'finish');
    },
  };
}
