import { describe, expect, it } from 'vitest';
import { buildPhraseIndex } from '../../src/text/phrase-index.js';

const entry = (phrase: string, exceptions: string[] = [], category = 'c') => ({
  lexicon: 'l',
  category,
  phrase,
  severity: 'minor' as const,
  points: 1,
  exceptions,
});

describe('phrase index', () => {
  it('applies exceptions that contain the phrase (seed: "不知道您还有什么需要" is fine)', () => {
    const index = buildPhraseIndex('zh', [entry('不知道', ['不知道您还有什么需要'])]);
    expect(index.match(index.normalize('好的,不知道您还有什么需要?'))).toEqual([]);
    const hits = index.match(index.normalize('不知道,您自己看。不知道您还有什么需要'));
    expect(hits.map((h) => [h.start, h.end])).toEqual([[0, 3]]);
  });

  it('matches traditional and spaced-out text and reports original offsets', () => {
    const index = buildPhraseIndex('zh', [entry('这是规定')]);
    const text = '抱歉,這 是 規 定';
    const [hit] = index.match(index.normalize(text));
    expect(text.slice(hit!.start, hit!.end)).toBe('這 是 規 定');
  });

  it('respects English word boundaries and folds case and punctuation', () => {
    const index = buildPhraseIndex('en', [entry('hi'), entry("i don't know")]);
    expect(index.match(index.normalize('This is a high priority'))).toEqual([]);
    const text = 'Hi! I DON’T know.';
    const hits = index.match(index.normalize(text));
    expect(hits.map((h) => text.slice(h.start, h.end))).toEqual(['Hi', 'I DON’T know']);
  });
});

describe('stemmed phrases (English, opt-in)', () => {
  const stemmed = (phrase: string, exceptions: string[] = []) => ({
    ...entry(phrase, exceptions),
    stem: true,
  });

  it('matches inflections and reports the original span', () => {
    const index = buildPhraseIndex('en', [stemmed('apologize'), stemmed('frustrated')]);
    const text = 'We are APOLOGIZING; it is frustrating.';
    expect(index.match(index.normalize(text)).map((h) => text.slice(h.start, h.end))).toEqual([
      'APOLOGIZING',
      'frustrating',
    ]);
  });

  it('applies stemmed exceptions ("resetting your password" is advice) across views', () => {
    const index = buildPhraseIndex('en', [
      stemmed('your password', ['reset your password']),
      entry('password'),
    ]);
    const text = 'Try resetting your password';
    const hits = index.match(index.normalize(text));
    expect(hits.map((h) => text.slice(h.start, h.end))).toEqual(['password']);
  });

  it('leaves unstemmed phrases exact: "hi" does not match "his"', () => {
    const index = buildPhraseIndex('en', [entry('hi')]);
    expect(index.match(index.normalize('his account'))).toEqual([]);
  });
});
