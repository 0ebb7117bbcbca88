import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chainMatches, occurrencesOf } from '../../src/text/chain.js';
import { type CompiledPattern, compilePattern, findAll } from '../../src/text/pattern.js';

const zh = { simplify: true, separators: 'drop' } as const;
const en = { simplify: false, separators: 'space' } as const;

/** Every occurrence of every string of each part, as the phrase index gathers them. */
const partsIn = (text: string, parts: ReadonlyArray<readonly string[]>) =>
  parts.map((strings) => occurrencesOf(text, strings));

const viaChain = (p: CompiledPattern, text: string) =>
  chainMatches(text, partsIn(text, p.segments!.parts), p.segments!.gaps);

describe('gap patterns chained from their parts', () => {
  it('splits a pattern of literal parts and gaps into parts, and leaves other shapes to the regex', () => {
    const p = compilePattern('还有(什么|其他)…(帮|效劳)…(吗|呢)', zh);
    expect(p.segments).toEqual({
      parts: [
        ['还有什么', '还有其他'],
        ['帮', '效劳'],
        ['吗', '呢'],
      ],
      gaps: [10, 10],
    });
    expect(compilePattern('(好几|几)次…了', zh, 4).segments?.gaps).toEqual([4]);
    // Not a chain: a leading gap, an anchor, a class with a range, a pattern of literals only, English.
    expect(compilePattern('…(帮|效劳)', zh, 10, ['帮', '效劳']).segments).toBeUndefined();
    expect(compilePattern('^(在的|在呢)…(您说|请讲)', zh).segments).toBeUndefined();
    expect(compilePattern('(\\d+)天…没(到|发)', zh).segments).toBeUndefined();
    expect(compilePattern('(这么|那么)(慢|久)', zh).segments).toBeUndefined();
    expect(compilePattern('(anything|something)…else', en).segments).toBeUndefined();
  });

  it('chains parts within the gap, longest from the leftmost start, without overlap', () => {
    const parts = [['还有什么'], ['帮'], ['吗']];
    const gaps = [3, 3];
    const run = (text: string) => chainMatches(text, partsIn(text, parts), gaps);
    expect(run('请问还有什么可以帮您的吗')).toEqual([[2, 12]]);
    // Four characters between 还有什么 and 帮: too far.
    expect(run('还有什么事情可以帮您的吗')).toEqual([]);
    // The longest end from the start: the second 吗 is still within reach of 帮.
    expect(run('还有什么帮吗吗')).toEqual([[0, 7]]);
    // A line break is no gap (RE2's "." does not match it).
    expect(run('还有什么\n帮您吗')).toEqual([]);
    // A character outside the BMP is one character of the gap, not two.
    expect(run('还有什么😀😀😀帮吗')).toEqual([[0, 12]]);
    expect(run('还有什么😀😀😀😀帮吗')).toEqual([]);
    // Two matches in a row, the second starting after the first ends.
    expect(run('还有什么帮吗，还有什么帮吗')).toEqual([
      [0, 6],
      [7, 13],
    ]);
  });

  it('finds what the regex finds on a long turn full of occurrences (each gap counted once per occurrence)', () => {
    const p = compilePattern('还有(什么|其他)…(帮|效劳)…(吗|呢)', zh, 50);
    const pieces = ['还有什么', '帮', '吗', '呢', '效劳', '的', '\n', '😀', '还有其他'];
    let text = '';
    for (let i = 0; text.length < 4000; i++) text += pieces[(i * 7 + (i >> 3)) % pieces.length];
    const found = findAll(p, text);
    expect(found.length).toBeGreaterThan(10);
    expect(viaChain(p, text)).toEqual(found);
  });

  it('finds what the regex finds, for every bundled Chinese pattern made of parts and gaps', () => {
    let chained = 0;
    let matched = 0;
    const patterns: Array<{ pattern: string; gap?: number; anchors?: string[] }> = [];
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === 'object') {
        if (typeof (x as { pattern?: unknown }).pattern === 'string')
          patterns.push(x as (typeof patterns)[0]);
        Object.values(x).forEach(walk);
      }
    };
    for (const file of readdirSync('lexicons/zh')) walk(parse(readFileSync(`lexicons/zh/${file}`, 'utf8')));
    for (const { pattern, gap, anchors } of patterns) {
      const p = compilePattern(pattern, zh, gap ?? 10, anchors);
      if (!p.segments) continue;
      chained++;
      const pieces = [...new Set(p.segments.parts.flat())];
      // Filler of one and two units, a line break, and text that holds pieces more than once.
      const filler = ['的', '我', '了', '😀', '\n', '还', '有'];
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...pieces, ...filler), { maxLength: 16 }), (items) => {
          const text = items.join('');
          const found = findAll(p, text);
          if (found.length > 0) matched++;
          expect(viaChain(p, text)).toEqual(found);
        }),
        { numRuns: 60 },
      );
    }
    expect(chained).toBeGreaterThan(10);
    // The generated texts do match: the comparison was put to the test.
    expect(matched).toBeGreaterThan(200);
  });
});
