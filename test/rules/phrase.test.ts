import { describe, expect, it } from 'vitest';
import { ruleHarness } from '../helpers/rules.js';

const sel = (...cats: string[]) => ({ lexicon: 'test', categories: cats });

describe('phrase rule messages', () => {
  const rule = ruleHarness({
    categories: {
      shirking: ['这是规定', { pattern: '(不|没)(归|是)我们(管|负责)' }],
      'asks-number': [{ pattern: '手机号(是)?\\d{11}' }],
    },
    rule: { type: 'phrase', match: sel('shirking', 'asks-number') },
    channel: 'chat',
  });

  it('names a phrase entry by its phrase, a pattern entry by the words it matched (not its source)', () => {
    const findings = rule.chat([[0, 'agent', '这个不归我们管,这是规定']]);
    expect(findings.map((f) => f.message)).toEqual([
      'Agent said "不归我们管" (shirking).',
      'Agent said "这是规定" (shirking).',
    ]);
  });

  it('quotes the matched words masked as the turn is: no personal data in the message', () => {
    const [f] = rule.chat([[0, 'agent', '您的手机号是13812345678吗']]);
    expect(f!.message).not.toMatch(/13812345678|1381234|2345678/);
    expect(f!.message).toMatch(/^Agent said "手机号是.{11}" \(asks-number\)\.$/);
  });
});
