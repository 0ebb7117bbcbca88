import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { QaError } from '../../src/errors.js';
import { fetchTranscriptObject, s3ClaimCheck } from '../../src/sources/s3-claim-check.js';
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

  it('treats an unreachable server as retriable (retried, never dead-lettered)', async () => {
    const down = s3({ S3_ENDPOINT: 'http://127.0.0.1:1', S3_MAX_ATTEMPTS: '1' });
    expect(await codeOf(fetchTranscriptObject(down, 's3://bucket/key.json', 4000))).toBe(
      'QA_ERR_S3_UNAVAILABLE',
    );
    let attempts = 0;
    const resolve = s3ClaimCheck(down, {
      retries: 2,
      initialRetryTime: 10,
      onRetry: () => {
        attempts++;
      },
    });
    const err = await resolve('s3://bucket/key.json', 4000).catch((e: QaError) => e);
    expect(err).toMatchObject({ code: 'QA_ERR_S3_UNAVAILABLE', retriable: true });
    expect(attempts).toBe(2);
  });

  it('does not retry a permanent failure', async () => {
    let attempts = 0;
    const resolve = s3ClaimCheck(s3(), {
      onRetry: () => {
        attempts++;
      },
    });
    expect(await codeOf(resolve('s3://no-such-bucket-qa/x.json', 4000))).toBe(
      'QA_ERR_TRANSCRIPT_REF_NOT_FOUND',
    );
    expect(attempts).toBe(0);
  });
});
