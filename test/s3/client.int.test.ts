import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import { QaError } from '../../src/errors.js';
import { fetchTranscriptObject } from '../../src/sources/s3-claim-check.js';
import { freshBucket, put, s3 } from '../helpers/s3.js';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    if (err instanceof QaError) return err.code;
    throw err;
  }
}

describe('S3 client against a real S3-API server (S3Proxy, SigV4 required)', () => {
  it('needs checksums "when required": the SDK default (CRC32) is rejected by S3-compatible servers', async () => {
    const bucket = await freshBucket();
    const sdkDefault = new S3Client({
      endpoint: inject('s3Endpoint'),
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'qa-screen', secretAccessKey: 'qa-screen-secret' },
    });
    await expect(
      sdkDefault.send(new PutObjectCommand({ Bucket: bucket, Key: 'x', Body: '{}' })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 501 },
    });
    const ours = s3();
    await ours.send(new PutObjectCommand({ Bucket: bucket, Key: 'x', Body: '{}' }));
    const got = await ours.send(new GetObjectCommand({ Bucket: bucket, Key: 'x' }));
    expect(await got.Body!.transformToString()).toBe('{}');
  });

  it('is really authenticated: a wrong secret is refused', async () => {
    const bucket = await freshBucket();
    await put(s3(), bucket, 'a.json', '{}');
    expect(
      await codeOf(
        fetchTranscriptObject(s3({ AWS_SECRET_ACCESS_KEY: 'wrong' }), `s3://${bucket}/a.json`, 1000),
      ),
    ).toBe('QA_ERR_TRANSCRIPT_REF_DENIED');
  });
});
