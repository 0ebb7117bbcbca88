import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePattern, findAll, findAround, PatternError } from '../../src/text/pattern.js';

const zh = { simplify: true, separators: 'drop' } as const;
const en = { simplify: false, separators: 'space' } as const;

describe('lexicon patterns', () => {
  it('normalises literals like the text and expands … into a short gap', () => {
    const p = compilePattern('還有(什麼|其他)…幫', zh);
    expect(p.re2).toBe('还有(?:什么|其他).{0,10}帮');
    expect(compilePattern("Don't (know|care)", en).re2).toBe('don t (?:know|care)');
  });

  it('derives literal anchors, multiplying adjacent parts, and lists every required set', () => {
    const p = compilePattern('还有(什么|其他)…(帮|效劳)', zh);
    expect(p.anchors).toEqual(['还有什么', '还有其他']);
    expect(p.required).toEqual([
      ['还有什么', '还有其他'],
      ['帮', '效劳'],
    ]);
    expect(compilePattern('^(亲|亲爱的)', zh).anchors).toEqual(['亲']);
  });

  it('refuses what cannot run in linear time or cannot be anchored, with a reason', () => {
    expect(() => compilePattern('(a)\\1', en)).toThrow(PatternError);
    expect(() => compilePattern('(?=a)b', en)).toThrow(/only \(…\) and \(\?:…\) groups/);
    expect(() => compilePattern('.*', en)).toThrow(/anchors/);
    expect(compilePattern('.*', en, 10, ['x']).anchors).toEqual(['x']);
  });

  it('bounds the match length unless the pattern is open-ended', () => {
    expect(compilePattern('ab…c', en).maxLength).toBe(2 + 20 + 1);
    expect(compilePattern('ab+c', en).maxLength).toBe(Number.POSITIVE_INFINITY);
  });

  it('finds around anchors exactly what it finds on the whole text', () => {
    const p = compilePattern('还有(什么|其他)…(帮|效劳)', zh);
    const alphabet = ['还有', '什么', '其他', '帮', '效劳', '的', '您', '吗'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const anchors: Array<[number, number]> = [];
        for (const a of p.anchors)
          for (let i = text.indexOf(a); i >= 0; i = text.indexOf(a, i + 1)) anchors.push([i, i + a.length]);
        expect(findAround(p, text, anchors)).toEqual(findAll(p, text));
      }),
    );
  });
});
