import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { KafkaSettings } from '../config/pipeline.js';
import { issueLines, QaError } from '../errors.js';

const Bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const List = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** Every environment variable the worker reads, validated once at start (documented in the README). */
export const WorkerEnv = z.object({
  KAFKA_BROKERS: List.pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port')).min(1)),
  KAFKA_CLIENT_ID: z.string().default('qa-screen'),
  KAFKA_GROUP_ID: z.string().optional(),
  KAFKA_INPUT_TOPICS: List.optional(),
  KAFKA_OUTPUT_TOPIC: z.string().optional(),
  KAFKA_DLQ_TOPIC: z.string().optional(),
  KAFKA_QUEUE_TOPIC_PREFIX: z.string().optional(),
  KAFKA_TRANSACTIONAL_ID_PREFIX: z.string().optional(),
  KAFKA_TRANSACTIONS: Bool.default(true),
  KAFKA_SSL: Bool.default(false),
  KAFKA_SSL_CA_FILE: z.string().optional(),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  KAFKA_FETCH_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
  KAFKA_PARTITION_FETCH_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  KAFKA_DLQ_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(900 * 1024),
  KAFKA_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(2),
  KAFKA_PRODUCE_CHUNK_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(512 * 1024),
  KAFKA_MAX_WAIT_MS: z.coerce.number().int().positive().max(30_000).default(1000),
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).max(300_000).default(30_000),
  KAFKA_FROM_BEGINNING: Bool.default(true),
  QA_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  QA_METRICS_HOST: z.string().default('0.0.0.0'),
  QA_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** `s3`: fetch transcripts whose event carries a transcriptRef (claim check). */
  QA_CLAIM_CHECK: z.enum(['none', 's3']).default('none'),
  /** How often to check pipeline and lexicon files (ETag or mtime) for a new version; 0 = never. */
  QA_CONFIG_POLL_SECONDS: z.coerce.number().min(0).max(86_400).default(30),
});
export type WorkerEnv = z.infer<typeof WorkerEnv>;

export interface WorkerConfig {
  brokers: string[];
  clientId: string;
  groupId: string;
  inputTopics: string[];
  outputTopic: string;
  deadLetterTopic: string;
  queueTopicPrefix: string | undefined;
  transactionalIdPrefix: string;
  transactions: boolean;
  ssl: boolean | { ca: string[] };
  sasl:
    | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
    | undefined;
  fetchMaxBytes: number;
  partitionFetchMaxBytes: number;
  deadLetterMaxBytes: number;
  /** Upper bound of one produce request: kafkajs writes a partition's messages as one record batch,
   *  and the broker rejects batches above message.max.bytes (1 MB by default). */
  produceChunkBytes: number;
  /** Partitions screened at once: one partition's commit round-trip overlaps another's screening. */
  partitionsConcurrently: number;
  /** Fetch long-poll; also bounds how long a graceful shutdown waits for the fetch in flight. */
  maxWaitMs: number;
  /** How long a crashed worker keeps its partitions before the group reassigns them. */
  sessionTimeoutMs: number;
  fromBeginning: boolean;
  metricsPort: number;
  metricsHost: string;
  shutdownTimeoutMs: number;
  claimCheck: 'none' | 's3';
  configPollSeconds: number;
}

/** Pipeline `kafka:` settings, overridden by the environment; all problems reported at once. */
export function workerConfig(
  pipelineId: string,
  settings: KafkaSettings | undefined,
  env: NodeJS.ProcessEnv,
): WorkerConfig {
  const parsed = WorkerEnv.safeParse(env);
  if (!parsed.success) {
    throw new QaError('QA_ERR_WORKER_CONFIG', 'environment', issueLines(parsed.error.issues));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const inputTopics = e.KAFKA_INPUT_TOPICS ?? settings?.input_topics ?? [];
  const outputTopic = e.KAFKA_OUTPUT_TOPIC ?? settings?.output_topic;
  const deadLetterTopic = e.KAFKA_DLQ_TOPIC ?? settings?.dead_letter_topic;
  if (inputTopics.length === 0)
    problems.push('no input topics: set kafka.input_topics in the pipeline or KAFKA_INPUT_TOPICS');
  if (!outputTopic) problems.push('no output topic: set kafka.output_topic or KAFKA_OUTPUT_TOPIC');
  if (!deadLetterTopic) problems.push('no dead-letter topic: set kafka.dead_letter_topic or KAFKA_DLQ_TOPIC');
  if (e.KAFKA_SASL_MECHANISM && (!e.KAFKA_SASL_USERNAME || !e.KAFKA_SASL_PASSWORD)) {
    problems.push('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  }
  if (problems.length > 0) throw new QaError('QA_ERR_WORKER_CONFIG', pipelineId, problems);
  const groupId = e.KAFKA_GROUP_ID ?? settings?.group_id ?? `qa-screen-${pipelineId}`;
  return {
    brokers: e.KAFKA_BROKERS,
    clientId: e.KAFKA_CLIENT_ID,
    groupId,
    inputTopics,
    outputTopic: outputTopic!,
    deadLetterTopic: deadLetterTopic!,
    queueTopicPrefix: e.KAFKA_QUEUE_TOPIC_PREFIX ?? settings?.queue_topic_prefix,
    transactionalIdPrefix: e.KAFKA_TRANSACTIONAL_ID_PREFIX ?? groupId,
    transactions: e.KAFKA_TRANSACTIONS,
    ssl: e.KAFKA_SSL_CA_FILE ? { ca: [readFileSync(e.KAFKA_SSL_CA_FILE, 'utf8')] } : e.KAFKA_SSL,
    sasl: e.KAFKA_SASL_MECHANISM
      ? {
          mechanism: e.KAFKA_SASL_MECHANISM,
          username: e.KAFKA_SASL_USERNAME!,
          password: e.KAFKA_SASL_PASSWORD!,
        }
      : undefined,
    fetchMaxBytes: e.KAFKA_FETCH_MAX_BYTES,
    partitionFetchMaxBytes: e.KAFKA_PARTITION_FETCH_MAX_BYTES,
    deadLetterMaxBytes: e.KAFKA_DLQ_MAX_BYTES,
    produceChunkBytes: e.KAFKA_PRODUCE_CHUNK_BYTES,
    partitionsConcurrently: e.KAFKA_PARTITIONS_CONCURRENTLY,
    maxWaitMs: e.KAFKA_MAX_WAIT_MS,
    sessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
    fromBeginning: e.KAFKA_FROM_BEGINNING,
    metricsPort: e.QA_METRICS_PORT,
    metricsHost: e.QA_METRICS_HOST,
    shutdownTimeoutMs: e.QA_SHUTDOWN_TIMEOUT_MS,
    claimCheck: e.QA_CLAIM_CHECK,
    configPollSeconds: e.QA_CONFIG_POLL_SECONDS,
  };
}
