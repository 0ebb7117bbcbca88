import { z } from 'zod';
import { issueLines, QaError } from '../errors.js';

/**
 * Every environment variable qa-screen reads, in one schema: parsed once by the CLI, every problem
 * reported together, the result frozen and passed down. The README's settings table is generated
 * from the descriptions here (`npm run docs`), so what is documented is what is read.
 */

const Bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const List = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const Int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const SaslMechanism = z.enum(['plain', 'scram-sha-256', 'scram-sha-512']);

const MiB = 1024 * 1024;

export const SettingsEnv = z
  .object({
    KAFKA_BROKERS: List.pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port')).min(1))
      .optional()
      .describe('`host:port,…` of the Kafka brokers (required by worker, produce, archive)'),
    KAFKA_CLIENT_ID: z.string().min(1).default('qa-screen').describe('Kafka client id'),
    KAFKA_GROUP_ID: z
      .string()
      .min(1)
      .optional()
      .describe('consumer group; default: pipeline `kafka.group_id`, else `qa-screen-<pipeline>`'),
    KAFKA_INPUT_TOPICS: List.optional().describe('comma-separated input topics (overrides the pipeline)'),
    KAFKA_OUTPUT_TOPIC: z.string().min(1).optional().describe('items topic (overrides the pipeline)'),
    KAFKA_DLQ_TOPIC: z.string().min(1).optional().describe('dead-letter topic (overrides the pipeline)'),
    KAFKA_QUEUE_TOPIC_PREFIX: z
      .string()
      .optional()
      .describe('flagged items also go to `<prefix><queue>` (overrides the pipeline)'),
    KAFKA_TRANSACTIONAL_ID_PREFIX: z
      .string()
      .min(1)
      .optional()
      .describe('transactional ids are `<prefix>-<topic>-<partition>`; default: the group id'),
    KAFKA_TRANSACTIONS: Bool.default(true).describe(
      '`false` trades exactly-once for at-least-once (benchmarks)',
    ),
    KAFKA_SSL: Bool.default(false).describe('TLS to the brokers'),
    KAFKA_SSL_CA_FILE: z.string().min(1).optional().describe('PEM file of a private CA (implies TLS)'),
    KAFKA_SASL_MECHANISM: SaslMechanism.optional().describe('`plain`, `scram-sha-256` or `scram-sha-512`'),
    KAFKA_SASL_USERNAME: z.string().optional().describe('SASL user (with KAFKA_SASL_MECHANISM)'),
    KAFKA_SASL_PASSWORD: z.string().optional().describe('SASL password (with KAFKA_SASL_MECHANISM)'),
    KAFKA_FETCH_MAX_BYTES: Int(1, 1024 * MiB)
      .default(4 * MiB)
      .describe('bytes per fetch (backpressure: the next fetch waits for the batch in flight)'),
    KAFKA_PARTITION_FETCH_MAX_BYTES: Int(1, 1024 * MiB)
      .default(MiB)
      .describe('bytes per partition per fetch'),
    KAFKA_DLQ_MAX_BYTES: Int(1, 64 * MiB)
      .default(900 * 1024)
      .describe('dead letters above this keep their head only (`qa-truncated: true`)'),
    KAFKA_MAX_MESSAGE_BYTES: Int(16 * 1024, 64 * MiB)
      .default(1_000_000)
      .describe(
        "largest message written, at most the topics' `max.message.bytes`: a bigger item goes to the dead-letter topic (`QA_ERR_ITEM_TOO_LARGE`); if the broker still refuses a message as too large, the worker lowers this limit and writes the batch again",
      ),
    KAFKA_PARTITIONS_CONCURRENTLY: Int(1, 64)
      .default(2)
      .describe('partitions screened at once (each has its own transactional producer)'),
    KAFKA_PRODUCE_CHUNK_BYTES: Int(1024, 64 * MiB)
      .default(512 * 1024)
      .describe(
        "a batch's output goes out in requests of at most this size, inside its one transaction (the broker rejects record batches above `message.max.bytes`)",
      ),
    KAFKA_MAX_WAIT_MS: Int(1, 30_000)
      .default(1000)
      .describe('fetch long-poll; also bounds how long shutdown waits for a fetch'),
    KAFKA_SESSION_TIMEOUT_MS: Int(6000, 300_000)
      .default(30_000)
      .describe('how long a crashed worker keeps its partitions before the group reassigns them'),
    KAFKA_FROM_BEGINNING: Bool.default(true).describe('where a new consumer group starts'),
    QA_WORKER_PROCESSES: Int(0, 64)
      .default(0)
      .describe(
        'worker processes one `qa-screen worker` runs, each a consumer-group member (the metrics port aggregates them); 0 = one per available core',
      ),
    QA_METRICS_PORT: Int(0, 65_535).default(9464).describe('`/metrics`, `/healthz`, `/readyz` port'),
    QA_METRICS_HOST: z.string().min(1).default('0.0.0.0').describe('address the ops endpoints listen on'),
    QA_SHUTDOWN_TIMEOUT_MS: Int(1, 3_600_000).default(30_000).describe('graceful shutdown bound'),
    QA_CLAIM_CHECK: z
      .enum(['none', 's3'])
      .default('none')
      .describe('`s3`: fetch `transcriptRef` objects (see S3)'),
    QA_CONFIG_POLL_SECONDS: z.coerce
      .number()
      .min(0)
      .max(86_400)
      .default(30)
      .describe('hot reload: how often pipeline/lexicon ETags (or mtimes) are checked; 0 = never'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('pino JSON logs on stderr'),
    S3_ENDPOINT: z.url().optional().describe('S3-compatible endpoint, e.g. `http://minio:9000`; default AWS'),
    S3_REGION: z.string().min(1).optional().describe('region; default `AWS_REGION`, else `us-east-1`'),
    AWS_REGION: z.string().min(1).optional().describe('region, when `S3_REGION` is unset'),
    S3_FORCE_PATH_STYLE: Bool.optional().describe('path-style addressing; default `true` with `S3_ENDPOINT`'),
    S3_CHECKSUMS: z
      .enum(['when_supported', 'when_required'])
      .optional()
      .describe('default `when_required` with `S3_ENDPOINT`, else the SDK default (see below)'),
    S3_MAX_ATTEMPTS: Int(1, 20).default(5).describe('SDK attempts per request'),
    AWS_ACCESS_KEY_ID: z.string().optional().describe('with `AWS_SECRET_ACCESS_KEY`; else the SDK chain'),
    AWS_SECRET_ACCESS_KEY: z.string().optional().describe('see `AWS_ACCESS_KEY_ID`'),
    AWS_SESSION_TOKEN: z.string().optional().describe('temporary credentials'),
    ARCHIVE_TOPIC: z.string().min(1).optional().describe('archive: topic to archive (or `--topic`)'),
    ARCHIVE_BUCKET: z.string().min(1).optional().describe('archive: bucket (or `--bucket`)'),
    ARCHIVE_PREFIX: z.string().default('qa-items').describe('archive: key prefix (or `--prefix`)'),
    ARCHIVE_GROUP_ID: z.string().min(1).default('qa-screen-archive').describe('archive: consumer group'),
    ARCHIVE_MAX_BYTES: Int(1024, 1024 * MiB)
      .default(8 * MiB)
      .describe('archive: roll an object at this many uncompressed bytes'),
    ARCHIVE_MAX_SECONDS: Int(1, 86_400)
      .default(300)
      .describe('archive: …or when its first record has waited this long'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected postgres://…')
      .optional()
      .describe('review: PostgreSQL server (`postgres://user@host:5432/db`); unset: embedded PGlite'),
    REVIEW_DATA_DIR: z
      .string()
      .min(1)
      .default('.qa-screen/review-db')
      .describe('review: PGlite data folder when `DATABASE_URL` is unset (or `--data-dir`)'),
    REVIEW_PIPELINES: z
      .string()
      .min(1)
      .default('pipelines')
      .describe('review: folder of pipeline files, found by `item.pipeline.id` (or `--pipelines`)'),
    REVIEW_HOST: z.string().min(1).default('127.0.0.1').describe('review: address the API listens on'),
    REVIEW_PORT: Int(0, 65_535).default(8080).describe('review: API port (or `--port`)'),
    REVIEW_LEASE_SECONDS: Int(1, 86_400)
      .default(900)
      .describe('review: a claim lasts this long unless renewed'),
    REVIEW_DAILY_QUOTA: Int(0, 10_000)
      .default(20)
      .describe('review: items a reviewer should finish a day (seed 001); shown, not enforced'),
    REVIEW_APPEAL_WINDOW_DAYS: z.coerce
      .number()
      .min(0)
      .max(365)
      .default(7)
      .describe('review: days after the review during which an agent may appeal'),
    REVIEW_CALIBRATION_REVIEWERS: Int(2, 20)
      .default(3)
      .describe('review: independent reviewers per calibration item'),
    REVIEW_NOISY_WINDOW: Int(1, 100_000)
      .default(50)
      .describe("review: a rule's precision is judged over its last N reviewed findings"),
    REVIEW_NOISY_MIN_REVIEWED: Int(1, 100_000)
      .default(20)
      .describe('review: …and only once at least this many of them were reviewed'),
    REVIEW_NOISY_THRESHOLD: z.coerce
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('review: below this precision a rule is marked noisy'),
    REVIEW_SESSION_HOURS: z.coerce
      .number()
      .min(0.01)
      .max(720)
      .default(12)
      .describe('review: session lifetime'),
    REVIEW_COOKIE_SECURE: Bool.default(false).describe('review: `Secure` session cookie (set behind HTTPS)'),
    REVIEW_LOGIN_MAX_ATTEMPTS: Int(1, 1000)
      .default(10)
      .describe('review: login attempts per client address and per username…'),
    REVIEW_LOGIN_WINDOW_SECONDS: Int(1, 86_400).default(300).describe('review: …within this window'),
    REVIEW_BODY_LIMIT_BYTES: Int(1024, 16 * MiB)
      .default(256 * 1024)
      .describe('review: largest request body'),
    REVIEW_METRICS_TOKEN: z
      .string()
      .min(16)
      .optional()
      .describe('review: bearer token for scraping `/metrics` (else a supervisor/admin session)'),
    REVIEW_TOPIC: z.string().min(1).default('qa.items').describe('review ingest: the items topic'),
    REVIEW_GROUP_ID: z.string().min(1).default('qa-screen-review').describe('review ingest: consumer group'),
  })
  .refine((e) => !e.KAFKA_SASL_MECHANISM || (e.KAFKA_SASL_USERNAME && e.KAFKA_SASL_PASSWORD), {
    path: ['KAFKA_SASL_MECHANISM'],
    message: 'needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD',
    // Checked even when other variables are malformed, so every problem is reported at once.
    when: () => true,
  });

/** The settings grouped by the part that uses them; the type follows from the schema. */
export const Settings = SettingsEnv.transform((e) => ({
  kafka: {
    brokers: e.KAFKA_BROKERS,
    clientId: e.KAFKA_CLIENT_ID,
    groupId: e.KAFKA_GROUP_ID,
    inputTopics: e.KAFKA_INPUT_TOPICS,
    outputTopic: e.KAFKA_OUTPUT_TOPIC,
    deadLetterTopic: e.KAFKA_DLQ_TOPIC,
    queueTopicPrefix: e.KAFKA_QUEUE_TOPIC_PREFIX,
    transactionalIdPrefix: e.KAFKA_TRANSACTIONAL_ID_PREFIX,
    transactions: e.KAFKA_TRANSACTIONS,
    ssl: e.KAFKA_SSL || e.KAFKA_SSL_CA_FILE !== undefined,
    sslCaFile: e.KAFKA_SSL_CA_FILE,
    sasl: e.KAFKA_SASL_MECHANISM
      ? {
          mechanism: e.KAFKA_SASL_MECHANISM,
          username: e.KAFKA_SASL_USERNAME ?? '',
          password: e.KAFKA_SASL_PASSWORD ?? '',
        }
      : undefined,
    fetchMaxBytes: e.KAFKA_FETCH_MAX_BYTES,
    partitionFetchMaxBytes: e.KAFKA_PARTITION_FETCH_MAX_BYTES,
    deadLetterMaxBytes: e.KAFKA_DLQ_MAX_BYTES,
    maxMessageBytes: e.KAFKA_MAX_MESSAGE_BYTES,
    partitionsConcurrently: e.KAFKA_PARTITIONS_CONCURRENTLY,
    produceChunkBytes: e.KAFKA_PRODUCE_CHUNK_BYTES,
    maxWaitMs: e.KAFKA_MAX_WAIT_MS,
    sessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
    fromBeginning: e.KAFKA_FROM_BEGINNING,
  },
  worker: {
    claimCheck: e.QA_CLAIM_CHECK,
    processes: e.QA_WORKER_PROCESSES,
    configPollSeconds: e.QA_CONFIG_POLL_SECONDS,
    shutdownTimeoutMs: e.QA_SHUTDOWN_TIMEOUT_MS,
  },
  ops: { metricsPort: e.QA_METRICS_PORT, metricsHost: e.QA_METRICS_HOST, logLevel: e.LOG_LEVEL },
  s3: {
    endpoint: e.S3_ENDPOINT,
    region: e.S3_REGION ?? e.AWS_REGION ?? 'us-east-1',
    forcePathStyle: e.S3_FORCE_PATH_STYLE ?? e.S3_ENDPOINT !== undefined,
    checksums: e.S3_CHECKSUMS ?? (e.S3_ENDPOINT !== undefined ? 'when_required' : 'when_supported'),
    maxAttempts: e.S3_MAX_ATTEMPTS,
    credentials:
      e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY
        ? {
            accessKeyId: e.AWS_ACCESS_KEY_ID,
            secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
            ...(e.AWS_SESSION_TOKEN && { sessionToken: e.AWS_SESSION_TOKEN }),
          }
        : undefined,
  },
  review: {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.REVIEW_DATA_DIR,
    pipelines: e.REVIEW_PIPELINES,
    host: e.REVIEW_HOST,
    port: e.REVIEW_PORT,
    leaseSeconds: e.REVIEW_LEASE_SECONDS,
    dailyQuota: e.REVIEW_DAILY_QUOTA,
    appealWindowDays: e.REVIEW_APPEAL_WINDOW_DAYS,
    calibrationReviewers: e.REVIEW_CALIBRATION_REVIEWERS,
    noisyWindow: e.REVIEW_NOISY_WINDOW,
    noisyMinReviewed: e.REVIEW_NOISY_MIN_REVIEWED,
    noisyThreshold: e.REVIEW_NOISY_THRESHOLD,
    sessionHours: e.REVIEW_SESSION_HOURS,
    cookieSecure: e.REVIEW_COOKIE_SECURE,
    loginMaxAttempts: e.REVIEW_LOGIN_MAX_ATTEMPTS,
    loginWindowSeconds: e.REVIEW_LOGIN_WINDOW_SECONDS,
    bodyLimitBytes: e.REVIEW_BODY_LIMIT_BYTES,
    metricsToken: e.REVIEW_METRICS_TOKEN,
    topic: e.REVIEW_TOPIC,
    groupId: e.REVIEW_GROUP_ID,
  },
  archive: {
    topic: e.ARCHIVE_TOPIC,
    bucket: e.ARCHIVE_BUCKET,
    prefix: e.ARCHIVE_PREFIX,
    groupId: e.ARCHIVE_GROUP_ID,
    maxBytes: e.ARCHIVE_MAX_BYTES,
    maxAgeMs: e.ARCHIVE_MAX_SECONDS * 1000,
  },
}));

export type Settings = z.output<typeof Settings>;
export type KafkaSettings = Settings['kafka'];
export type S3Settings = Settings['s3'];

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Parses the environment once; every problem is reported together; the result is frozen. */
export function parseSettings(env: NodeJS.ProcessEnv): Readonly<Settings> {
  const parsed = Settings.safeParse(env);
  if (!parsed.success) {
    throw new QaError('QA_ERR_SETTINGS_INVALID', 'environment', issueLines(parsed.error.issues));
  }
  return deepFreeze(parsed.data);
}

/** The settings table for the README, generated from the schema's descriptions. */
export function settingsTable(): string {
  const rows = Object.entries(SettingsEnv.shape).map(([name, schema]) => {
    const parsed = (schema as z.ZodType).safeParse(undefined);
    const fallback = parsed.success && parsed.data !== undefined ? `\`${String(parsed.data)}\`` : '';
    return `| \`${name}\` | ${fallback} | ${schema.description ?? ''} |`;
  });
  return ['| variable | default | |', '|---|---|---|', ...rows].join('\n');
}
