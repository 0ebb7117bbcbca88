import type { S3Client } from '@aws-sdk/client-s3';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { logEvent } from '../events.js';
import { s3ArchiveSink } from '../sinks/s3-archive.js';
import { kafkaSource } from '../sources/kafka.js';

export interface ArchiverOptions {
  kafka: Kafka;
  s3: S3Client;
  bucket: string;
  prefix: string;
  topic: string;
  groupId: string;
  maxBytes: number;
  maxAgeMs: number;
  sessionTimeoutMs: number;
  logger: Logger;
}

/** `qa-screen archive`: the items topic (Kafka source) → gzip JSONL objects (S3 archive sink). */
export async function startArchiver(o: ArchiverOptions): Promise<{ stop(): Promise<void> }> {
  const sink = s3ArchiveSink(o);
  const source = kafkaSource({
    kafka: o.kafka,
    groupId: o.groupId,
    topics: [o.topic],
    fromBeginning: true,
    sessionTimeoutMs: o.sessionTimeoutMs,
    onAssignment: (_owned, assignment) => sink.retain(new Set(assignment[o.topic] ?? [])),
  });
  await source.run((batch) => sink.write(batch, batch.records));
  logEvent(o.logger, 'info', 'archive.start', { topic: o.topic, bucket: o.bucket, prefix: o.prefix });
  return {
    async stop() {
      // Committing needs group membership: stop fetching, flush what is buffered, then leave.
      source.pause();
      await sink.close();
      await source.stop();
    },
  };
}
