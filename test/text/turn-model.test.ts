import { describe, expect, it } from 'vitest';
import {
  LATER_TURN,
  reasonSpan,
  scoreText,
  scoreTurn,
  turnFeatures,
  turnModel,
} from '../../src/text/turn-model.js';

describe('turn features: what the trainer and the scorer both see', () => {
  it('Chinese: characters, pairs and triples, punctuation kept, spaces, links and placeholders dropped', () => {
    const f = turnFeatures('太慢 了？？ [数字x] https://t.cn/abc', 'zh', false);
    expect(f).toEqual(expect.arrayContaining(['太', '太慢', '太慢了', '慢了？', '？？']));
    expect(f.some((x) => x.includes('数') || x.includes('t.cn') || x.includes(' '))).toBe(false);
    expect(f).not.toContain(LATER_TURN);
  });

  it('English: lower-cased words, marks and adjacent pairs, without handles and links', () => {
    const f = turnFeatures('@AcmeHelp STILL waiting?! https://x.co/1', 'en', true);
    expect(f).toEqual(['still', 'still waiting', 'waiting', 'waiting ?', '?', '? !', '!', LATER_TURN]);
  });

  it('English: a typographic apostrophe is the plain one, so a word stays whole', () => {
    expect(turnFeatures('I can\u2019t log in', 'en', false)).toEqual(
      turnFeatures("I can't log in", 'en', false),
    );
    expect(turnFeatures('I can\u2019t log in', 'en', false)).toContain("can't");
  });
});

