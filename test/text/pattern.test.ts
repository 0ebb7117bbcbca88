import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  compilePattern,
  findAll,
  findAround,
  leftmostLongest,
  PatternError,
  sequencesOccur,
} from '../../src/text/pattern.js';

const zh = { simplify: true, separators: 'drop' } as const;
const en = { simplify: false, separators: 'space' } as const;

/** Every `pattern` entry of the bundled lexicons of one language, with its gap and anchors. */
function bundledPatterns(language: 'zh' | 'en') {
  const patterns: Array<{ pattern: string; gap?: number; anchors?: string[] }> = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      if (typeof (x as { pattern?: unknown }).pattern === 'string') patterns.push(x as (typeof patterns)[0]);
      Object.values(x).forEach(walk);
    }
  };
  for (const file of readdirSync(`lexicons/${language}`))
    walk(parse(readFileSync(`lexicons/${language}/${file}`, 'utf8')));
  return patterns;
}

/** Every occurrence of every string in the text, overlapping ones included, as the automaton reports them. */
function occurrencesOf(strings: readonly string[], text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const a of strings)
    for (let i = text.indexOf(a); i >= 0; i = text.indexOf(a, i + 1)) spans.push([i, i + a.length]);
  return spans;
}

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

  it('glues an optional part of whole strings into its run, as those strings or none', () => {
    // 还有 alone is in every closing offer; 还有可以 / 还有没有能 are only in the ones this matches.
    const p = compilePattern('还有(没有)?(可以|能)…(帮|效劳)', zh);
    expect([...p.anchors].sort()).toEqual(['还有可以', '还有能', '还有没有可以', '还有没有能'].sort());
    for (const text of ['还有可以帮您的吗', '还有没有能效劳的']) {
      expect(findAll(p, text).length).toBe(1);
      expect(p.anchors.some((a) => text.includes(a))).toBe(true);
    }
    // Optional parts only: the run may match nothing, so it requires no string.
    expect(compilePattern('(都|也)?(没|不)', zh).anchors).toEqual(['没', '不']);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('还有', '没有', '可以', '能', '帮', '效劳', '的'), { maxLength: 20 }),
        (parts) => {
          const text = parts.join('');
          if (findAll(p, text).length > 0) expect(p.anchors.some((a) => text.includes(a))).toBe(true);
          expect(findAround(p, text, occurrencesOf(p.anchors, text))).toEqual(findAll(p, text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('runs a ^ pattern only where one of its first strings starts the turn', () => {
    const p = compilePattern('^(亲爱的|亲)…(您说|请讲)', zh);
    expect(p.startsWith).toEqual(['亲爱的', '亲']);
    expect(findAround(p, '亲爱的您说', occurrencesOf(p.anchors, '亲爱的您说'))).toEqual([[0, 5]]);
    expect(findAround(p, '好的亲您说', occurrencesOf(p.anchors, '好的亲您说'))).toEqual([]);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('亲', '亲爱的', '您说', '请讲', '好的', '爱'), { maxLength: 12 }),
        (parts) => {
          const text = parts.join('');
          expect(findAround(p, text, occurrencesOf(p.anchors, text))).toEqual(findAll(p, text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("requires the copies of a repeated literal in a row, and keeps derived sets beside the author's anchors", () => {
    // "he" alone would send the regex to every "the"; every match holds "heee".
    expect(compilePattern('he{3,}lp', en).anchors).toEqual(['heee']);
    // Exactly two copies: the repeat is whole, so it glues to what follows as well.
    expect(compilePattern('x(ab|c){2}y', en).required).toEqual([['xababy', 'xabcy', 'xcaby', 'xccy']]);
    expect(compilePattern('x(ab|c){2,}y', en).required).toEqual([['xabab', 'xabc', 'xcab', 'xcc'], ['y']]);
    const anchored = compilePattern('\\bif\\b.{0,80}\\b(still|again)\\b', en, 10, ['if']);
    expect(anchored.anchors).toEqual(['if']);
    expect(anchored.required).toEqual([['if'], ['still', 'again']]);
  });

  it('never asks for an anchor that a match may lack: an alternative with an optional part is not exact', () => {
    const p = compilePattern('(没有?|没)收到', zh);
    for (const text of ['没有收到', '没收到']) expect(p.anchors.some((a) => text.includes(a))).toBe(true);
    for (const set of p.required)
      for (const text of ['没有收到', '没收到']) expect(set.some((a) => text.includes(a))).toBe(true);
    // Optional and repeated parts still lend what they start or end with.
    expect(compilePattern('(这种|这个)(事情?)', zh).anchors).toEqual(['这种事', '这个事']);
    expect(compilePattern('(fails?|failed) to (load|open)', en).literals).toContain('fails to load');
    const sources = [
      '(没有?|没)收到',
      '(不|没)(有)?(收到|到货)',
      '(这种|这个)(事情?|问题)了?',
      'a(bc?|d)+e?f',
      '(ab?)(c|d)?e',
      'ab{2,}c|d(bc){2,3}',
      'x(ab|c){2}e?',
    ];
    const chars = [
      '没有',
      '没',
      '有',
      '收到',
      '到货',
      '不',
      '这种',
      '这个',
      '事',
      '情',
      '问题',
      '了',
      'a',
      'bc',
      'b',
      'c',
      'd',
      'e',
      'f',
      'x',
    ];
    for (const source of sources) {
      const p = compilePattern(source, zh);
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 12 }), (parts) => {
          const text = parts.join('');
          for (const [s, e] of findAll(p, text)) {
            const match = text.slice(s, e);
            for (const set of p.required) expect(set.some((a) => match.includes(a))).toBe(true);
            if (p.literals) expect(p.literals).toContain(match);
            expect(sequencesOccur(p.sequences, match)).toBe(true);
          }
        }),
      );
    }
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
        expect(findAround(p, text, occurrencesOf(p.anchors, text))).toEqual(findAll(p, text));
      }),
    );
  });

  it('runs an open-ended pattern from the first string a match can start with, finding what the whole text gives', () => {
    const cases = [
      {
        source: '\\b(thanks|ty)( [a-z]+){0,2}$',
        options: en,
        alphabet: ['thanks', 'ty', 'pret', ' ', 'a', 'lot', 'x'],
      },
      { source: '(ab|c)d+(e|f)', options: en, alphabet: ['ab', 'c', 'd', 'e', 'f', 'a', 'b', ' '] },
      { source: '(还有|有)(什么)+问题', options: zh, alphabet: ['还有', '有', '什么', '问题', '的', '还'] },
    ];
    for (const { source, options, alphabet } of cases) {
      const p = compilePattern(source, options);
      expect(p.maxLength).toBe(Number.POSITIVE_INFINITY);
      expect(p.startsWith).toBeDefined();
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 30 }), (parts) => {
          const text = parts.join('');
          expect(findAround(p, text, occurrencesOf(p.anchors, text))).toEqual(findAll(p, text));
        }),
        { numRuns: 300 },
      );
    }
    // "ty" inside "pretty" is where the window starts, yet \b still sees the letter before it.
    const thanks = compilePattern('\\b(thanks|ty)( [a-z]+){0,2}$', en);
    expect(findAround(thanks, 'so pretty', [[7, 9]])).toEqual([]);
    expect(
      findAround(thanks, 'so pretty ty a lot', [
        [7, 9],
        [10, 12],
      ]),
    ).toEqual([[10, 18]]);
    // A first part that may be missing starts the match with what follows it, or with itself glued on.
    const optional = compilePattern('(还有)?什么+问题', zh);
    expect(optional.startsWith).toEqual(['还有什么', '什么']);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('还有', '什么', '问题', '有', '的'), { maxLength: 20 }),
        (parts) => {
          const text = parts.join('');
          expect(findAround(optional, text, occurrencesOf(optional.anchors, text))).toEqual(
            findAll(optional, text),
          );
        },
      ),
      { numRuns: 300 },
    );
    // A first part that may be missing, followed by anything at all, gives no start.
    expect(compilePattern('(还有)?.+问题', zh).startsWith).toBeUndefined();
  });

  /** What the matcher does for a literal list: every occurrence of every literal, then leftmost-longest. */
  function viaLiterals(literals: readonly string[], text: string): Array<[number, number]> {
    return leftmostLongest(occurrencesOf(literals, text).sort((a, b) => a[0] - b[0] || a[1] - b[1]));
  }

  /** Texts made of pieces of the literals (whole, halves, single characters) and filler. */
  const textsFrom = (literals: readonly string[], filler: string[]) => {
    const pieces = [
      ...literals,
      ...literals.flatMap((l) => [l.slice(0, l.length >> 1), l.slice(l.length >> 1)]),
    ];
    const chars = [...new Set(literals.join(''))];
    return fc
      .array(fc.oneof(fc.constantFrom(...pieces), fc.constantFrom(...chars), fc.constantFrom(...filler)), {
        maxLength: 30,
      })
      .map((parts) => parts.join(''));
  };

  it('lists the strings of a pattern made of literals, and finds from them what the regex finds', () => {
    expect([...(compilePattern('(这么|那么|太)(慢|久)了?', zh).literals ?? [])].sort()).toEqual(
      [
        '这么慢',
        '这么久',
        '那么慢',
        '那么久',
        '太慢',
        '太久',
        '这么慢了',
        '这么久了',
        '那么慢了',
        '那么久了',
        '太慢了',
        '太久了',
      ].sort(),
    );
    // Gaps, open repeats and assertions keep the regex.
    expect(compilePattern('不是说…(吗|嘛)', zh).literals).toBeUndefined();
    expect(compilePattern('(好|很)+麻烦', zh).literals).toBeUndefined();
    expect(compilePattern('^(啊|啥)$', zh).literals).toBeUndefined();
    // English folds adjacent spaces of the source into one: such a pattern is not its expansion.
    expect(compilePattern('(mad )( at)', en).literals).toBeUndefined();
    for (const [source, options] of [
      ['((让|令|叫)(人|我))?(不满|失望|生气)', zh],
      ['(这么|那么|太)(慢|久)了?', zh],
      ['hate (this|it|you|your)|upset|mad at|fed up', en],
      ['(been )?on hold for|still having (issues|problems)', en],
    ] as const) {
      const p = compilePattern(source, options);
      expect(p.literals).toBeDefined();
      fc.assert(
        fc.property(textsFrom(p.literals!, options === zh ? ['的', '您'] : [' ', 'x', ' a ']), (text) => {
          expect(viaLiterals(p.literals!, text)).toEqual(findAll(p, text));
        }),
      );
    }
  });

  it('finds from the literals what the regex finds, for every bundled lexicon pattern made of literals', () => {
    for (const language of ['zh', 'en'] as const) {
      const options = language === 'zh' ? zh : en;
      const patterns = bundledPatterns(language);
      let listed = 0;
      for (const { pattern, gap, anchors } of patterns) {
        const p = compilePattern(pattern, options, gap ?? 10, anchors);
        if (!p.literals) continue;
        listed++;
        for (const l of p.literals) expect(p.regex.matches(l)).toBe(true);
        fc.assert(
          fc.property(textsFrom(p.literals, language === 'zh' ? ['的', '您'] : [' ', 'x']), (text) => {
            expect(viaLiterals(p.literals!, text)).toEqual(findAll(p, text));
          }),
          { numRuns: 30 },
        );
      }
      expect(listed).toBeGreaterThan(10);
    }
  });

  it('lists the parts in order, single characters too, so a turn holding them out of order never runs the regex', () => {
    const p = compilePattern('(数字x|\\d+)(天|周)(了)?(没|不)(发货|到)', zh);
    // Adjacent whole parts multiply, as for anchors, optional 了 included: one set of 16 strings.
    expect(p.sequences).toHaveLength(1);
    expect(p.sequences[0]).toHaveLength(1);
    expect(p.sequences[0]![0]).toHaveLength(16);
    expect(p.sequences[0]![0]).toEqual(expect.arrayContaining(['天没发货', '周了不到', '天了没到']));
    expect(sequencesOccur(p.sequences, '3天没发货')).toBe(true);
    expect(sequencesOccur(p.sequences, '三天了没到')).toBe(true);
    // 了 and 没到 apart: the regex cannot match, and the glued set says so before it runs.
    expect(sequencesOccur(p.sequences, '三天了还是没到')).toBe(false);
    expect(findAll(p, '三天了还是没到')).toEqual([]);
    // All the parts, in another order: no match is possible, and the check says so.
    expect(sequencesOccur(p.sequences, '不发货吗三天')).toBe(false);
    expect(findAll(p, '不发货吗三天')).toEqual([]);
    // One occurrence cannot serve two parts: "周" must end before "没到" starts.
    expect(sequencesOccur([[['周'], ['周到']]], '周到')).toBe(false);
    expect(sequencesOccur([[['周'], ['周到']]], '周周到')).toBe(true);
    expect(compilePattern('(a|b)…c', en).sequences).toEqual([[['a', 'b'], ['c']]]);
    // An alternation: one sequence per alternative, and a match needs only one of them in order.
    const alt = compilePattern('(x|y)…z|w…v', en);
    expect(alt.sequences).toEqual([
      [['x', 'y'], ['z']],
      [['w'], ['v']],
    ]);
    expect(sequencesOccur(alt.sequences, 'v w y z')).toBe(true);
    expect(sequencesOccur(alt.sequences, 'v w z y')).toBe(false);
    // An alternative without literals (a bare gap) leaves the whole pattern unchecked.
    expect(compilePattern('a…b|\\d+', en, 10, ['a']).sequences).toEqual([]);
  });

  it('never rules out a turn where a bundled pattern matches (order check against the regex)', () => {
    let matched = 0;
    for (const language of ['zh', 'en'] as const) {
      const options = language === 'zh' ? zh : en;
      const patterns = bundledPatterns(language);
      for (const { pattern, gap, anchors } of patterns) {
        const p = compilePattern(pattern, options, gap ?? 10, anchors);
        if (p.literals || p.sequences.length === 0) continue;
        // Texts made of the pattern's own parts, in any order, with filler between them.
        const pieces = [...new Set([...p.sequences.flat(2), ...p.required.flat()])];
        const filler = language === 'zh' ? ['的', '我', '了'] : [' ', ' the ', 'x'];
        fc.assert(
          fc.property(fc.array(fc.constantFrom(...pieces, ...filler), { maxLength: 14 }), (parts) => {
            const text = parts.join('');
            const found = findAll(p, text);
            if (found.length > 0) matched++;
            expect(found.length === 0 || sequencesOccur(p.sequences, text)).toBe(true);
          }),
          { numRuns: 40 },
        );
      }
    }
    // The generated texts do match: the check was put to the test.
    expect(matched).toBeGreaterThan(100);
  });
});
