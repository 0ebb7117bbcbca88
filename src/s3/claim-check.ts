import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { QaError } from '../errors.js';
import { parseS3Uri } from './client.js';

/** Thrown for failures that may pass (network, 5xx, throttling): the worker retries the batch. */
export class TransientS3Error extends Error {
  readonly retriable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientS3Error';
  }
}

const GZIP = [0x1f, 0x8b];

/**
 * Fetches a claim-checked transcript body: size-limited (before and after gunzip), gzip detected by
 * magic bytes. Permanent problems become QaErrors (→ dead letter with the reason); anything that may
 * pass becomes TransientS3Error (→ retried, never dropped).
 */
export async function fetchTranscriptObject(
  client: S3Client,
  uri: string,
  maxBytes: number,
): Promise<Buffer> {
  const { bucket, key } = parseS3Uri(uri);
  let body: Uint8Array;
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (res.ContentLength !== undefined && res.ContentLength > maxBytes) {
      res.Body?.transformToWebStream().cancel();
      throw new QaError(
        'QA_ERR_TRANSCRIPT_TOO_LARGE',
        `object is ${res.ContentLength} bytes, limit ${maxBytes}`,
      );
    }
    body = (await res.Body?.transformToByteArray()) ?? new Uint8Array();
  } catch (err) {
    if (err instanceof QaError) throw err;
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    if (e.name === 'NoSuchKey' || e.name === 'NoSuchBucket' || status === 404) {
      throw new QaError('QA_ERR_TRANSCRIPT_REF_NOT_FOUND', `${e.name ?? 'not found'} (${status ?? '?'})`);
    }
    if (
      e.name === 'AccessDenied' ||
      e.name === 'InvalidAccessKeyId' ||
      e.name === 'SignatureDoesNotMatch' ||
      status === 403
    ) {
      throw new QaError('QA_ERR_TRANSCRIPT_REF_DENIED', `${e.name ?? 'denied'} (${status ?? '?'})`);
    }
    throw new TransientS3Error(
      `fetching the transcript failed: ${e.name ?? 'error'} (${status ?? 'no response'})`,
      { cause: err },
    );
  }
  if (body.length > maxBytes)
    throw new QaError('QA_ERR_TRANSCRIPT_TOO_LARGE', `object is ${body.length} bytes, limit ${maxBytes}`);
  if (body[0] === GZIP[0] && body[1] === GZIP[1]) {
    try {
      // maxOutputLength bounds a gzip bomb.
      return gunzipSync(body, { maxOutputLength: maxBytes });
    } catch (err) {
      const tooBig = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      throw tooBig
        ? new QaError('QA_ERR_TRANSCRIPT_TOO_LARGE', `decompressed object exceeds ${maxBytes} bytes`)
        : new QaError('QA_ERR_TRANSCRIPT_REF_INVALID', 'gzip data is corrupt');
    }
  }
  return Buffer.from(body);
}
