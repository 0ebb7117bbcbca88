import { QaError } from '../../errors.js';
import { createKafka } from '../../kafka/client.js';
import { createLogger } from '../../ops/logger.js';
import { createS3Client } from '../../s3/client.js';
import { startArchiver } from '../../worker/archiver.js';
import { type Command, optional } from '../command.js';
import { listenForSignals, untilSignal } from '../signals.js';

export const archiveCommand: Command = {
  name: 'archive',
  summary: 'Archive the items topic to S3 as gzip JSONL under dt=/hour=, until SIGTERM/SIGINT.',
  options: {
    topic: { type: 'string', short: 't', valueName: 'TOPIC', help: 'default: ARCHIVE_TOPIC' },
    bucket: { type: 'string', short: 'b', valueName: 'BUCKET', help: 'default: ARCHIVE_BUCKET' },
    prefix: { type: 'string', valueName: 'PREFIX', help: 'default: ARCHIVE_PREFIX (qa-items)' },
  },
  async run(args, context) {
    const settings = context.settings();
    const a = settings.archive;
    const topic = optional(args, 'topic') ?? a.topic;
    const bucket = optional(args, 'bucket') ?? a.bucket;
    const brokers = settings.kafka.brokers;
    const problems = [
      ...(brokers ? [] : ['no brokers: set KAFKA_BROKERS']),
      ...(topic ? [] : ['no topic: --topic or ARCHIVE_TOPIC']),
      ...(bucket ? [] : ['no bucket: --bucket or ARCHIVE_BUCKET']),
    ];
    if (problems.length > 0 || !brokers || !topic || !bucket)
      throw new QaError('QA_ERR_SETTINGS_INVALID', 'archive', problems);
    const logger = createLogger({ level: settings.ops.logLevel });
    // A SIGTERM while the archiver joins its group stops it cleanly once it is up.
    const signals = listenForSignals({ logger, timeoutMs: settings.worker.shutdownTimeoutMs });
    const archiver = await startArchiver({
      kafka: createKafka(
        { ...settings.kafka, brokers, clientId: `${settings.kafka.clientId}-archive` },
        logger,
      ),
      s3: createS3Client(settings.s3),
      bucket,
      prefix: optional(args, 'prefix') ?? a.prefix,
      topic,
      groupId: a.groupId,
      maxBytes: a.maxBytes,
      maxAgeMs: a.maxAgeMs,
      sessionTimeoutMs: settings.kafka.sessionTimeoutMs,
      logger,
    });
    const code = await untilSignal({
      logger,
      timeoutMs: settings.worker.shutdownTimeoutMs,
      signals,
      stop: () => archiver.stop(),
    });
    process.exit(code);
  },
};
