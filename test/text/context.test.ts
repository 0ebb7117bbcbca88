import { describe, expect, it } from 'vitest';
import { CONTEXT_DEFAULTS, TurnView } from '../../src/text/context.js';
import { normalize } from '../../src/text/normalize.js';

const zh = { simplify: true, separators: 'drop' } as const;
const en = { simplify: false, separators: 'space' } as const;

function view(text: string, language: 'zh' | 'en') {
  const norm = normalize(text, language === 'zh' ? zh : en);
  const at = (word: string) => {
    const s = norm.text.indexOf(word);
    return [s, s + word.length] as const;
  };
  return { v: new TurnView(norm, text, language), at };
}

const negation = (language: 'zh' | 'en') => ({
  ...CONTEXT_DEFAULTS[language].negation,
  words: CONTEXT_DEFAULTS[language].negation.words.map((w) => normalize(w, language === 'zh' ? zh : en).text),
});

describe('context around a hit', () => {
  it('negation: a negator right before the hit, within its clause', () => {
    const a = view('我不是要投诉', 'zh');
    expect(a.v.negated(...a.at('投诉'), negation('zh'))).toBe(true);
    const b = view('还没发货,投诉', 'zh');
    expect(b.v.negated(...b.at('投诉'), negation('zh'))).toBe(false);
    const c = view("I don't know, that's the policy", 'en');
    expect(c.v.negated(...c.at('that s the policy'), negation('en'))).toBe(false);
    const d = view("We would never say it's not our problem", 'en');
    expect(d.v.negated(...d.at('not our problem'), negation('en'))).toBe(true);
  });

  /** Whether `hit` in the Chinese `text` counts as negated with the default negation words and window. */
  const near = (text: string, hit: string) => {
    const t = view(text, 'zh');
    return t.v.negated(...t.at(hit), negation('zh'));
  };

  it('negation in Chinese: a negator of two or more characters reaches 2 characters of its clause', () => {
    // Characters between the negator and the hit: one, two.
    expect(near('我不是要投诉', '投诉')).toBe(true);
    expect(near('我没有说要投诉', '投诉')).toBe(true);
    expect(near('我并不是故意投诉', '投诉')).toBe(true);
    // Three or more: the negator belongs to another phrase, even without punctuation (chat often has none).
    expect(near('不是我说你脑子进水', '脑子进水')).toBe(false);
    expect(near('没有收到货太失望了', '失望')).toBe(false);
    // Punctuation still ends the clause.
    expect(near('不是的,要投诉', '投诉')).toBe(false);
  });

  it('negation in Chinese: a one-character negator (不/没/别) binds to the next word only', () => {
    expect(near('我不投诉', '投诉')).toBe(true);
    expect(near('别再投诉了', '投诉')).toBe(true);
    expect(near('没想到这么差', '差')).toBe(false);
    expect(near('不好用太差了', '差')).toBe(false);
    // A wider window set by the lexicon does not stretch them either.
    const t = view('不好用太差了', 'zh');
    expect(t.v.negated(...t.at('差'), { ...negation('zh'), window: 8 })).toBe(false);
  });

  it('a rhetorical question keeps the hit', () => {
    const a = view('这不是坑人吗?', 'zh');
    expect(a.v.negated(...a.at('坑人'), negation('zh'))).toBe(false);
  });

  it('quotation marks and echo markers', () => {
    const q = view('您说“这不归我们管”是吗', 'zh');
    expect(q.v.quoted(...q.at('这不归我们管'))).toBe(true);
    const e = view('您是问为什么不可能改地址吗', 'zh');
    expect(e.v.echoed(e.at('不可能')[0], CONTEXT_DEFAULTS.zh.echo)).toBe(true);
  });
});
