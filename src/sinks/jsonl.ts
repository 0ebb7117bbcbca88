import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Sink } from './sink.js';

/** One JSON value per line to a file or stdout, waiting for 'drain' so memory stays bounded. */
export function jsonlSink(target: string | Writable): Sink<unknown> {
  const stream =
    typeof target === 'string' ? (target === '-' ? process.stdout : createWriteStream(target)) : target;
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
