import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEYLEN = 32;

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEYLEN, { ...opts, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** scrypt hash as `scrypt$N$r$p$salt$key` (base64url), parameters kept with the hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of nothing anyone knows, verified against when the user does not exist (same timing). */
export const DUMMY_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/**
 * Failed logins per key (client address, and username) in a sliding window: once `max` failures
 * fall within `windowMs`, further attempts are refused until the oldest leaves the window.
 */
export function createRateLimiter(max: number, windowMs: number, now: () => number = Date.now) {
  const failures = new Map<string, number[]>();
  const recent = (key: string) => (failures.get(key) ?? []).filter((t) => t > now() - windowMs);
  return {
    /** Seconds to wait before this key may try again; 0 when it may. */
    wait(key: string): number {
      const r = recent(key);
      if (r.length < max) return 0;
      return Math.max(1, Math.ceil((r[r.length - max]! + windowMs - now()) / 1000));
    },
    fail(key: string): void {
      const r = recent(key);
      r.push(now());
      failures.set(key, r);
      if (failures.size > 100_000) failures.clear();
    },
    reset(key: string): void {
      failures.delete(key);
    },
  };
}
