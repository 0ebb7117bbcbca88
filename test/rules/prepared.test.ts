import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { longestHits } from '../../src/rules/prepared.js';
import type { PhraseHit } from '../../src/text/phrase-index.js';

const entry = { lexicon: 'l', category: 'c', phrase: 'p', severity: 'minor', points: 1 } as const;
const hit = (normStart: number, normEnd: number): PhraseHit => ({
  entry,
  start: normStart,
  end: normEnd,
  normStart,
  normEnd,
});

/** The definition: a hit goes when another contains it and is longer, or is the same span listed first. */
function naive(hits: readonly PhraseHit[]): PhraseHit[] {
  return hits.filter(
    (h, i) =>
      !hits.some(
        (o, k) =>
          k !== i &&
          o.normStart <= h.normStart &&
          o.normEnd >= h.normEnd &&
          (o.normEnd - o.normStart > h.normEnd - h.normStart || k < i),
      ),
  );
}

describe('longestHits', () => {
  it('keeps the longest of nested hits and the first of identical spans, in input order', () => {
    const a = hit(0, 7);
    const b = hit(1, 7);
    const c = hit(3, 5);
    const d = hit(10, 12);
    const e = hit(10, 12);
    const f = hit(11, 14);
    expect(longestHits([c, a, b, d, e, f])).toEqual([a, d, f]);
    expect(longestHits([d, e])[0]).toBe(d);
  });

  it('agrees with the definition on random hits', () => {
    const hits = fc.array(
      fc.tuple(fc.nat(40), fc.integer({ min: 1, max: 8 })).map(([s, len]) => hit(s, s + len)),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(hits, (list) => {
        expect(longestHits(list)).toEqual(naive(list));
      }),
      { numRuns: 500 },
    );
  });

  it('reads each hit a bounded number of times (n log n, not n²): 20,000 one-character hits', () => {
    const n = 20_000;
    const hits = Array.from({ length: n }, (_, i) => hit(i, i + 1));
    let reads = 0;
    const counted = new Proxy(hits, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    expect(longestHits(counted)).toHaveLength(n);
    // The old pairwise scan read about n² = 400,000,000 elements here.
    expect(reads).toBeLessThanOrEqual(3 * n);
  });
});
