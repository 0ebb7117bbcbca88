import { isRetriable } from './errors.js';

export interface RetryOptions {
  /** Attempts after the first. */
  retries: number;
  initialRetryTime: number;
  maxRetryTime: number;
  /** Jitter: each delay is randomised within ±factor. */
  factor: number;
  multiplier: number;
  /** Called before each new attempt (for logging). */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

export const DEFAULT_RETRY: RetryOptions = {
  retries: 5,
  initialRetryTime: 300,
  maxRetryTime: 30_000,
  factor: 0.2,
  multiplier: 2,
};

/** kafkajs' schedule: exponential backoff with jitter, capped. */
export function retryDelay(
  attempt: number,
  o: Pick<RetryOptions, 'initialRetryTime' | 'maxRetryTime' | 'factor' | 'multiplier'>,
  random = Math.random,
): number {
  const base = o.initialRetryTime * o.multiplier ** attempt;
  const jittered = base * (1 - o.factor + random() * 2 * o.factor);
  return Math.min(o.maxRetryTime, Math.round(jittered));
}

/**
 * Runs `fn`, trying again while it fails with an error the catalogue marks retriable; anything else
 * (bad data, a refusal, a TypeError) is thrown at once, and the last retriable error after the
 * last attempt.
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: Partial<RetryOptions> = {},
): Promise<T> {
  const o = { ...DEFAULT_RETRY, ...options };
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isRetriable(err) || attempt >= o.retries) throw err;
      const delay = retryDelay(attempt, o);
      o.onRetry?.(err, attempt + 1, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