describe('scoring a turn', () => {
  const model = turnModel({
    reads: 'dissatisfaction',
    bias: -2,
    weights: {
      still: 1.5,
      'still waiting': 1,
      waiting: 0.5,
      138: 3,
      thanks: -4,
      [LATER_TURN]: 0.5,
    },
  });

  it('is the logistic of the bias plus the weights present', () => {
    const s = scoreTurn(model, turnFeatures('still waiting', 'en', true));
    expect(s.probability).toBeCloseTo(1 / (1 + Math.exp(-(-2 + 1.5 + 1 + 0.5 + 0.5))), 10);
    expect(scoreTurn(model, turnFeatures('thanks, still waiting', 'en', false)).probability).toBeLessThan(
      0.1,
    );
    expect(scoreTurn(model, []).probability).toBeCloseTo(1 / (1 + Math.exp(2)), 10);
  });

  it('gives as reasons the strongest words, not a part of a stronger pair, never a digit or the turn position', () => {
    expect(scoreTurn(model, turnFeatures('still waiting', 'en', true)).reasons).toEqual(['still waiting']);
    const digits = scoreTurn(model, ['138', 'waiting']);
    expect(digits.reasons).toEqual(['waiting']);
  });

  it('gives no function words as reasons, alone or together ("of", "in the", 你们), but "still" says something', () => {
    const en = turnModel({
      reads: 'dissatisfaction',
      bias: 0,
      weights: { 'in the': 3, 'problem with': 2, still: 1 },
    });
    expect(scoreText(en, 'still a problem with the app in the evening', 'en', false).reasons).toEqual([
      'problem with',
      'still',
    ]);
    const zh = turnModel({
      reads: 'dissatisfaction',
      bias: 0,
      weights: { 你们: 3, 还没: 2, 们: 1, 发: 0.5 },
    });
    expect(scoreText(zh, '你们还没发', 'zh', false).reasons).toEqual(['还没', '发']);
    const of = turnModel({ reads: 'dissatisfaction', bias: 0, weights: { of: 3, broken: 1 } });
    expect(scoreText(of, 'a box of broken glass', 'en', false).reasons).toEqual(['broken']);
  });

  it('gives Chinese reasons as whole words of the turn, never a piece across a word edge (为什 of 为什么)', () => {
    const zh = turnModel({
      reads: 'dissatisfaction',
      bias: 0,
      weights: { 为什: 4, 们说: 3, 为什么: 1, 还没: 0.8, 说好: 0.5 },
    });
    expect(scoreText(zh, '为什么还没发？我们说好的', 'zh', false).reasons).toEqual([
      '为什么',
      '还没',
      '说好',
    ]);
    // Scored as before: the reasons change, the probability does not.
    expect(scoreText(zh, '为什么还没发？我们说好的', 'zh', false).probability).toBeCloseTo(
      1 / (1 + Math.exp(-(4 + 3 + 1 + 0.8 + 0.5))),
      10,
    );
  });

  it('gives no reason that runs words and punctuation together; marks alone may be one', () => {
    const zh = turnModel({ reads: 'dissatisfaction', bias: 0, weights: { '，这': 3, '？？': 2, 差: 1 } });
    expect(scoreText(zh, '差，这？？', 'zh', false).reasons).toEqual(['？？', '差']);
    const en = turnModel({
      reads: 'dissatisfaction',
      bias: 0,
      weights: { 'waiting ?': 3, '? ?': 2, still: 1 },
    });
    expect(scoreText(en, 'still waiting??', 'en', false).reasons).toEqual(['? ?', 'still']);
  });

  it('scores a text as it scores all its features, walking the weights by character or by word', () => {
    const zh = turnModel({
      reads: 'dissatisfaction',
      bias: -1,
      weights: { 太慢了: 2, 慢: 0.5, 又: 0.3, '？？': 1 },
    });
    // A pair whose first word has no weight of its own, a pair ending the turn, the same pair twice.
    const pairs = turnModel({
      reads: 'dissatisfaction',
      bias: -0.5,
      weights: { 'still waiting': 1.25, "can't": 0.5, 'waiting ?': 0.75, '! !': 0.25, again: -0.125 },
    });
    // Characters outside the BMP (two UTF-16 units) and lone surrogates are one character each.
    const emoji = turnModel({
      reads: 'dissatisfaction',
      bias: -1,
      weights: { '😡😡': 1.5, '😡太': 0.25, 慢: 0.5, '\ud800慢': 0.75, '\ud83d慢了': 0.5, 了: -0.125 },
    });
    for (const [m, text, language] of [
      [zh, '又太慢了？？', 'zh'],
      [zh, '太快了', 'zh'],
      [emoji, '又😡😡太慢了\ud800慢', 'zh'],
      [emoji, '\ud83d慢了😡', 'zh'],
      [model, 'Still waiting, still WAITING? thanks', 'en'],
      [pairs, 'still waiting?? can’t log in, still waiting again!!', 'en'],
      [pairs, 'waiting, still waiting', 'en'],
    ] as const) {
      const all = scoreTurn(m, turnFeatures(text, language, true), language);
      const visited = scoreText(m, text, language, true);
      expect([visited.probability, visited.reasons]).toEqual([all.probability, all.reasons]);
    }
  });

  it('gives words together before single words and marks, strongest first', () => {
    const en = turnModel({
      reads: 'dissatisfaction',
      bias: -1,
      weights: { of: 3, so: 2.5, service: 1, 'so slow': 0.8, '?': 2, 'service i': 0.1 },
    });
    expect(scoreText(en, 'So slow, the kind of service I get?', 'en', false).reasons).toEqual([
      'so slow',
      'service i',
      '?',
    ]);
    const zh = turnModel({ reads: 'dissatisfaction', bias: -1, weights: { 慢: 3, 太慢: 1, 又: 2 } });
    expect(scoreText(zh, '又太慢', 'zh', false).reasons).toEqual(['太慢', '又']);
  });

  it('finds an English reason as a whole word, a Chinese one anywhere', () => {
    expect(reasonSpan('The office is closed, of course', 'of', 'en')).toEqual([22, 24]);
    expect(reasonSpan('Offline again', 'of', 'en')).toBeUndefined();
    expect(reasonSpan('又慢了', '慢了', 'zh')).toEqual([1, 3]);
    expect(reasonSpan('We can\u2019t wait', "can't", 'en')).toEqual([3, 8]);
  });
});
