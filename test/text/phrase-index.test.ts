import { describe, expect, it } from 'vitest';
import { lexiconPhrases } from '../../src/config/compile.js';
import { Lexicon } from '../../src/config/lexicon.js';
import { buildPhraseIndex } from '../../src/text/phrase-index.js';

/** An index from one category written as in a lexicon file. */
function indexOf(language: 'zh' | 'en', category: Record<string, unknown>) {
  const lexicon = Lexicon.parse({ lexicon: 'l', language, categories: { c: category } });
  return buildPhraseIndex(language, lexiconPhrases(lexicon));
}

/** What a reviewer would see highlighted: the original text of every hit. */
function found(index: ReturnType<typeof indexOf>, text: string): string[] {
  return index.match(index.normalize(text), text).map((h) => text.slice(h.start, h.end));
}

describe('phrases and exceptions', () => {
  it('applies exceptions that contain the phrase (seed: "不知道您还有什么需要" is fine)', () => {
    const index = indexOf('zh', { phrases: [{ phrase: '不知道', exceptions: ['不知道您还有什么需要'] }] });
    expect(found(index, '好的,不知道您还有什么需要?')).toEqual([]);
    const text = '不知道,您自己看。不知道您还有什么需要';
    expect(index.match(index.normalize(text), text).map((h) => [h.start, h.end])).toEqual([[0, 3]]);
  });

  it('matches traditional and spaced-out text and reports original offsets', () => {
    const index = indexOf('zh', { phrases: ['这是规定'] });
    expect(found(index, '抱歉,這 是 規 定')).toEqual(['這 是 規 定']);
  });

  it('respects English word boundaries and folds case and punctuation', () => {
    const index = indexOf('en', { phrases: ['hi', "i don't know"] });
    expect(found(index, 'This is a high priority')).toEqual([]);
    expect(found(index, 'Hi! I DON’T know.')).toEqual(['Hi', 'I DON’T know']);
  });

  it('checks exceptions on the text around the hit when exception_window is set', () => {
    const index = indexOf('zh', {
      phrases: [
        {
          phrase: '银行卡密码',
          exceptions: [{ pattern: '(不会|绝不|从不)…(索要|询问|问)' }, '请勿透露'],
          exception_window: 6,
        },
      ],
    });
    expect(found(index, '我们客服绝不会向您索要银行卡密码的')).toEqual([]);
    expect(found(index, '请勿透露给任何人,包括银行卡密码')).toEqual([]);
    expect(found(index, '麻烦发一下您的银行卡密码')).toEqual(['银行卡密码']);
  });

  it('keeps category exceptions in one place: the automaton grows with the lexicon, not phrases × exceptions', () => {
    const phrases = Array.from({ length: 32_000 }, (_, i) => `p${i.toString(36)}q`);
    const exceptions = Array.from({ length: 3_200 }, (_, i) => `x p${i.toString(36)}q y`);
    const index = indexOf('en', { exceptions, phrases });
    expect(index.size).toBe(32_000);
    expect(index.automatonPatterns).toBe(32_000 + 3_200);
    expect(found(index, 'say p1q now, then x p2q y')).toEqual(['p1q']);
  });
});

describe('word boundaries (Chinese, by the segmenter)', () => {
  it('short entries match whole words only: 傻瓜 is abuse, 傻瓜相机 is a camera', () => {
    const index = indexOf('zh', { phrases: ['傻瓜', '滚', '喂', '去死'] });
    expect(found(index, '我想买个傻瓜相机')).toEqual([]);
    expect(found(index, '可以用滚动截图吗')).toEqual([]);
    expect(found(index, '宝宝喂养指南')).toEqual([]);
    expect(found(index, '这款可以去死皮')).toEqual([]);
    expect(found(index, '你这个傻瓜,给我滚')).toEqual(['傻瓜', '滚']);
  });

  it('longer entries match anywhere unless they ask for boundaries', () => {
    const loose = indexOf('zh', { phrases: ['不清楚'] });
    const strict = indexOf('zh', { phrases: [{ phrase: '不清楚', boundary: true }] });
    expect(found(loose, '字太小看不清楚')).toEqual(['不清楚']);
    expect(found(strict, '字太小看不清楚')).toEqual([]);
    expect(found(strict, '这个我不清楚')).toEqual(['不清楚']);
  });

  it('a short entry may opt out of boundaries', () => {
    const index = indexOf('zh', { phrases: [{ phrase: '滚', boundary: false }] });
    expect(found(index, '滚动截图')).toEqual(['滚']);
  });
});

