import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { QaError } from '../errors.js';
import type { InputRecord, Source } from './source.js';

export type JsonlLine =
  | { line: number; text: string; bytes: number }
  /** Not valid UTF-8 (e.g. GBK): its bytes, for the rejects file. */
  | { line: number; notUtf8: Buffer; bytes: number }
  /** Over the line limit: never held; its bytes went to the spill, when one was given. */
  | { line: number; oversized: true; bytes: number; spilled: boolean };

/** Where the bytes of a line too long to hold go, piece by piece, as they are read (the rejects file). */
export interface LineSpill {
  write(piece: Buffer): Promise<void>;
  end(bytes: number): Promise<void>;
}

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines without ever holding more than `maxLineBytes` of one line:
 * a hostile multi-gigabyte line is counted and its bytes handed to `spill` as they come (or
 * dropped), never buffered. Blank lines are skipped; invalid UTF-8 is reported, not decoded into
 * U+FFFD (which would make forbidden phrases vanish).
 */
export async function* readJsonl(
  input: AsyncIterable<Buffer | string>,
  maxLineBytes: number,
  options: { spill?: (line: number) => LineSpill } = {},
): AsyncGenerator<JsonlLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let spill: LineSpill | undefined;
  let oversized = false;
  let line = 0;

  async function* flush(): AsyncGenerator<JsonlLine> {
    line++;
    if (oversized) {
      await spill?.end(size);
      yield { line, oversized: true, bytes: size, spilled: spill !== undefined };
    } else if (size > 0) {
      const buffer = Buffer.concat(parts, size);
      if (!isUtf8(buffer)) {
        yield { line, notUtf8: buffer, bytes: size };
      } else {
        const text = buffer.toString('utf8').replace(/\r$/, '');
        if (text.trim().length > 0) yield { line, text, bytes: size };
      }
    }
    parts = [];
    size = 0;
    oversized = false;
    spill = undefined;
  }

  for await (const chunk of input) {
    const buf: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let from = 0;
    while (from < buf.length) {
      const nl = buf.indexOf(NEWLINE, from);
      const end = nl === -1 ? buf.length : nl;
      const piece = buf.subarray(from, end);
      size += piece.length;
      if (oversized) {
        if (piece.length > 0) await spill?.write(piece);
      } else if (size > maxLineBytes) {
        oversized = true;
        spill = options.spill?.(line + 1);
        for (const held of parts) await spill?.write(held);
        await spill?.write(piece);
        parts = [];
      } else if (piece.length > 0) {
        parts.push(piece);
      }
      if (nl === -1) break;
      yield* flush();
      from = nl + 1;
    }
  }
  if (size > 0 || oversized) yield* flush();
}

const GZIP = [0x1f, 0x8b];

/**
 * A JSONL input as bytes: a file or stdin (`-`), decompressed when it starts with gzip's magic
 * bytes (so the archive's own `.jsonl.gz` objects read back). `onRead` counts the bytes taken from
 * the file itself, compressed or not (progress).
 */
export async function* openInput(path: string, onRead?: (bytes: number) => void): AsyncGenerator<Buffer> {
  const raw: AsyncIterable<Buffer> = path === '-' ? process.stdin : createReadStream(path);
  const it = raw[Symbol.asyncIterator]();
  const counted = async () => {
    const next = await it.next();
    if (!next.done) onRead?.(next.value.length);
    return next;
  };
  let head = Buffer.alloc(0);
  while (head.length < GZIP.length) {
    const next = await counted();
    if (next.done) break;
    head = Buffer.concat([head, next.value]);
  }
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    for (;;) {
      const next = await counted();
      if (next.done) return;
      yield next.value;
    }
  }
  if (head[0] !== GZIP[0] || head[1] !== GZIP[1]) {
    yield* rest();
    return;
  }
  const gunzip = createGunzip();
  const feeding = pipeline(Readable.from(rest()), gunzip).catch(() => undefined);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (err) {
    throw new QaError(
      'QA_ERR_USAGE',
      `${path}: gzip data is corrupt (${(err as { code?: string }).code ?? 'error'})`,
    );
  } finally {
    gunzip.destroy();
    await feeding;
  }
}

export interface JsonlRecord extends InputRecord {
  /** 1-based line number in the input. */
  readonly line: number;
  /** The line's text, or its bytes when it is not UTF-8; undefined when it was over the limit. */
  readonly value: string | Buffer | undefined;
  /** Over the limit and already written out by the source's `spill`. */
  readonly spilled?: boolean;
}

/**
 * JSON Lines from a byte stream (a file, stdin): one record per non-blank line, in batches of up to
 * `batchSize` lines. A line over `maxLineBytes` arrives without its value (counted, never buffered;
 * its bytes go to `spill` when given).
 */
export function jsonlSource(options: {
  input: AsyncIterable<Buffer | string>;
  maxLineBytes: number;
  name?: string;
  batchSize?: number;
  spill?: (line: number) => LineSpill;
}): Source<JsonlRecord> {
  const batchSize = options.batchSize ?? 64;
  let stopped = false;
  const noCommit = async () => {};
  return {
    name: options.name ?? 'jsonl',
    async run(onBatch) {
      let records: JsonlRecord[] = [];
      const lines = readJsonl(
        options.input,
        options.maxLineBytes,
        options.spill ? { spill: options.spill } : {},
      );
      for await (const line of lines) {
        if (stopped) break;
        records.push({
          line: line.line,
          bytes: line.bytes,
          value: 'text' in line ? line.text : 'notUtf8' in line ? line.notUtf8 : undefined,
          ...('spilled' in line && line.spilled && { spilled: true }),
        });
        if (records.length >= batchSize) {
          await onBatch({ records, commit: noCommit });
          records = [];
        }
      }
      if (records.length > 0 && !stopped) await onBatch({ records, commit: noCommit });
    },
    async stop() {
      stopped = true;
    },
  };
}
