import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

export interface JsonlSink {
  write(value: unknown): Promise<void>;
  close(): Promise<void>;
}

/** Writes one JSON value per line, waiting for 'drain' so memory stays bounded on slow outputs. */
export function jsonlSink(target: string | Writable): JsonlSink {
  const stream =
    typeof target === 'string' ? (target === '-' ? process.stdout : createWriteStream(target)) : target;
  const owned = stream !== process.stdout && typeof target === 'string';
  return {
    async write(value) {
      if (!stream.write(`${JSON.stringify(value)}\n`)) await once(stream, 'drain');
    },
    async close() {
      if (!owned) return;
      stream.end();
      await once(stream, 'finish');
    },
  };
}
