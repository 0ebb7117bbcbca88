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

  // Transitions are remembered per state across scans (small alphabets): a later text must find
  // what a fresh automaton finds, whatever earlier texts left behind.
  it('one automaton over many texts agrees with indexOf (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[ab c]{1,6}$/), { minLength: 1, maxLength: 10 }),
        fc.array(fc.stringMatching(/^[ab cd]{0,40}$/), { minLength: 2, maxLength: 8 }),
        (patterns, texts) => {
          const ac = buildAhoCorasick(patterns);
          for (const text of texts)
            expect(ac.findAll(text).map(key).sort()).toEqual(naive(patterns, text).map(key).sort());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps finding everything once the remembered transitions reach their cap', () => {
    // Every three-letter word: 18,278 states, more than get a row, and a text that visits most of them.
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const words: string[] = [];
    for (const x of letters) for (const y of letters) for (const z of letters) words.push(x + y + z);
    const ac = buildAhoCorasick(words);
    let seed = 7;
    let text = '';
    for (let i = 0; i < 120_000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      text += letters[(seed >>> 16) % 26];
    }
    for (const chunk of [text, text.slice(0, 5_000)]) {
      const found = ac.findAll(chunk);
      expect(found).toHaveLength(chunk.length - 2);
      expect(found.every((m, i) => m.start === i && words[m.pattern] === chunk.slice(i, i + 3))).toBe(true);
    }
  });

  it('treats a large alphabet (Chinese) as before: no remembered rows, same occurrences', () => {
    const patterns = Array.from({ length: 200 }, (_, i) =>
      String.fromCharCode(0x4e00 + i, 0x4e00 + ((i * 7) % 200)),
    );
    const ac = buildAhoCorasick(patterns);
    const text = Array.from({ length: 3000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 13) % 210))).join(
      '',
    );
    expect(ac.findAll(text).map(key).sort()).toEqual(naive(patterns, text).map(key).sort());
  });
});
