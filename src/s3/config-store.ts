import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { localStore } from '../config/file-store.js';
import { MAX_CONFIG_BYTES } from '../config/source.js';
import type { ConfigStore } from '../config/store.js';
import { QaError } from '../errors.js';
import { retry } from '../retry.js';
import { parseS3Uri } from './client.js';
import { s3Error, s3Failure } from './errors.js';

const CODES = { notFound: 'QA_ERR_CONFIG_NOT_FOUND', denied: 'QA_ERR_CONFIG_NOT_FOUND' } as const;

/**
 * An object's body, refused from its Content-Length when that is over the config size limit, and
 * read no further than the limit when the length is not announced.
 */
async function readBounded(
  body: AsyncIterable<Uint8Array> | undefined,
  length: number | undefined,
  location: string,
): Promise<string> {
  const tooLarge = () =>
    new QaError('QA_ERR_CONFIG_TOO_LARGE', `${location} is over ${MAX_CONFIG_BYTES} bytes`);
  const destroy = () => (body as { destroy?: () => void } | undefined)?.destroy?.();
  if (length !== undefined && length > MAX_CONFIG_BYTES) {
    destroy();
    throw tooLarge();
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body ?? []) {
    total += chunk.length;
    if (total > MAX_CONFIG_BYTES) {
      destroy();
      throw tooLarge();
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts, total).toString('utf8');
}

/** Lexicons and pipelines in a bucket: read with GetObject, changes noticed by ETag (HeadObject). */
export function s3ConfigStore(client: S3Client): ConfigStore {
  return {
    read: (location) =>
      retry(async () => {
        const { bucket, key } = parseS3Uri(location);
        try {
          const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          return await readBounded(
            res.Body as AsyncIterable<Uint8Array> | undefined,
            res.ContentLength,
            location,
          );
        } catch (err) {
          throw s3Error(err, CODES, location);
        }
      }),
    async fingerprint(location) {
      const { bucket, key } = parseS3Uri(location);
      try {
        return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag ?? 'no-etag';
      } catch (err) {
        if (s3Failure(err) === 'not-found') return 'missing';
        throw s3Error(err, CODES, location);
      }
    },
  };
}

/** Files on disk and s3:// URIs alike. */
export function configStore(s3: S3Client | undefined): ConfigStore {
  const remote = s3 ? s3ConfigStore(s3) : undefined;
  const pick = (location: string) => {
    if (!location.startsWith('s3://')) return localStore;
    if (!remote)
      throw new QaError(
        'QA_ERR_CONFIG_NOT_FOUND',
        `${location}: S3 is not configured (set S3_ENDPOINT or AWS settings)`,
      );
    return remote;
  };
  return {
    read: (location) => pick(location).read(location),
    fingerprint: (location) => pick(location).fingerprint(location),
  };
}
