import type { Logger } from 'pino';
import type { KafkaSettings } from '../config/settings.js';
import { isQaError, QaError } from '../errors.js';
import { logEvent } from '../events.js';
import { createKafka } from '../kafka/client.js';
import { type KafkaBatch, type KafkaSource, kafkaSource } from '../sources/kafka.js';
import type { Db } from './db.js';
import { ingestItems, parseItem } from './ingest.js';
import type { ReviewMetrics } from './metrics.js';
import type { PipelineCatalog } from './pipelines.js';

export interface KafkaIngestOptions {
  db: Db;
  catalog: PipelineCatalog;
  kafka: KafkaSettings & { brokers: string[] };
  topic: string;
  groupId: string;
  calibrationReviewers: number;
  logger: Logger;
  metrics?: ReviewMetrics;
  onFatal?: (err: Error) => void;
}

export interface KafkaIngest {
  ready(): boolean;
  stop(): Promise<void>;
}

/** A retriable error: kafkajs consumes the batch again (after the seek, from the stored offset). */
class Reposition extends QaError {
  constructor(detail: string) {
    super('QA_ERR_KAFKA_UNAVAILABLE', detail);
  }
}

/**
 * `qa-screen review ingest`: the items topic → PostgreSQL, exactly once. Each batch's items are
 * upserted in the same database transaction that advances the partition's row in kafka_offsets, so
 * a crash (kill -9 included) either stored both or neither. The database is the source of truth
 * for positions: on assignment the consumer seeks to the stored offsets, and inside the transaction
 * the offset row is locked and records below it are skipped, so a redelivered batch or a zombie
 * member after a rebalance cannot store an item twice. Kafka's own committed offsets are advanced
 * afterwards for lag tooling only.
 */
export async function startKafkaIngest(o: KafkaIngestOptions): Promise<KafkaIngest> {
  const kafka = createKafka({ ...o.kafka, clientId: `${o.kafka.clientId}-review` }, o.logger);
  const storedOffset = async (partition: number): Promise<string | undefined> => {
    const [row] = await o.db.query<{ next_offset: string }>(
      `SELECT next_offset::text AS next_offset FROM kafka_offsets
        WHERE consumer_group = $1 AND topic = $2 AND partition = $3`,
      [o.groupId, o.topic, partition],
    );
    return row?.next_offset;
  };
  let source: KafkaSource | undefined;
  source = kafkaSource({
    kafka,
    groupId: o.groupId,
    topics: [o.topic],
    fromBeginning: true,
    fetchMaxBytes: o.kafka.fetchMaxBytes,
    partitionFetchMaxBytes: o.kafka.partitionFetchMaxBytes,
    maxWaitMs: o.kafka.maxWaitMs,
    sessionTimeoutMs: o.kafka.sessionTimeoutMs,
    partitionsConcurrently: o.kafka.partitionsConcurrently,
    onAssignment: (_owned, assignment) => {
      for (const partition of assignment[o.topic] ?? []) {
        storedOffset(partition)
          .then((offset) => {
            if (offset === undefined) return;
            source!.seek(o.topic, partition, offset);
            logEvent(o.logger, 'info', 'ingest.seek', { topic: o.topic, partition, offset });
          })
          .catch(() => undefined);
      }
    },
    onCrash: (err, restart) => {
      if (!restart) o.onFatal?.(err);
    },
  });

  const ingestOptions = {
    catalog: o.catalog,
    calibrationReviewers: o.calibrationReviewers,
    knownSnapshots: new Set<string>(),
  };
  const onBatch = async (batch: KafkaBatch) => {
    let inserted = 0;
    let duplicates = 0;
    let invalid = 0;
    await o.db
      .transaction(async (tx) => {
        await tx.query(
          `INSERT INTO kafka_offsets (consumer_group, topic, partition, next_offset) VALUES ($1, $2, $3, 0)
           ON CONFLICT DO NOTHING`,
          [o.groupId, batch.topic, batch.partition],
        );
        const [row] = await tx.query<{ next_offset: string }>(
          `SELECT next_offset::text AS next_offset FROM kafka_offsets
            WHERE consumer_group = $1 AND topic = $2 AND partition = $3 FOR UPDATE`,
          [o.groupId, batch.topic, batch.partition],
        );
        const stored = BigInt(row!.next_offset);
        const fresh = batch.records.filter((r) => BigInt(r.offset) >= stored);
        if (fresh.length === 0) return;
        if (BigInt(fresh[0]!.offset) > stored && stored > 0n) {
          // Kafka is ahead of the database (e.g. a restored database): go back, store nothing now.
          source!.seek(batch.topic, batch.partition, stored.toString());
          throw new Reposition(`partition ${batch.partition} at ${fresh[0]!.offset}, database at ${stored}`);
        }
        const items: Array<ReturnType<typeof parseItem>> = [];
        for (const record of fresh) {
          try {
            items.push(parseItem(record.value?.toString('utf8') ?? ''));
          } catch (err) {
            // A bad item is skipped (its offset still advances), never a reason to stop the partition.
            invalid++;
            logEvent(o.logger, 'warn', 'ingest.invalid_item', {
              topic: batch.topic,
              partition: batch.partition,
              offset: record.offset,
              code: isQaError(err) ? err.code : 'QA_ERR_REVIEW_ITEM_INVALID',
            });
          }
        }
        for (const r of await ingestItems(tx, items, ingestOptions)) {
          if (r.kind === 'inserted') inserted++;
          else duplicates++;
        }
        await tx.query(
          `UPDATE kafka_offsets SET next_offset = $4, updated_at = now()
            WHERE consumer_group = $1 AND topic = $2 AND partition = $3`,
          [o.groupId, batch.topic, batch.partition, batch.nextOffset],
        );
      })
      .catch((err: unknown) => {
        if (isQaError(err)) throw err;
        // Database errors are retried: the batch is consumed again and nothing was stored.
        throw new QaError('QA_ERR_REVIEW_DB', (err as Error).name, [], { cause: err });
      });
    o.metrics?.ingested.inc({ outcome: 'inserted' }, inserted);
    o.metrics?.ingested.inc({ outcome: 'duplicate' }, duplicates);
    o.metrics?.ingested.inc({ outcome: 'invalid' }, invalid);
    logEvent(o.logger, 'debug', 'ingest.batch', {
      topic: batch.topic,
      partition: batch.partition,
      nextOffset: batch.nextOffset,
      inserted,
      duplicates,
      invalid,
    });
    // For lag tooling only; the database already holds the position.
    await batch.commit().catch(() => undefined);
  };

  await source.run(onBatch);
  logEvent(o.logger, 'info', 'ingest.start', { topic: o.topic, groupId: o.groupId });
  return {
    ready: () => source!.joined(),
    stop: () => source!.stop(),
  };
}
