import { describe, expect, it } from 'vitest';
import { QaError } from '../src/errors.js';
import { retry, retryDelay } from '../src/retry.js';

const fast = { initialRetryTime: 1, maxRetryTime: 5 };

describe('retry', () => {
  it('tries again on errors the catalogue marks retriable, then succeeds', async () => {
    let calls = 0;
    const result = await retry(async () => {
      calls++;
      if (calls < 3) throw new QaError('QA_ERR_S3_UNAVAILABLE');
      return 'ok';
    }, fast);
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('never retries a permanent error or a programming error', async () => {
    for (const error of [new QaError('QA_ERR_TRANSCRIPT_REF_NOT_FOUND'), new TypeError('x is undefined')]) {
      let calls = 0;
      await expect(
        retry(async () => {
          calls++;
          throw error;
        }, fast),
      ).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });

  it('gives up after the configured retries with the last error', async () => {
    let calls = 0;
    const attempts: number[] = [];
    await expect(
      retry(
        async () => {
          calls++;
          throw new QaError('QA_ERR_KAFKA_UNAVAILABLE', `attempt ${calls}`);
        },
        { ...fast, retries: 2, onRetry: (_e, attempt) => attempts.push(attempt) },
      ),
    ).rejects.toThrow('attempt 3');
    expect(attempts).toEqual([1, 2]);
  });

  it("backs off exponentially with jitter, capped (kafkajs' schedule)", () => {
    const o = { initialRetryTime: 300, maxRetryTime: 30_000, factor: 0.2, multiplier: 2 };
    expect(retryDelay(0, o, () => 0.5)).toBe(300);
    expect(retryDelay(3, o, () => 0.5)).toBe(2400);
    expect(retryDelay(3, o, () => 0)).toBe(1920);
    expect(retryDelay(3, o, () => 1)).toBe(2880);
    expect(retryDelay(20, o, () => 0.5)).toBe(30_000);
  });
});
