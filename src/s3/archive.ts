import { gzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';

export interface ArchiveOptions {
  kafka: Kafka;
  s3: S3Client;
  bucket: string;
  prefix: string;
  topic: string;
  groupId: string;
  /** Roll an object when its uncompressed JSONL reaches this size… */
  maxBytes: number;
  /** …or when its first record has waited this long. */
  maxAgeMs: number;
  /** How long a crashed archiver keeps its partitions before the group reassigns them. */
  sessionTimeoutMs?: number;
  logger: Logger;
}

interface Buffered {
  startOffset: string;
  lastOffset: string;
  firstTimestamp: number;
  openedAt: number;
  lines: Buffer[];
  bytes: number;
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

/**
 * Archives a topic's records (the screened items) to S3 as gzip JSONL, rolled by size and time.
 * Crash-safe without duplicates: offsets are committed only after the object is written, and a
 * rerun rebuilds from the committed offset with the same start, so it overwrites the same key —
 * whatever the new end offset, every record is in exactly one object.
 */
export async function startArchiver(o: ArchiveOptions): Promise<{ stop(): Promise<void> }> {
  const sessionTimeout = o.sessionTimeoutMs ?? 30_000;
  const consumer: Consumer = o.kafka.consumer({
    groupId: o.groupId,
    readUncommitted: false,
    maxWaitTimeInMs: 1000,
    sessionTimeout,
    heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 10)),
  });
  const buffers = new Map<number, Buffered>();
  // One flush at a time per partition (the batch handler and the age timer both flush).
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
    await consumer.commitOffsets([
      { topic: o.topic, partition, offset: (BigInt(buf.lastOffset) + 1n).toString() },
    ]);
    buffers.delete(partition);
    o.logger.info(
      {
        event: 'archive.put',
        key,
        partition,
        first: buf.startOffset,
        last: buf.lastOffset,
        records: buf.lines.length,
      },
      'archived',
    );
  }

  async function eachBatch({ batch, heartbeat, isRunning, isStale }: EachBatchPayload) {
    for (const m of batch.messages) {
      if (!isRunning() || isStale()) return;
      await locked(batch.partition, async () => {
        let buf = buffers.get(batch.partition);
        // A batch retried after a failed put is consumed again: keep each record once.
        if (buf && BigInt(m.offset) <= BigInt(buf.lastOffset)) return;
        if (!buf) {
          buf = {
            startOffset: m.offset,
            lastOffset: m.offset,
            firstTimestamp: Number(m.timestamp),
            openedAt: Date.now(),
            lines: [],
            bytes: 0,
          };
          buffers.set(batch.partition, buf);
        }
        const line = Buffer.concat([m.value ?? Buffer.alloc(0), Buffer.from('\n')]);
        buf.lines.push(line);
        buf.bytes += line.length;
        buf.lastOffset = m.offset;
        if (buf.bytes >= o.maxBytes) await flush(batch.partition);
      });
    }
    await heartbeat();
  }

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    // Buffers of partitions moved elsewhere are dropped: uncommitted, so their new owner archives them.
    const owned = new Set(e.payload.memberAssignment[o.topic] ?? []);
    for (const p of [...buffers.keys()]) if (!owned.has(p)) buffers.delete(p);
  });

  const timer = setInterval(
    () => {
      for (const [p, buf] of buffers) {
        if (Date.now() - buf.openedAt >= o.maxAgeMs) {
          locked(p, () => flush(p)).catch((err: Error) =>
            o.logger.warn(
              { event: 'archive.retry', partition: p, err: err.message },
              'archive put failed; will retry',
            ),
          );
        }
      }
    },
    Math.min(1000, o.maxAgeMs),
  );
  timer.unref();

  await consumer.connect();
  await consumer.subscribe({ topic: o.topic, fromBeginning: true });
  await consumer.run({ autoCommit: false, eachBatchAutoResolve: true, eachBatch });
  o.logger.info(
    { event: 'archive.start', topic: o.topic, bucket: o.bucket, prefix: o.prefix },
    'archiver started',
  );

  return {
    async stop() {
      clearInterval(timer);
      // Commit needs group membership: pause, flush what is buffered, then leave.
      consumer.pause([{ topic: o.topic }]);
      for (const p of [...buffers.keys()]) await locked(p, () => flush(p));
      await consumer.disconnect();
    },
  };
}
