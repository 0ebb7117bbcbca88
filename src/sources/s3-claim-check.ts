import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { QaError } from '../errors.js';
import type { ResolveRef } from '../pipeline/process.js';
import { type RetryOptions, retry } from '../retry.js';
import { parseS3Uri } from '../s3/client.js';
import { s3Error } from '../s3/errors.js';

const GZIP = [0x1f, 0x8b];

/**
 * Fetches a claim-checked transcript body: size-limited (before and after gunzip), gzip detected by
 * magic bytes. Permanent problems are QaErrors that go to the dead letters with their reason; an
 * unavailable store is QA_ERR_S3_UNAVAILABLE (retriable): never dropped, the batch is consumed again.
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
    throw s3Error(
      err,
      { notFound: 'QA_ERR_TRANSCRIPT_REF_NOT_FOUND', denied: 'QA_ERR_TRANSCRIPT_REF_DENIED' },
      'fetching the transcript',
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

/**
 * Claim-check transcripts from S3: a reference resolver for the screening step. A store that is
 * briefly unavailable is retried here a few times; if it stays down the error stays retriable and
 * the source consumes the batch again later.
 */
export function s3ClaimCheck(
  client: S3Client,
  retryOptions: Partial<RetryOptions> = { retries: 2 },
): ResolveRef {
  return (uri, maxBytes) => retry(() => fetchTranscriptObject(client, uri, maxBytes), retryOptions);
}
