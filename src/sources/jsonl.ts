import type { Readable } from 'node:stream';
import type { InputRecord, Source } from './source.js';

export type JsonlLine =
  | { line: number; text: string; bytes: number }
  | { line: number; oversized: true; bytes: number };

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines without ever holding more than `maxLineBytes` of one line:
 * a hostile multi-gigabyte line is counted and skipped, not buffered. Blank lines are skipped.
 */
export async function* readJsonl(input: Readable, maxLineBytes: number): AsyncGenerator<JsonlLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let oversized = false;
  let line = 0;

  function* flush(): Generator<JsonlLine> {
    line++;
    if (oversized) {
      yield { line, oversized: true, bytes: size };
    } else if (size > 0) {
      const text = Buffer.concat(parts, size).toString('utf8').replace(/\r$/, '');
      if (text.trim().length > 0) yield { line, text, bytes: size };
    }
    parts = [];
    size = 0;
    oversized = false;
  }

  for await (const chunk of input) {
    const buf: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let from = 0;
    while (from < buf.length) {
      const nl = buf.indexOf(NEWLINE, from);
      const end = nl === -1 ? buf.length : nl;
      const piece = buf.subarray(from, end);
      size += piece.length;
      if (size > maxLineBytes) {
        oversized = true;
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

export interface JsonlRecord extends InputRecord {
  /** 1-based line number in the input. */
  readonly line: number;
  readonly value: string | undefined;
}

/**
 * JSON Lines from a file or a stream (stdin): one record per non-blank line, in batches of up to
 * `batchSize` lines. A line over `maxLineBytes` arrives without its value (counted, never buffered).
 */
export function jsonlSource(options: {
  input: Readable;
  maxLineBytes: number;
  name?: string;
  batchSize?: number;
}): Source<JsonlRecord> {
  const batchSize = options.batchSize ?? 64;
  let stopped = false;
  const noCommit = async () => {};
  return {
    name: options.name ?? 'jsonl',
    async run(onBatch) {
      let records: JsonlRecord[] = [];
      for await (const line of readJsonl(options.input, options.maxLineBytes)) {
        if (stopped) break;
        records.push({
          line: line.line,
          bytes: line.bytes,
          value: 'oversized' in line ? undefined : line.text,
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