describe('patterns on word boundaries: some aligned occurrence, not only the leftmost-longest', () => {
  it('English, literal list: a shorter alternative at the same start', () => {
    const index = indexOf('en', { phrases: [{ pattern: 'refund( now)?' }] });
    expect(found(index, 'a refund nowhere near')).toEqual(['refund']);
    expect(found(index, 'refund now, please')).toEqual(['refund now']);
  });

  it('English, regex: a shorter match at the same start, or a later start', () => {
    const shorter = indexOf('en', { phrases: [{ pattern: 'refund( [a-z]+)?' }] });
    expect(found(shorter, 'refund ab3 today')).toEqual(['refund']);
    const later = indexOf('en', { phrases: [{ pattern: '(re-)?fund[a-z]?' }] });
    expect(found(later, 'are-fund')).toEqual(['fund']);
    const literal = indexOf('en', { phrases: [{ pattern: '(re-)?fund' }] });
    expect(found(literal, 'are-fund')).toEqual(['fund']);
  });

  it('Chinese (segmenter words): a shorter match at the same start, or a later start', () => {
    // 我/很/不/满意: "很不满" ends inside 满意, "很不" does not.
    const shorter = indexOf('zh', { phrases: [{ pattern: '很不.?', boundary: true }] });
    expect(found(shorter, '我很不满意')).toEqual(['很不']);
    // 我/没有/收到: "有收到" starts inside 没有, "收到" does not.
    const later = indexOf('zh', { phrases: [{ pattern: '.?收到', boundary: true }] });
    expect(found(later, '我没有收到')).toEqual(['收到']);
  });

  it('still finds nothing when no occurrence aligns, and every aligned one when several do', () => {
    const index = indexOf('en', { phrases: [{ pattern: 'fund[a-z]?' }] });
    expect(found(index, 'refunds refunded')).toEqual([]);
    expect(found(index, 'fund x funds refunds fundy')).toEqual(['fund', 'funds', 'fundy']);
  });

  it('spends a bounded number of regex runs on near misses: a turn full of them stays fast', () => {
    const index = indexOf('en', { phrases: [{ pattern: 'fund[a-z]?' }] });
    const text = `${'a fundxy '.repeat(20_000)}fund`;
    const t0 = performance.now();
    expect(found(index, text)).toEqual(['fund']);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});

describe('patterns with an optional part before their literal', () => {
  it('(没有?|没)收到 matches 没有收到 and 没收到 (the anchor is what every match contains)', () => {
    const index = indexOf('zh', { phrases: [{ pattern: '(没有?|没)收到' }] });
    expect(found(index, '我还没有收到货')).toEqual(['没有收到']);
    expect(found(index, '东西没收到')).toEqual(['没收到']);
    const aligned = indexOf('zh', { phrases: [{ pattern: '(没有?|没)收到', boundary: true }] });
    expect(found(aligned, '我还没有收到货')).toEqual(['没有收到']);
  });
});

describe('stemmed phrases (English, opt-in)', () => {
  it('matches inflections and reports the original span', () => {
    const index = indexOf('en', { stem: true, phrases: ['apologize', 'frustrated'] });
    expect(found(index, 'We are APOLOGIZING; it is frustrating.')).toEqual(['APOLOGIZING', 'frustrating']);
  });

  it('clips a stemmed hit to the word: nothing glued after it is reported', () => {
    const index = indexOf('en', { stem: true, phrases: ['dm us your password'] });
    expect(found(index, 'DM us your password☎️13812345678')).toEqual(['DM us your password']);
  });

  it('does not let a short stem match unrelated words: "awful" stems to "aw"', () => {
    const index = indexOf('en', { stem: true, phrases: ['awful'] });
    expect(found(index, 'aw man, that was quick')).toEqual([]);
    expect(found(index, 'this is AWFUL')).toEqual(['AWFUL']);
  });

  it('applies stemmed exceptions ("resetting your password" is advice)', () => {
    const index = indexOf('en', {
      stem: true,
      phrases: [{ phrase: 'your password', exceptions: ['reset your password'] }],
    });
    expect(found(index, 'Try resetting your password')).toEqual([]);
    expect(found(index, 'Send your password')).toEqual(['your password']);
  });

  it('finds a stemmed phrase by its longest word: the stem view is skipped only where no phrase can be', () => {
    const index = indexOf('en', { stem: true, phrases: ['my apologies', 'our bad', 'ssn'] });
    // "my" and "our" are everywhere; "apol", "bad" and "ssn" decide whether stemming is needed at all.
    expect(found(index, 'My apology for the wait, and our bad on the mix-up')).toEqual([
      'My apology',
      'our bad',
    ]);
    expect(found(index, 'my order and our plan are fine')).toEqual([]);
    expect(found(index, 'please do not share your SSNs')).toEqual(['SSNs']);
  });

  it('leaves unstemmed phrases exact: "hi" does not match "his"', () => {
    const index = indexOf('en', { phrases: ['hi'] });
    expect(found(index, 'his account')).toEqual([]);
  });
});

describe('patterns (RE2, linear time)', () => {
  it('one pattern covers many wordings, traditional text included', () => {
    const index = indexOf('zh', { phrases: [{ pattern: '还有(什么|其他|别的)…(帮|效劳|问题)' }] });
    expect(found(index, '请问还有其他可以帮到您的吗')).toEqual(['还有其他可以帮']);
    expect(found(index, '請問還有什麼可以為您效勞的')).toEqual(['還有什麼可以為您效勞']);
    expect(found(index, '还有什么')).toEqual([]);
  });

  it('anchors at the start of the turn', () => {
    const index = indexOf('zh', { phrases: [{ pattern: '^(亲爱的|亲亲|亲)' }] });
    expect(found(index, '亲爱的,在的')).toEqual(['亲爱的']);
    expect(found(index, '订单号发一下亲爱的')).toEqual([]);
  });

  it('English patterns see words folded like the text and respect word boundaries', () => {
    const index = indexOf('en', {
      phrases: [{ pattern: "thanks for (reaching|getting) (out|in touch)|don't hesitate" }],
    });
    expect(found(index, 'Thanks for reaching out! Don’t hesitate.')).toEqual([
      'Thanks for reaching out',
      'Don’t hesitate',
    ]);
    expect(found(index, 'thanks for reaching outward')).toEqual([]);
  });

  it('stays linear on input that makes backtracking engines explode', () => {
    const index = indexOf('en', { phrases: [{ pattern: '(a+)+b', anchors: ['a'] }] });
    expect(found(index, `${'a'.repeat(20_000)}c`)).toEqual([]);
  });
});

describe('boolean composition and proximity', () => {
  it('near: any of A within N characters of any of B', () => {
    const index = indexOf('zh', {
      phrases: [{ near: [{ any: ['还有什么', '还有其他'] }, { any: ['帮您', '效劳'] }], within: 6 }],
    });
    expect(found(index, '还有什么可以帮您的吗')).toEqual(['还有什么可以帮您']);
    expect(found(index, '还有什么要说明的是这个订单明天可以帮您送到')).toEqual([]);
  });

  it('in_order: B must come after A', () => {
    const index = indexOf('en', {
      phrases: [{ all: ['anything else', 'help'], in_order: true, within: 20 }],
    });
    expect(found(index, 'Anything else we can help with?')).toEqual(['Anything else we can help']);
    expect(found(index, 'We can help. Anything else?')).toEqual([]);
  });

  it('all/not: every part in the turn and none of the excluded ones', () => {
    const index = indexOf('zh', {
      phrases: [{ all: ['投诉', { any: ['你们', '客服'] }], not: ['别家', '其他店'] }],
    });
    expect(found(index, '我要投诉你们')).toEqual(['投诉你们']);
    expect(found(index, '我要投诉')).toEqual([]);
    expect(found(index, '你们好,我要投诉别家')).toEqual([]);
  });

  it('any: one of several terms, each reported where it matched', () => {
    const index = indexOf('en', { phrases: [{ any: ['so sorry', { pattern: 'apologi(ze|se)' }] }] });
    expect(found(index, 'So sorry, we apologise')).toEqual(['So sorry', 'apologise']);
  });
});

describe('context: negation, quotation, echo', () => {
  it('a negated trigger does not count, a rhetorical question still does', () => {
    const index = indexOf('zh', { context: { negation: true }, phrases: ['投诉', '坑人'] });
    expect(found(index, '我不是要投诉,就问问')).toEqual([]);
    expect(found(index, '我没投诉')).toEqual([]);
    expect(found(index, '我要投诉')).toEqual(['投诉']);
    expect(found(index, '这不是坑人吗')).toEqual(['坑人']);
  });

  it('negation stops at clause punctuation and reads English words', () => {
    const zh = indexOf('zh', { context: { negation: true }, phrases: ['太慢了'] });
    expect(found(zh, '还不发货,太慢了')).toEqual(['太慢了']);
    const en = indexOf('en', { context: { negation: true }, phrases: ['complaining', 'angry'] });
    expect(found(en, "I'm not complaining, just asking")).toEqual([]);
    expect(found(en, "I'm not really angry")).toEqual([]);
    expect(found(en, 'Not now. I am angry')).toEqual(['angry']);
  });

  it('a trigger inside quotation marks is someone else’s words', () => {
    const index = indexOf('zh', { context: { quotation: true }, phrases: ['不归我们管'] });
    expect(found(index, '您说的“不归我们管”是谁讲的?')).toEqual([]);
    expect(found(index, '这个不归我们管')).toEqual(['不归我们管']);
  });

  it('an agent echoing the customer ("您是问…吗") is not saying it', () => {
    const index = indexOf('zh', { context: { echo: true }, phrases: ['不可能'] });
    expect(found(index, '您是问为什么不可能改地址吗')).toEqual([]);
    expect(found(index, '改地址不可能')).toEqual(['不可能']);
  });

  it('context can be switched off per entry', () => {
    const index = indexOf('zh', {
      context: { negation: true },
      phrases: [{ phrase: '投诉', context: { negation: false } }],
    });
    expect(found(index, '我不投诉')).toEqual(['投诉']);
  });
});
