import type { ErrorCode } from '../errors.js';
import { QaError } from '../errors.js';

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

/** What an SDK failure means: the object is not there, access is refused, or it may pass. */
export function s3Failure(err: unknown): 'not-found' | 'denied' | 'unavailable' {
  const e = err as SdkError;
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'NoSuchKey' || e.name === 'NoSuchBucket' || e.name === 'NotFound' || status === 404)
    return 'not-found';
  if (
    e.name === 'AccessDenied' ||
    e.name === 'InvalidAccessKeyId' ||
    e.name === 'SignatureDoesNotMatch' ||
    status === 403
  )
    return 'denied';
  return 'unavailable';
}

/**
 * Maps an SDK failure to the catalogue: the caller names the codes for "not found" and "denied"
 * (a missing transcript and a missing config file are different problems); everything else —
 * network errors, 5xx, throttling — is QA_ERR_S3_UNAVAILABLE, which is retried.
 */
export function s3Error(
  err: unknown,
  codes: { notFound: ErrorCode; denied: ErrorCode },
  what: string,
): QaError {
  if (err instanceof QaError) return err;
  const e = err as SdkError;
  const detail = `${what}: ${e.name ?? 'error'} (${e.$metadata?.httpStatusCode ?? 'no response'})`;
  const kind = s3Failure(err);
  const code =
    kind === 'not-found' ? codes.notFound : kind === 'denied' ? codes.denied : 'QA_ERR_S3_UNAVAILABLE';
  return new QaError(code, detail, [], { cause: err });
}
