/**
 * Every error qa-screen raises, in one catalogue (as fastify's lib/errors.js).
 * Each code says what happened; the hint says what to do. `retriable` tells callers whether
 * trying again can help (an unavailable broker or store) or not (bad data, bad config, a refusal):
 * adapters map their library's errors to these codes (src/kafka/errors.ts, src/s3/errors.ts) and
 * src/retry.ts retries on `retriable` alone, as kafkajs does.
 */
export const ERRORS = {
  QA_ERR_CONFIG_INVALID: {
    message: 'configuration is invalid',
    hint: 'fix the listed file:line:col entries; run `qa-screen validate` to check again',
    retriable: false,
  },
  QA_ERR_CONFIG_YAML: {
    message: 'configuration file is not valid YAML or JSON',
    hint: 'check indentation and quoting at the reported line',
    retriable: false,
  },
  QA_ERR_CONFIG_NOT_FOUND: {
    message: 'configuration file not found',
    hint: 'check the path; lexicon paths in a pipeline are relative to the pipeline file',
    retriable: false,
  },
  QA_ERR_CONFIG_TOO_LARGE: {
    message: 'configuration file exceeds the size limit',
    hint: 'split the lexicon into several files',
    retriable: false,
  },
  QA_ERR_TRANSCRIPT_NOT_JSON: {
    message: 'transcript is not valid JSON',
    hint: 'send one JSON object per message or line',
    retriable: false,
  },
  QA_ERR_TRANSCRIPT_INVALID: {
    message: 'transcript does not match the input contract',
    hint: 'see schemas/transcript.schema.json',
    retriable: false,
  },
  QA_ERR_TRANSCRIPT_TOO_LARGE: {
    message: 'transcript exceeds the size limit',
    hint: 'raise limits.max_transcript_bytes or send it by reference (transcriptRef)',
    retriable: false,
  },
  QA_ERR_TRANSCRIPT_NOT_UTF8: {
    message: 'transcript is not valid UTF-8',
    hint: 'convert the input to UTF-8 (e.g. iconv -f GBK -t UTF-8) before screening',
    retriable: false,
  },
  QA_ERR_TRANSCRIPT_DATA_QUALITY: {
    message: "transcript data cannot support the pipeline's rules",
    hint: "fix the producer (turn times, answerDelayMs, endedAt, turns), or set the pipeline's data_quality to `review`",
    retriable: false,
  },
  QA_ERR_TRANSCRIPT_VERSION: {
    message: 'transcript version is not supported',
    hint: 'this build reads transcript version 1',
    retriable: false,
  },
  QA_ERR_TRANSCRIPT_REF_UNSUPPORTED: {
    message: 'transcript is a reference (transcriptRef) but no object store is configured',
    hint: 'configure S3 for the worker, or inline the turns',
    retriable: false,
  },
  QA_ERR_TRANSCRIPT_REF_NOT_FOUND: {
    message: 'the transcriptRef object (or its bucket) does not exist',
    hint: 'check the producer wrote the object before the event, and the bucket name',
    retriable: false,
  },
  QA_ERR_TRANSCRIPT_REF_DENIED: {
    message: 'access to the transcriptRef object was denied',
    hint: "grant the worker's credentials s3:GetObject on the bucket",
    retriable: false,
  },
  QA_ERR_TRANSCRIPT_REF_INVALID: {
    message: 'the transcriptRef object is not a valid transcript',
    hint: 'the object must be JSON (optionally gzip): a transcript, or { "turns": [...] }',
    retriable: false,
  },
  QA_ERR_ITEM_TOO_LARGE: {
    message: 'the screened item does not fit the output size limit',
    hint: "raise limits.max_item_bytes (file mode) or KAFKA_MAX_MESSAGE_BYTES with the topic's max.message.bytes",
    retriable: false,
  },
  QA_ERR_LANGUAGE_MISMATCH: {
    message: 'transcript language or channel does not match the pipeline',
    hint: 'route the transcript to a pipeline for its channel and language',
    retriable: false,
  },
  QA_ERR_NO_ROUTE: {
    message: 'no pipeline of the routing takes this transcript',
    hint: 'add a route (or a default) for its channel, language, tenant, team or seat to the routing file',
    retriable: false,
  },
  QA_ERR_SETTINGS_INVALID: {
    message: 'settings are invalid',
    hint: 'fix every listed environment variable or option; see "Settings" in the README',
    retriable: false,
  },
  QA_ERR_KAFKA_UNAVAILABLE: {
    message: 'Kafka is unavailable or the request failed in a way that may pass',
    hint: 'nothing to do if it passes: the batch is consumed again; check the brokers if it persists',
    retriable: true,
  },
  QA_ERR_KAFKA_REJECTED: {
    message: 'Kafka rejected the request, and retrying the same request cannot change that',
    hint: 'check the broker limits (message.max.bytes) and the ACLs for the worker user',
    retriable: false,
  },
  QA_ERR_S3_REFUSED: {
    message: 'the object store refused the request: the bucket does not exist or access is denied',
    hint: 'create the bucket, or grant the credentials access to it',
    retriable: false,
  },
  QA_ERR_S3_UNAVAILABLE: {
    message: 'the object store is unavailable or throttling',
    hint: 'nothing to do if it passes: the request is retried; check the endpoint if it persists',
    retriable: true,
  },
  QA_ERR_REVIEW_DB: {
    message: 'the review database is unavailable',
    hint: 'check DATABASE_URL and that PostgreSQL is running; the request can be retried',
    retriable: true,
  },
  QA_ERR_REVIEW_ITEM_INVALID: {
    message: 'an item does not match the screened-item contract',
    hint: 'import items written by `qa-screen screen` or the worker (see `qa-screen schema item`)',
    retriable: false,
  },
  QA_ERR_REVIEW_PIPELINE_UNKNOWN: {
    message: "the item's pipeline is not known to the review service",
    hint: 'put the pipeline file in the --pipelines folder (REVIEW_PIPELINES) and restart',
    retriable: false,
  },
  QA_ERR_REVIEW_UNAUTHENTICATED: {
    message: 'not logged in, or the session expired',
    hint: 'log in with POST /api/login',
    retriable: false,
  },
  QA_ERR_REVIEW_LOGIN_FAILED: {
    message: 'wrong username or password',
    hint: 'check both; an administrator can reset a password with `qa-screen review user add --reset`',
    retriable: false,
  },
  QA_ERR_REVIEW_RATE_LIMITED: {
    message: 'too many login attempts',
    hint: 'wait for the time given in retry-after, then try again',
    retriable: true,
  },
  QA_ERR_REVIEW_CSRF: {
    message: 'missing or wrong CSRF token',
    hint: 'send the csrfToken from POST /api/login or GET /api/me in the x-csrf-token header',
    retriable: false,
  },
  QA_ERR_REVIEW_FORBIDDEN: {
    message: 'your role may not do this',
    hint: 'ask a supervisor or an administrator',
    retriable: false,
  },
  QA_ERR_REVIEW_NOT_FOUND: {
    message: 'no such resource',
    hint: 'check the id; agents only see their own reviewed items',
    retriable: false,
  },
  QA_ERR_REVIEW_BAD_REQUEST: {
    message: 'the request does not match the API schema',
    hint: 'see /api/openapi.json for the expected shape',
    retriable: false,
  },
  QA_ERR_REVIEW_TOO_LARGE: {
    message: 'the request body exceeds the size limit',
    hint: 'send less at once (REVIEW_BODY_LIMIT_BYTES)',
    retriable: false,
  },
  QA_ERR_REVIEW_LEASE_LOST: {
    message: 'your claim on this item is no longer valid',
    hint: 'the lease expired or was released; claim the item again',
    retriable: false,
  },
  QA_ERR_REVIEW_INCOMPLETE: {
    message: 'the review cannot be submitted yet',
    hint: 'give a verdict (confirm or reject) on every machine finding first',
    retriable: false,
  },
  QA_ERR_REVIEW_CONFLICT: {
    message: 'the request conflicts with the current state',
    hint: 'reload the resource and try again',
    retriable: false,
  },
  QA_ERR_REVIEW_APPEAL_CLOSED: {
    message: 'this item can no longer be appealed',
    hint: 'appeals are accepted within the appeal window after the review, once per item',
    retriable: false,
  },
  QA_ERR_REVIEW_INTERNAL: {
    message: 'the review service failed unexpectedly',
    hint: 'the server log has the details under the same request id; report it if it persists',
    retriable: true,
  },
  QA_ERR_OUTPUT_CLOSED: {
    message: 'the output closed before every item was written',
    hint: 'the reader stopped early (e.g. `| head`); write to a file with --output to keep every item',
    retriable: false,
  },
  QA_ERR_USAGE: {
    message: 'command line usage error',
    hint: 'run `qa-screen help`',
    retriable: false,
  },
} as const satisfies Record<string, { message: string; hint: string; retriable: boolean }>;

export type ErrorCode = keyof typeof ERRORS;

export class QaError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly retriable: boolean;
  readonly details: readonly string[];

  constructor(
    code: ErrorCode,
    detail?: string,
    details: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    const entry = ERRORS[code];
    super(detail ? `${entry.message}: ${detail}` : entry.message, options);
    this.name = 'QaError';
    this.code = code;
    this.hint = entry.hint;
    this.retriable = entry.retriable;
    this.details = details;
  }
}

export function isQaError(err: unknown): err is QaError {
  return err instanceof QaError;
}

/** Whether trying again can help: only errors the catalogue marks retriable (never a TypeError). */
export function isRetriable(err: unknown): boolean {
  return isQaError(err) && err.retriable;
}

/** Schema issues as "path: message" lines: never the offending value, which may be transcript text. */
export function issueLines(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): string[] {
  return issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}

/** The first `max` lines on one line, and how many more there were. */
export function summariseIssues(lines: readonly string[], max = 5): string {
  const shown = lines.slice(0, max);
  if (lines.length > shown.length) shown.push(`… and ${lines.length - shown.length} more`);
  return shown.join('; ');
}
