import { describe, expect, it } from 'vitest';
import { gradeBand } from '../../src/review/analytics.js';
import { createRateLimiter, hashPassword, verifyPassword } from '../../src/review/passwords.js';
import { cohenKappa, fleissKappa, toCsv, wilson } from '../../src/review/stats.js';

describe('agreement statistics', () => {
  it("Cohen's kappa: 20/5/10/15 table gives 0.4; total agreement 1; chance-level 0", () => {
    const pairs: Array<[string, string]> = [
      ...Array(20).fill(['y', 'y']),
      ...Array(5).fill(['y', 'n']),
      ...Array(10).fill(['n', 'y']),
      ...Array(15).fill(['n', 'n']),
    ];
    expect(cohenKappa(pairs)).toBe(0.4);
    expect(
      cohenKappa([
        ['a', 'a'],
        ['b', 'b'],
      ]),
    ).toBe(1);
    expect(
      cohenKappa([
        ['a', 'a'],
        ['a', 'b'],
        ['b', 'a'],
        ['b', 'b'],
      ]),
    ).toBe(0);
    expect(cohenKappa([])).toBeNull();
  });

  it("Fleiss' kappa: the 10-subject, 14-rater textbook table gives 0.210", () => {
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    expect(fleissKappa(table)).toBeCloseTo(0.21, 3);
    expect(
      fleissKappa([
        [3, 0],
        [1, 1],
      ]),
    ).toBeNull(); // unequal rater counts
  });

  it('Wilson interval', () => {
    expect(wilson(8, 10)).toEqual({ low: 0.4902, high: 0.9433 });
    expect(wilson(0, 5)!.low).toBe(0);
    expect(wilson(0, 0)).toBeNull();
  });

  it('grade bands as issue 10 states seed 001: ≥90, ≥85, ≥75', () => {
    expect([100, 90, 89.9, 85, 84.9, 75, 74.9, 0].map(gradeBand)).toEqual([
      'excellent',
      'excellent',
      'good',
      'good',
      'pass',
      'pass',
      'poor',
      'poor',
    ]);
  });

  it('CSV quotes what needs quoting and neutralises formulas', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['=1+1', 3],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n\'=1+1,3\r\n');
  });
});

describe('passwords and the login limiter', () => {
  it('scrypt hashes verify, wrong passwords do not, salts differ', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });

  it('refuses after max failures within the window, and lets the key in again after it', () => {
    let t = 0;
    const limiter = createRateLimiter(3, 60_000, () => t);
    for (let i = 0; i < 3; i++) {
      expect(limiter.wait('k')).toBe(0);
      limiter.fail('k');
    }
    expect(limiter.wait('k')).toBe(60);
    t = 30_000;
    expect(limiter.wait('k')).toBe(30);
    t = 60_001;
    expect(limiter.wait('k')).toBe(0);
  });
});
