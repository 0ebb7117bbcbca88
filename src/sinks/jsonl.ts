import { once } from 'node:events';
import { createWriteStream, fchmodSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { QaError } from '../errors.js';
import type { Sink } from './sink.js';

export interface JsonlSinkOptions {
  /** File mode, applied even when the file already exists (0o600: only the owner may read it). */
  mode?: number;
}

function fileStream(path: string, mode: number | undefined) {
  if (mode === undefined) return createWriteStream(path);
  const stream = createWriteStream(path, { mode });
  // `mode` only applies to a new file; an existing one keeps its own until changed, before any write.
  stream.once('open', (fd: number) => fchmodSync(fd, mode));
  return stream;
}

/** A value already serialised (a screened item's JSON, measured when it was bounded): written as is. */
export class JsonText {
  constructor(readonly text: string) {}
}

/** A record written piece by piece: used for a value too large to hold in memory. */
export interface StreamedRecord {
  write(bytes: Buffer): Promise<void>;
  end(tail: Record<string, unknown>): Promise<void>;
}

export interface JsonlSink extends Sink<unknown> {
  /** Records written so far. */
  readonly records: number;
  /**
   * One record whose `field` holds bytes too many to hold, as base64 streamed as they come: the
   * `head` fields, then the bytes, then the `tail` fields (known only at the end, e.g. a length).
   */
  streamRecord(head: Record<string, unknown>, field: string): StreamedRecord;
}

/**
 * One JSON value per line to a file or stdout, waiting for 'drain' so memory stays bounded. A reader
 * that goes away (`| head`, EPIPE) fails the next write with QA_ERR_OUTPUT_CLOSED.
 */
export function jsonlSink(target: string | Writable, options: JsonlSinkOptions = {}): JsonlSink {
  const stream: Writable =
    typeof target === 'string'
      ? target === '-'
        ? process.stdout
        : fileStream(target, options.mode)
      : target;
  return sinkOn(stream, stream !== process.stdout && typeof target === 'string');
}

function sinkOn(stream: Writable, owned: boolean): JsonlSink {
  let failure: Error | undefined;
  let records = 0;
  const closed = (err: NodeJS.ErrnoException) =>
    err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED'
      ? new QaError('QA_ERR_OUTPUT_CLOSED', `${records} record(s) written`)
      : err;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    failure ??= closed(err);
  });
  const put = async (text: string) => {
    if (failure) throw failure;
    if (!stream.write(text)) {
      try {
        await once(stream, 'drain');
      } catch (err) {
        failure ??= closed(err as NodeJS.ErrnoException);
        throw failure;
      }
    }
    if (failure) throw failure;
  };
  return {
    get records() {
      return records;
    },
    async write(_batch, values) {
      for (const value of values) {
        await put(`${value instanceof JsonText ? value.text : JSON.stringify(value)}\n`);
        records++;
      }
    },
    streamRecord(head, field) {
      const opening = JSON.stringify(head);
      let started = false;
      // base64 goes out in whole 3-byte groups; the remainder waits for the next piece.
      let carry = Buffer.alloc(0);
      const begin = async () => {
        if (started) return;
        started = true;
        await put(`${opening.slice(0, -1)}${opening.length > 2 ? ',' : ''}${JSON.stringify(field)}:"`);
      };
      return {
        async write(bytes) {
          await begin();
          const all = carry.length > 0 ? Buffer.concat([carry, bytes]) : bytes;
          const whole = all.length - (all.length % 3);
          carry = Buffer.from(all.subarray(whole));
          if (whole > 0) await put(all.subarray(0, whole).toString('base64'));
        },
        async end(tail) {
          await begin();
          const closing = JSON.stringify(tail);
          await put(`${carry.toString('base64')}"${closing.length > 2 ? `,${closing.slice(1)}` : '}'}\n`);
          carry = Buffer.alloc(0);
          records++;
        },
      };
    },
    async close() {
      if (!owned) return;
      stream.end();
      await once(stream, 'finish');
    },
  };
}

/** As jsonlSink on a file, once the file is open: a path that cannot be written fails here, not mid-run. */
export async function openJsonlSink(target: string, options: JsonlSinkOptions = {}): Promise<JsonlSink> {
  if (target === '-') return jsonlSink('-');
  const stream = fileStream(target, options.mode);
  await once(stream, 'open');
  return sinkOn(stream, true);
}
