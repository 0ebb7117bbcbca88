import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/text/normalize.js';
import { segmenterBoundaries, WordBoundaries } from '../../src/text/segment.js';
import { NO, routeBoundaries, UNKNOWN, YES } from '../../src/text/word-route.js';

// Seeded runs: common characters with everyday words sprinkled in, so both dictionary words and
// stretches of single characters (the HMM's part) occur.
function runs(count: number): string[] {
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const chars =
    '的一是了我不在人们有来他这上着个地到大里说就去子得也和那要下看天时过出小么起你都把好还多没为又可家';
  const words = [
    '不行',
    '没办法',
    '您好',
    '退款',
    '快递',
    '什么时候',
    '不知道',
    '麻烦',
    '谢谢',
    '客服',
    '订单',
    '滚',
  ];
  return Array.from({ length: count }, () => {
    let run = '';
    const length = 2 + Math.floor(random() * 18);
    while (run.length < length) {
      run +=
        random() < 0.3
          ? words[Math.floor(random() * words.length)]
          : chars[Math.floor(random() * chars.length)];
    }
    return run;
  });
}

describe('word boundaries from the segmenter dictionary', () => {
  it('agree with the segmenter wherever they settle a position, and settle most of them', () => {
    let settled = 0;
    let positions = 0;
    for (const run of runs(3000)) {
      const truth = segmenterBoundaries(run);
      const route = routeBoundaries(run);
      for (let i = 0; i <= run.length; i++) {
        positions++;
        if (route[i] === UNKNOWN) continue;
        settled++;
        expect({ run, i, boundary: route[i] === YES }).toEqual({ run, i, boundary: truth[i] === 1 });
      }
    }
    expect(settled / positions).toBeGreaterThan(0.5);
  });

  it('never split a dictionary word the route takes and always cut around it', () => {
    const b = routeBoundaries('我要退款');
    // 退款 is one word: no boundary inside, boundaries at both ends.
    expect(b[3]).toBe(NO);
    expect(b[2]).toBe(YES);
    expect(b[4]).toBe(YES);
  });

  it('leave runs with other than CJK ideographs to the segmenter', () => {
    expect([...routeBoundaries('订单x号')].slice(1, -1).every((v) => v === UNKNOWN)).toBe(true);
  });

  it('leave open only stretches the segmenter cuts alike alone and in their clause', () => {
    // WordBoundaries cuts such a stretch by itself, not its whole clause: its HMM decides a run of
    // single characters from those characters alone.
    let shorter = 0;
    for (const run of runs(3000)) {
      const truth = segmenterBoundaries(run);
      const route = routeBoundaries(run);
      for (let i = 1; i < run.length; i++) {
        if (route[i] !== UNKNOWN || route[i - 1] !== YES) continue;
        let end = i;
        while (route[end] === UNKNOWN) end++;
        const from = i - 1;
        if (end - from < run.length) shorter++;
        expect({ run, from, cut: [...segmenterBoundaries(run.slice(from, end))] }).toEqual({
          run,
          from,
          cut: [...truth.slice(from, end + 1)],
        });
      }
    }
    expect(shorter).toBeGreaterThan(500);
  });

  it('answer both ends right when they lie in one stretch no one has asked about yet', () => {
    const zh = { simplify: true, separators: 'drop' } as const;
    let asked = 0;
    // Reversed runs: clauses no other test has cut, so boundaries cached per clause are still open.
    for (const clause of runs(3000).map((r) => [...r].reverse().join(''))) {
      const route = routeBoundaries(clause);
      const s = route.indexOf(UNKNOWN);
      if (s < 0) continue;
      let e = s;
      while (route[e + 1] === UNKNOWN) e++;
      if (e === s) continue;
      const truth = segmenterBoundaries(clause);
      asked++;
      const both = new WordBoundaries(normalize(clause, zh)).both(s, e);
      expect({ clause, s, e, both }).toEqual({ clause, s, e, both: truth[s] === 1 && truth[e] === 1 });
    }
    expect(asked).toBeGreaterThan(200);
  });

  it('give the segmenter’s answer through WordBoundaries, settled or not', () => {
    const zh = { simplify: true, separators: 'drop' } as const;
    for (const run of runs(300)) {
      const text = `${run},${run.slice(1)}`;
      const norm = normalize(text, zh);
      const clauses = [run, run.slice(1)];
      const truth = [...segmenterBoundaries(clauses[0]!)];
      truth.pop();
      truth.push(...segmenterBoundaries(clauses[1]!));
      const b = new WordBoundaries(norm);
      const pairs = new WordBoundaries(norm);
      const backwards = new WordBoundaries(norm);
      for (let i = 0; i <= norm.text.length; i++) {
        expect({ text, i, at: b.at(i) }).toEqual({ text, i, at: truth[i] === 1 });
        const j = Math.min(norm.text.length, i + 2);
        expect(pairs.both(i, j)).toBe(truth[i] === 1 && truth[j] === 1);
        const k = norm.text.length - i;
        expect({ text, k, at: backwards.at(k) }).toEqual({ text, k, at: truth[k] === 1 });
      }
    }
  });
});
