import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { loadPipelineWithFiles } from '../config/load.js';
import { watchPipeline } from '../config/reload.js';
import { issueLines, QaError } from '../errors.js';
import { startOpsServer } from '../ops/http.js';
import { createLogger } from '../ops/logger.js';
import { createMetrics } from '../ops/metrics.js';
import { startArchiver } from '../s3/archive.js';
import { createS3Client } from '../s3/client.js';
import { configStore } from '../s3/config-store.js';
import { readJsonl } from '../sources/jsonl.js';
import { WorkerEnv, workerConfig } from '../worker/config.js';
import { createKafka } from '../worker/kafka.js';
import { startWorker } from '../worker/worker.js';

/** `qa-screen worker`: runs until SIGTERM/SIGINT, then finishes the batch in flight, commits and exits 0. */
export async function runWorker(pipelinePath: string): Promise<number> {
  const logger = createLogger();
  const usesS3 = pipelinePath.startsWith('s3://') || process.env.QA_CLAIM_CHECK === 's3';
  const store = configStore(usesS3 ? createS3Client(process.env) : undefined);
  const { pipeline, files } = await loadPipelineWithFiles(pipelinePath, store.read);
  const config = workerConfig(pipeline.id, pipeline.config.kafka, process.env);
  const metrics = createMetrics();
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  let stopping = false;
  const server = await startOpsServer(
    metrics.registry,
    { live: () => !stopping, ready: () => worker?.ready() ?? false },
    config.metricsPort,
    config.metricsHost,
  );
  logger.info({ event: 'ops.listen', port: config.metricsPort }, 'metrics and health endpoints listening');
  let fatal: ((code: number) => void) | undefined;
  worker = await startWorker({
    pipeline,
    config,
    logger,
    metrics,
    onFatal: (err) => {
      logger.fatal(
        { event: 'worker.fatal', err: err.message },
        'consumer stopped for good; exiting so the worker is restarted',
      );
      fatal?.(1);
    },
  });

  const watch =
    config.configPollSeconds > 0
      ? watchPipeline({
          location: pipelinePath,
          store,
          files,
          intervalMs: config.configPollSeconds * 1000,
          logger,
          apply: (next) => worker!.reload(next),
        })
      : undefined;

  return new Promise<number>((resolve) => {
    fatal = (code) => {
      watch?.stop();
      stopping = true;
      worker!
        .stop()
        .catch(() => undefined)
        .finally(() => server.close(() => resolve(code)));
    };
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      watch?.stop();
      logger.info({ event: 'worker.shutdown', signal }, 'shutting down');
      const timer = setTimeout(() => {
        logger.error(
          { event: 'worker.shutdown.timeout', timeoutMs: config.shutdownTimeoutMs },
          'shutdown took too long',
        );
        resolve(1);
      }, config.shutdownTimeoutMs);
      timer.unref();
      worker!
        .stop()
        .then(() => new Promise<void>((done) => server.close(() => done())))
        .then(() => {
          clearTimeout(timer);
          resolve(0);
        })
        .catch((err: Error) => {
          logger.error({ event: 'worker.shutdown.error', err: err.message }, 'shutdown failed');
          resolve(1);
        });
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}

/** `qa-screen produce`: loads JSONL transcripts into a topic, keyed by conversation id (for demos and benches). */
export async function runProduce(topic: string, input: string, brokers: string | undefined): Promise<number> {
  const logger = createLogger({ level: 'warn' });
  const env = WorkerEnv.pick({ KAFKA_BROKERS: true, KAFKA_CLIENT_ID: true }).safeParse({
    ...process.env,
    ...(brokers && { KAFKA_BROKERS: brokers }),
  });
  if (!env.success)
    throw new QaError('QA_ERR_WORKER_CONFIG', 'set KAFKA_BROKERS or --brokers', issueLines(env.error.issues));
  const kafka = createKafka(
    { brokers: env.data.KAFKA_BROKERS, clientId: `${env.data.KAFKA_CLIENT_ID}-produce` },
    logger,
  );
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const stream: Readable = input === '-' ? process.stdin : createReadStream(input);
  let batch: Array<{ key: string | null; value: string }> = [];
  let sent = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await producer.send({ topic, messages: batch, acks: -1 });
    sent += batch.length;
    batch = [];
  };
  try {
    for await (const line of readJsonl(stream, 64 * 1024 * 1024)) {
      if ('oversized' in line) continue;
      batch.push({ key: conversationKey(line.text), value: line.text });
      if (batch.length >= 1000) await flush();
    }
    await flush();
  } finally {
    await producer.disconnect();
  }
  process.stderr.write(`produced ${sent} record(s) to ${topic}\n`);
  return 0;
}

/** The conversation id, when the line is a JSON object that has one; bad lines are sent unkeyed. */
function conversationKey(text: string): string | null {
  try {
    const id = (JSON.parse(text) as { conversationId?: unknown }).conversationId;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/** `qa-screen archive`: screened items → gzip JSONL objects in S3, until SIGTERM/SIGINT. */
export async function runArchive(flags: {
  topic?: string | undefined;
  bucket?: string | undefined;
  prefix?: string | undefined;
}): Promise<number> {
  const logger = createLogger();
  const env = WorkerEnv.pick({ KAFKA_BROKERS: true, KAFKA_CLIENT_ID: true }).safeParse(process.env);
  const topic = flags.topic ?? process.env.ARCHIVE_TOPIC;
  const bucket = flags.bucket ?? process.env.ARCHIVE_BUCKET;
  const problems = [
    ...(env.success ? [] : issueLines(env.error.issues)),
    ...(topic ? [] : ['no topic: --topic or ARCHIVE_TOPIC']),
    ...(bucket ? [] : ['no bucket: --bucket or ARCHIVE_BUCKET']),
  ];
  if (problems.length > 0 || !env.success) throw new QaError('QA_ERR_WORKER_CONFIG', 'archive', problems);
  const kafka = createKafka(
    { brokers: env.data.KAFKA_BROKERS, clientId: `${env.data.KAFKA_CLIENT_ID}-archive` },
    logger,
  );
  const archiver = await startArchiver({
    kafka,
    s3: createS3Client(process.env),
    bucket: bucket!,
    prefix: flags.prefix ?? process.env.ARCHIVE_PREFIX ?? 'qa-items',
    topic: topic!,
    groupId: process.env.ARCHIVE_GROUP_ID ?? 'qa-screen-archive',
    maxBytes: Number(process.env.ARCHIVE_MAX_BYTES ?? 8 * 1024 * 1024),
    maxAgeMs: Number(process.env.ARCHIVE_MAX_SECONDS ?? 300) * 1000,
    sessionTimeoutMs: Number(process.env.KAFKA_SESSION_TIMEOUT_MS ?? 30_000),
    logger,
  });
  return new Promise<number>((resolve) => {
    const shutdown = () => {
      archiver
        .stop()
        .then(() => resolve(0))
        .catch((err: Error) => {
          logger.error({ event: 'archive.shutdown.error', err: err.message }, 'archive shutdown failed');
          resolve(1);
        });
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  });
}
