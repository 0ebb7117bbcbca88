import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type NormalizeOptions, normalize } from '../../src/text/normalize.js';

const zh: NormalizeOptions = { simplify: true, separators: 'drop' };
const en: NormalizeOptions = { simplify: false, separators: 'space' };

describe('normalize', () => {
  it('folds full width, case and traditional characters, dropping separators for Chinese', () => {
    const n = normalize('您　好!ＨＥＬＬＯ,這是規定。', zh);
    expect(n.text).toBe('您好hello这是规定');
  });

  it('folds punctuation runs into one space for English and lowercases', () => {
    expect(normalize("  I   DON'T — know!! ", en).text).toBe('i don t know');
  });

  it('maps a normalised span back to the exact original characters', () => {
    const original = 'ＡＢ 這是規定 ok';
    const n = normalize(original, zh);
    const a = n.text.indexOf('这是规定');
    expect(original.slice(n.starts[a], n.ends[a + 3])).toBe('這是規定');
  });

  it('keeps composed characters whole (NFKC composes base + combining mark)', () => {
    const n = normalize('cafe\u0301 ok', en);
    expect(n.text).toBe('café ok');
    expect(n.starts[3]).toBe(3);
    expect(n.ends[3]).toBe(5);
  });

  it('maps every normalised span back to original text that normalises to the same span (property)', () => {
    const alphabet = fc.constantFrom(...'ab Z,.!?　ＡＢ１２這是規定您好不知道嗯啊😀e\u0301ﬁ①');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (s, x, y, chinese) => {
          const options = chinese ? zh : en;
          const n = normalize(s, options);
          expect(n.starts.length).toBe(n.text.length);
          for (let i = 1; i < n.text.length; i++)
            expect(n.starts[i]!).toBeGreaterThanOrEqual(n.starts[i - 1]!);
          if (n.text.length === 0) return;
          let a = x % n.text.length;
          let b = a + 1 + (y % (n.text.length - a));
          // Spans a matcher can report never start or end on a folded separator.
          while (a < b && n.text[a] === ' ') a++;
          while (b > a && n.text[b - 1] === ' ') b--;
          if (a >= b) return;
          // A span may cut inside the expansion of one source character (ﬁ → fi); widen to whole sources.
          while (a > 0 && n.starts[a - 1] === n.starts[a]) a--;
          while (b < n.text.length && n.starts[b] === n.starts[b - 1]) b++;
          const back = s.slice(n.starts[a], n.ends[b - 1]);
          expect(normalize(back, options).text).toBe(n.text.slice(a, b));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('traditional → simplified table', () => {
  it('converts traditional and Taiwan/Hong Kong variants but leaves simplified text alone', () => {
    expect(normalize('什么怎么这么', zh).text).toBe('什么怎么这么');
    expect(normalize('裡麵髮後臺灣', zh).text).toBe('里面发后台湾');
    expect(normalize('請問還有什麼可以幫您', zh).text).toBe('请问还有什么可以帮您');
  });
});
