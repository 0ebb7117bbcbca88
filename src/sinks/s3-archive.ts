import { gzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from 'pino';
import { logEvent } from '../events.js';
import { retry } from '../retry.js';
import { s3Error } from '../s3/errors.js';
import type { KafkaBatch, KafkaRecord } from '../sources/kafka.js';
import type { Sink } from './sink.js';

export interface S3ArchiveOptions {
  s3: S3Client;
  bucket: string;
  prefix: string;
  topic: string;
  /** Roll an object when its uncompressed JSONL reaches this size… */
  maxBytes: number;
  /** …or when its first record has waited this long. */
  maxAgeMs: number;
  logger: Logger;
}

interface Buffered {
  startOffset: string;
  lastOffset: string;
  firstTimestamp: number;
  openedAt: number;
  lines: Buffer[];
  bytes: number;
  /** Saves the consumed position through the last buffered record. */
  commit: () => Promise<void>;
}

/**
 * The object a buffer goes to: derived only from its first record (timestamp → dt/hour, topic,
 * partition, start offset), so a rerun after a crash writes the same key again.
 */
export function archiveKey(
  prefix: string,
  topic: string,
  partition: number,
  startOffset: string,
  firstTimestamp: number,
): string {
  const d = new Date(firstTimestamp);
  const dt = d.toISOString().slice(0, 10);
  const hour = d.toISOString().slice(11, 13);
  const base = prefix.replace(/\/+$/, '');
  return `${base ? `${base}/` : ''}dt=${dt}/hour=${hour}/${topic}-${partition}-${startOffset.padStart(20, '0')}.jsonl.gz`;
}

export interface S3ArchiveSink extends Sink<KafkaRecord, KafkaBatch> {
  /** After a rebalance: buffers of partitions moved elsewhere are dropped (uncommitted, so re-read there). */
  retain(partitions: ReadonlySet<number>): void;
}

/**
 * Records (the screened items) to S3 as gzip JSONL, rolled by size and time. Crash-safe without
 * duplicates: the consumed position is committed only after the object is written, and a rerun
 * rebuilds from the committed offset with the same start, so it overwrites the same key — whatever
 * the new end offset, every record is in exactly one object.
 */
export function s3ArchiveSink(o: S3ArchiveOptions): S3ArchiveSink {
  const buffers = new Map<number, Buffered>();
  // One flush at a time per partition (writes and the age timer both flush).
  const locks = new Map<number, Promise<void>>();
  const locked = (partition: number, fn: () => Promise<void>) => {
    const next = (locks.get(partition) ?? Promise.resolve()).then(fn, fn);
    locks.set(
      partition,
      next.catch(() => undefined),
    );
    return next;
  };

  async function flush(partition: number) {
    const buf = buffers.get(partition);
    if (!buf || buf.lines.length === 0) return;
    const key = archiveKey(o.prefix, o.topic, partition, buf.startOffset, buf.firstTimestamp);
    await retry(
      async () => {
        try {
          await o.s3.send(
            new PutObjectCommand({
              Bucket: o.bucket,
              Key: key,
              Body: gzipSync(Buffer.concat(buf.lines)),
              ContentType: 'application/gzip',
              Metadata: {
                'first-offset': buf.startOffset,
                'last-offset': buf.lastOffset,
                records: String(buf.lines.length),
              },
            }),
          );
        } catch (err) {
          throw s3Error(
            err,
            { notFound: 'QA_ERR_S3_REFUSED', denied: 'QA_ERR_S3_REFUSED' },
            `bucket ${o.bucket}`,
          );
        }
      },
      { retries: 2 },
    );
    await buf.commit();
    buffers.delete(partition);
    logEvent(o.logger, 'info', 'archive.put', {
      key,
      partition,
      first: buf.startOffset,
      last: buf.lastOffset,
      records: buf.lines.length,
    });
  }

  const timer = setInterval(
    () => {
      for (const [p, buf] of buffers) {
        if (Date.now() - buf.openedAt >= o.maxAgeMs) {
          locked(p, () => flush(p)).catch((err: Error) =>
            logEvent(o.logger, 'warn', 'archive.retry', { partition: p, err: err.message }),
          );
        }
      }
    },
    Math.min(1000, o.maxAgeMs),
  );
  timer.unref();

  return {
    async write(batch, records) {
      for (const m of records) {
        await locked(batch.partition, async () => {
          let buf = buffers.get(batch.partition);
          // A batch consumed again after a failed put: keep each record once.
          if (buf && BigInt(m.offset) <= BigInt(buf.lastOffset)) return;
          if (!buf) {
            buf = {
              startOffset: m.offset,
              lastOffset: m.offset,
              firstTimestamp: m.timestamp,
              openedAt: Date.now(),
              lines: [],
              bytes: 0,
              commit: () => batch.commit(m),
            };
            buffers.set(batch.partition, buf);
          }
          const line = Buffer.concat([m.value ?? Buffer.alloc(0), Buffer.from('\n')]);
          buf.lines.push(line);
          buf.bytes += line.length;
          buf.lastOffset = m.offset;
          buf.commit = () => batch.commit(m);
          if (buf.bytes >= o.maxBytes) await flush(batch.partition);
        });
      }
    },
    retain(partitions) {
      for (const p of [...buffers.keys()]) if (!partitions.has(p)) buffers.delete(p);
    },
    async close() {
      clearInterval(timer);
      for (const p of [...buffers.keys()]) await locked(p, () => flush(p));
    },
  };
}
