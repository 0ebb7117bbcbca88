import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAhoCorasick } from '../../src/text/aho-corasick.js';

function naive(patterns: string[], text: string) {
  const found: Array<{ pattern: number; start: number; end: number }> = [];
  patterns.forEach((p, id) => {
    if (!p) return;
    for (let i = text.indexOf(p); i !== -1; i = text.indexOf(p, i + 1))
      found.push({ pattern: id, start: i, end: i + p.length });
  });
  return found;
}

const key = (m: { pattern: number; start: number; end: number }) => `${m.pattern}:${m.start}:${m.end}`;

describe('Aho–Corasick', () => {
  it('finds overlapping and nested occurrences', () => {
    const ac = buildAhoCorasick(['不知道', '知道', '不知道您还有什么需要', 'he', 'she', 'hers']);
    const found = ac.findAll('不知道您还有什么需要 ushers').map(key);
    expect(found.sort()).toEqual(['0:0:3', '1:1:3', '2:0:10', '3:13:15', '4:12:15', '5:13:17'].sort());
  });

  it('handles duplicate patterns and astral characters', () => {
    const ac = buildAhoCorasick(['😀a', '😀a', 'a']);
    expect(ac.findAll('x😀a').map(key).sort()).toEqual(['0:1:4', '1:1:4', '2:3:4']);
  });

  it('agrees with one indexOf scan per pattern (property)', () => {
    const small = fc
      .array(fc.constantFrom('a', 'b', 'c', '不', '知'), { minLength: 1, maxLength: 5 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(
        fc.array(small, { minLength: 1, maxLength: 12 }),
        fc.array(fc.constantFrom('a', 'b', 'c', '不', '知', ' '), { maxLength: 60 }),
        (patterns, chars) => {
          const text = chars.join('');
          const got = buildAhoCorasick(patterns).findAll(text).map(key).sort();
          expect(got).toEqual(naive(patterns, text).map(key).sort());
        },
      ),
      { numRuns: 1000 },
    );
  });
});
