import { describe, expect, it } from 'vitest';
import { compilePipeline, parseLexicon, parsePipeline } from '../../src/config/compile.js';
import { configSource } from '../../src/config/source.js';
import type { InlineTranscript } from '../../src/domain/index.js';
import { createScreener } from '../../src/pipeline/screen.js';

const LEXICON = `lexicon: privacy
language: zh
categories:
  id-number:
    exception_window: 10
    exceptions: [{ pattern: "(请勿|不会)…(透露|索要)" }]
    phrases: [身份证号]
  address:
    phrases: [家庭住址]
  purpose-identity:
    phrases: [换绑, 核实身份]
  purpose-customs:
    phrases: [清关]
`;

const pipeline = (tenants = '') => `pipeline: test
version: "1"
channel: chat
language: zh
rules:
  - id: pii
    type: pii
    kinds: [email]
    asks:
      match: { lexicon: privacy, categories: [id-number, address] }
      purposes:
        - { match: { lexicon: privacy, categories: [purpose-identity] }, allows: [id-number], within_turns: 2 }
        - { match: { lexicon: privacy, categories: [purpose-customs] }, allows: [id-number]${tenants} }
scoring:
  scheme: s
`;

function asks(turns: Array<[string, string]>, options: { tenant?: string; tenants?: string } = {}) {
  const compiled = compilePipeline(parsePipeline(configSource('p.yaml', pipeline(options.tenants))), [
    parseLexicon(configSource('l.yaml', LEXICON)),
  ]);
  const t: InlineTranscript = {
    conversationId: 'c',
    channel: 'chat',
    language: 'zh',
    agent: { id: 'a' },
    startedAt: '2026-11-02T09:00:00+08:00',
    turns: turns.map(([speaker, text]) => ({ speaker: speaker as 'agent' | 'customer', text })),
    ...(options.tenant !== undefined && { tenant: options.tenant }),
  };
  return createScreener(compiled)
    .screen(t)
    .findings.filter((f) => f.category === 'privacy')
    .map((f) => [f.turnIndex, f.text]);
}

describe('pii: privacy asks with business purposes', () => {
  it('an ID number asked with no purpose is a privacy ask', () => {
    expect(asks([['agent', '请提供一下您的身份证号']])).toEqual([[0, '身份证号']]);
  });

  it('a stated purpose nearby (either speaker) makes the ask business', () => {
    expect(
      asks([
        ['customer', '我想换绑手机'],
        ['agent', '好的,请提供一下您的身份证号'],
      ]),
    ).toEqual([]);
    expect(asks([['agent', '请提供一下您的身份证号,用于核实身份']])).toEqual([]);
  });

  it('a purpose covers only the kinds of data it allows, and only within its turns', () => {
    expect(
      asks([
        ['customer', '我想换绑手机'],
        ['agent', '请告诉我您的家庭住址'],
      ]),
    ).toEqual([[1, '家庭住址']]);
    const far: Array<[string, string]> = [
      ['customer', '我想换绑手机'],
      ['agent', '好的'],
      ['customer', '嗯'],
      ['agent', '稍等'],
      ['agent', '请提供一下您的身份证号'],
    ];
    expect(asks(far)).toEqual([[4, '身份证号']]);
  });

  it('purposes can be limited to some tenants', () => {
    const turns: Array<[string, string]> = [['agent', '跨境订单需要清关,请提供身份证号']];
    expect(asks(turns, { tenant: 'jd', tenants: ', tenants: [jd]' })).toEqual([]);
    expect(asks(turns, { tenant: 'other', tenants: ', tenants: [jd]' })).toEqual([[0, '身份证号']]);
    expect(asks(turns, { tenants: ', tenants: [jd]' })).toEqual([[0, '身份证号']]);
  });

  it('telling the customer not to share is not an ask, and a customer mentioning it is not the agent asking', () => {
    expect(asks([['agent', '请勿向任何人透露身份证号']])).toEqual([]);
    expect(asks([['customer', '要我的身份证号吗']])).toEqual([]);
  });
});
