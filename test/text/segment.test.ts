import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/text/normalize.js';
import { WordBoundaries } from '../../src/text/segment.js';

const zh = { simplify: true, separators: 'drop' } as const;

function boundaries(text: string): number[] {
  const b = new WordBoundaries(normalize(text, zh));
  return Array.from({ length: normalize(text, zh).text.length + 1 }, (_, i) => i).filter((i) => b.at(i));
}

describe('Chinese word boundaries', () => {
  it('follow the segmenter: a word is not split, separate words are', () => {
    expect(boundaries('傻瓜相机')).toEqual([0, 4]);
    expect(boundaries('你这个傻瓜')).toEqual([0, 1, 3, 5]);
  });

  it('always lie where punctuation or spaces were dropped', () => {
    // "好的" and "傻瓜相机" are segmented apart because the comma separated them.
    expect(boundaries('好的,傻瓜相机')).toContain(2);
  });
});
