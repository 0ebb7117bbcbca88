import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { parse } from 'yaml';
import { parseSettings } from '../../src/config/settings.js';
import { createS3Client } from '../../src/s3/client.js';

export const S3_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'qa-screen', AWS_SECRET_ACCESS_KEY: 'qa-screen-secret' };

export function s3Env(): Record<string, string> {
  return { S3_ENDPOINT: inject('s3Endpoint'), ...S3_CREDENTIALS };
}

export function s3(over: Record<string, string> = {}): S3Client {
  return createS3Client(parseSettings({ ...s3Env(), ...over }).s3);
}

export async function freshBucket(client: S3Client = s3()): Promise<string> {
  const bucket = `qa-${randomUUID().slice(0, 12)}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

export async function put(client: S3Client, bucket: string, key: string, body: string | Uint8Array) {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

/**
 * Uploads a bundled pipeline (`pipelines/x.yaml`) and every lexicon file it lists, under the same keys
 * as their paths in the repository, so `s3://BUCKET/pipelines/x.yaml` loads as the file does.
 */
export async function putBundledPipeline(client: S3Client, bucket: string, pipeline: string) {
  const text = readFileSync(pipeline, 'utf8');
  await put(client, bucket, pipeline, text);
  for (const lexicon of (parse(text) as { lexicons: string[] }).lexicons) {
    const key = normalize(join(pipeline, '..', lexicon));
    await put(client, bucket, key, readFileSync(key));
  }
}
