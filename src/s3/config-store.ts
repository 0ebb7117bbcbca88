import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type ConfigStore, localStore } from '../config/load.js';
import { QaError } from '../errors.js';
import { parseS3Uri } from './client.js';

/** Lexicons and pipelines in a bucket: read with GetObject, changes noticed by ETag (HeadObject). */
export function s3ConfigStore(client: S3Client): ConfigStore {
  const notFound = (err: unknown) => {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return (
      e.name === 'NoSuchKey' ||
      e.name === 'NoSuchBucket' ||
      e.name === 'NotFound' ||
      e.$metadata?.httpStatusCode === 404
    );
  };
  return {
    async read(location) {
      const { bucket, key } = parseS3Uri(location);
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await res.Body?.transformToString('utf-8')) ?? '';
      } catch (err) {
        if (notFound(err)) throw new QaError('QA_ERR_CONFIG_NOT_FOUND', location);
        throw err;
      }
    },
    async fingerprint(location) {
      const { bucket, key } = parseS3Uri(location);
      try {
        return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag ?? 'no-etag';
      } catch (err) {
        if (notFound(err)) return 'missing';
        throw err;
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
