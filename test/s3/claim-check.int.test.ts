import { gzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import { QaError } from '../../src/errors.js';
import { fetchTranscriptObject, TransientS3Error } from '../../src/s3/claim-check.js';
import { freshBucket, put, s3 } from '../helpers/s3.js';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    if (err instanceof QaError) return err.code;
    if (err instanceof TransientS3Error) return 'transient';
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

describe('claim-check fetch', () => {
  it('returns plain and gzip objects, and classifies every failure', async () => {
    const client = s3();
    const bucket = await freshBucket(client);
    const body = JSON.stringify({ turns: [{ speaker: 'agent', text: '您好' }] });
    await put(client, bucket, 'plain.json', body);
    await put(client, bucket, 'packed.json.gz', gzipSync(body));
    await put(client, bucket, 'big.json', 'x'.repeat(5000));
    await put(client, bucket, 'bomb.json.gz', gzipSync(Buffer.alloc(10_000_000)));
    await put(client, bucket, 'corrupt.gz', Buffer.from([0x1f, 0x8b, 1, 2, 3, 4]));
    expect((await fetchTranscriptObject(client, `s3://${bucket}/plain.json`, 4000)).toString()).toBe(body);
    expect((await fetchTranscriptObject(client, `s3://${bucket}/packed.json.gz`, 4000)).toString()).toBe(
      body,
    );
    expect(await codeOf(fetchTranscriptObject(client, `s3://${bucket}/missing.json`, 4000))).toBe(
      'QA_ERR_TRANSCRIPT_REF_NOT_FOUND',
    );
    expect(await codeOf(fetchTranscriptObject(client, 's3://no-such-bucket-qa/x.json', 4000))).toBe(
      'QA_ERR_TRANSCRIPT_REF_NOT_FOUND',
    );
    expect(await codeOf(fetchTranscriptObject(client, `s3://${bucket}/big.json`, 4000))).toBe(
      'QA_ERR_TRANSCRIPT_TOO_LARGE',
    );
    expect(await codeOf(fetchTranscriptObject(client, `s3://${bucket}/bomb.json.gz`, 100_000))).toBe(
      'QA_ERR_TRANSCRIPT_TOO_LARGE',
    );
    expect(await codeOf(fetchTranscriptObject(client, `s3://${bucket}/corrupt.gz`, 4000))).toBe(
      'QA_ERR_TRANSCRIPT_REF_INVALID',
    );
  });

  it('treats an unreachable server as transient (retried, never dead-lettered)', async () => {
    const down = s3({ S3_ENDPOINT: 'http://127.0.0.1:1', S3_MAX_ATTEMPTS: '1' });
    expect(await codeOf(fetchTranscriptObject(down, 's3://bucket/key.json', 4000))).toBe('transient');
  });
});
