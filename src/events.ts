import type { Logger } from 'pino';

/**
 * Every log event qa-screen emits, in one catalogue (as errors are in src/errors.ts): named
 * `namespace.event`, each with the sentence that becomes the log line's `msg`. Log lines carry ids,
 * offsets, counts and error codes as fields, never transcript text or personal data.
 */
export const EVENTS = {
  'worker.start': 'worker started',
  'worker.stop': 'worker stopped',
  'worker.warm': 'pipelines warmed up before taking traffic',
  'worker.fatal': 'consumer stopped for good; exiting so the worker is restarted',
  'process.shutdown': 'shutting down',
  'process.shutdown_timeout': 'shutdown took too long',
  'process.shutdown_error': 'shutdown failed',
  'worker.dead_letter': 'record sent to the dead-letter topic',
  'worker.batch_failed': 'screening a batch failed; it will be consumed again',
  'worker.skipped_committed':
    "records already committed were skipped (the group's offset, read at a rebalance, lagged a transaction that had committed them)",
  'worker.message_limit':
    'the broker refused a message as too large; the batch is written again under a lower message limit',
  'consumer.join': 'joined consumer group',
  'consumer.crash': 'consumer crashed',
  'transaction.abort': 'batch aborted; it will be consumed again',
  'config.reload': 'configuration reloaded',
  'config.reject': 'new configuration rejected; the previous version keeps serving',
  'config.poll_error': 'could not check the configuration for changes',
  'ops.listen': 'metrics and health endpoints listening',
  'archive.start': 'archiver started',
  'archive.put': 'archived',
  'archive.retry': 'archive put failed; will retry',
  'review.listen': 'review service listening',
  'review.db_ready': 'review database ready',
  'review.pipeline_skipped': 'a pipeline file was not loaded',
  'review.login': 'user logged in',
  'review.login_refused': 'login refused',
  'review.request': 'request',
  'review.request_error': 'request failed',
  'review.submit': 'review submitted',
  'review.appeal_ruled': 'appeal ruled',
  'review.rule_noisy': 'rule marked noisy: precision over its last reviewed findings is below the threshold',
  'review.rule_recovered': 'rule no longer noisy',
  'ingest.start': 'review ingest started',
  'ingest.seek': 'partition positioned at the offset stored with its items',
  'ingest.batch': 'items stored in the same transaction as their offsets',
  'ingest.invalid_item': 'an item does not match the contract; skipped',
  'ingest.import': 'items imported',
} as const;

export type EventName = keyof typeof EVENTS;

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug';

/** Logs one catalogued event: `{ event, ...fields }` with the catalogue's sentence as the message. */
export function logEvent(
  logger: Logger,
  level: Level,
  event: EventName,
  fields: Record<string, unknown> = {},
): void {
  logger[level]({ event, ...fields }, EVENTS[event]);
}
