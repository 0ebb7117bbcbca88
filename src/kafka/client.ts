import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Kafka, type KafkaConfig, type LogEntry, logLevel, type SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaSettings } from '../config/settings.js';

/**
 * Broker error messages kafkajs retries (its own protocol table, so the list follows the library):
 * it logs every failed response at error level before retrying, and a transactional producer meets
 * CONCURRENT_TRANSACTIONS routinely after a rebalance. An error that survives the retries reaches
 * our own error log; the attempts are warnings.
 */
const retriableBrokerErrors: ReadonlySet<string> = new Set(
  (
    createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as {
      errorCodes: { type: string; message: string; retriable: boolean }[];
    }
  ).errorCodes
    // A rebalance is the group protocol at work (a worker joined or left): the member rejoins.
    .filter((e) => e.retriable || e.type === 'REBALANCE_IN_PROGRESS')
    .map((e) => e.message),
);

const SEND_FAILED = /^Failed to send messages: /;

/** kafkajs logs through pino: JSON, and only kafkajs' own fields (never message payloads). */
export function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _t, logger: _l, ...extra } = log;
      const child = { module: 'kafkajs', namespace, ...extra };
      // A failed response names the broker error in `error`; the producer's retry loop puts it
      // in the message ("Failed to send messages: …", with retryCount).
      const retried =
        level === logLevel.ERROR &&
        ((message.startsWith('Response ') &&
          typeof extra.error === 'string' &&
          retriableBrokerErrors.has(extra.error)) ||
          ('retryCount' in extra && retriableBrokerErrors.has(message.replace(SEND_FAILED, ''))));
      if (retried) logger.warn({ ...child, retried: true }, message);
      else if (level === logLevel.ERROR) logger.error(child, message);
      else if (level === logLevel.WARN) logger.warn(child, message);
      else if (level === logLevel.INFO) logger.info(child, message);
      else logger.debug(child, message);
    };
}

export type KafkaClientSettings = Pick<KafkaSettings, 'clientId' | 'ssl' | 'sslCaFile' | 'sasl'> & {
  brokers: string[];
};

/** One kafkajs client for the worker, the archiver, produce and the review ingest. */
export function createKafka(settings: KafkaClientSettings, logger: Logger): Kafka {
  const ssl: KafkaConfig['ssl'] = settings.sslCaFile
    ? { ca: [readFileSync(settings.sslCaFile, 'utf8')] }
    : settings.ssl;
  return new Kafka({
    clientId: settings.clientId,
    // Copies: the settings are frozen, and clients may annotate what they are given.
    brokers: [...settings.brokers],
    ssl,
    // kafkajs types SASL as a union per mechanism; ours is one record with the mechanism in it.
    ...(settings.sasl !== undefined && { sasl: { ...settings.sasl } as SASLOptions }),
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    // Keep trying through broker restarts: exponential backoff with jitter, up to ~30 s apart.
    retry: { initialRetryTime: 300, maxRetryTime: 30_000, retries: 12 },
    connectionTimeout: 3000,
  });
}
