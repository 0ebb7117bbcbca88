import { QaError } from '../errors.js';

/**
 * Kafka error types that retrying the same request cannot fix. kafkajs marks many passing
 * conditions as not retriable (a fenced epoch after a rebalance, "failed to find group coordinator"
 * while a broker restarts), so its own flag is not used: these are the ones that stop a worker.
 */
const REJECTIONS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_REQUIRED_ACKS',
  'POLICY_VIOLATION',
  'UNSUPPORTED_VERSION',
  'UNSUPPORTED_FOR_MESSAGE_FORMAT',
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
]);

/** The first rejection type found through kafkajs' wrappers (`cause`) and aggregates (`errors`). */
function rejectionType(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 6) return undefined;
  const e = err as { type?: string; cause?: unknown; errors?: unknown[] };
  if (e.type && REJECTIONS.has(e.type)) return e.type;
  for (const inner of Array.isArray(e.errors) ? e.errors : []) {
    const found = rejectionType(inner, depth + 1);
    if (found) return found;
  }
  return e.cause !== err ? rejectionType(e.cause, depth + 1) : undefined;
}

/** The broker refused a message or record batch as too large (over the topic's max.message.bytes). */
export function isTooLarge(err: unknown): boolean {
  const type = rejectionType(err);
  return type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE';
}

/** Maps any kafkajs failure to the catalogue: a rejection (not retriable) or unavailable (retriable). */
export function kafkaError(err: unknown): QaError {
  if (err instanceof QaError) return err;
  const type = rejectionType(err);
  const name = (err as { name?: string } | undefined)?.name ?? 'Error';
  return type
    ? new QaError('QA_ERR_KAFKA_REJECTED', type, [], { cause: err })
    : new QaError(
        'QA_ERR_KAFKA_UNAVAILABLE',
        `${name}: ${(err as Error | undefined)?.message ?? ''}`.slice(0, 300),
        [],
        {
          cause: err,
        },
      );
}
