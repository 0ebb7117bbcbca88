import { describe, expect, it } from 'vitest';
import { compilePipeline, parseLexicon, parsePipeline } from '../../src/config/compile.js';
import { configSource } from '../../src/config/source.js';
import type { InlineTranscript } from '../../src/domain/index.js';
import { QaError } from '../../src/errors.js';
import { createScreener } from '../../src/pipeline/screen.js';
import { pipelineDetector } from '../../src/rules/pii.js';

const LEXICON = `lexicon: privacy
language: en
categories:
  privacy-ask:
    severity: major
    points: 3
    phrases: [send us your password]
`;

const pipeline = (pii: string, language = 'en') => `pipeline: p
version: "1"
channel: chat
language: ${language}
rules:
  - id: pii
    type: pii
${pii
  .trim()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
scoring:
  scheme: s
`;

const compile = (pii: string) =>
  compilePipeline(parsePipeline(configSource('p.yaml', pipeline(pii))), [
    parseLexicon(configSource('l.yaml', LEXICON)),
  ]);

const transcript = (texts: string[], tenant?: string): InlineTranscript =>
  ({
    conversationId: 'c-1',
    channel: 'chat',
    language: 'en',
    ...(tenant !== undefined && { tenant }),
    agent: { id: 'a-1' },
    startedAt: '2026-11-02T01:00:00Z',
    turns: texts.map((text, i) => ({
      speaker: i % 2 === 0 ? 'customer' : 'agent',
      text,
      at: new Date(Date.parse('2026-11-02T01:00:00Z') + i * 10_000).toISOString(),
    })),
  }) as InlineTranscript;

const piiFindings = (pii: string, texts: string[], tenant?: string) =>
  createScreener(compile(pii))
    .screen(transcript(texts, tenant))
    .findings.filter((f) => f.ruleId === 'pii')
    .map((f) => [f.category, f.text]);

function configError(pii: string): string {
  try {
    compile(pii);
  } catch (err) {
    if (err instanceof QaError) return [err.message, ...err.details].join('\n');
    throw err;
  }
  throw new Error('expected a config error');
}

describe('pii rule: personal data', () => {
  it('flags the configured kinds, masked; international numbers need the phone kind', () => {
    const texts = ['reach me on +44 20 7946 0958 or jane@example.com', 'Thanks.'];
    expect(piiFindings('kinds: [email]', texts)).toEqual([['personal-data', 'j***@*******.***']]);
    expect(piiFindings('kinds: [email, phone]', texts)).toEqual([
      ['personal-data', '** ** **** **58'],
      ['personal-data', 'j***@*******.***'],
    ]);
  });

  it('recognises national numbers of phone_regions only, and rejects unknown regions naming the path', () => {
    const texts = ['call me at (212) 555-0123', 'Sure.'];
    expect(piiFindings('kinds: [phone]', texts)).toEqual([]);
    expect(piiFindings('kinds: [phone]\nphone_regions: [US]', texts)).toEqual([
      ['personal-data', '(***) ***-**23'],
    ]);
    expect(configError('phone_regions: [XX]')).toMatch(
      /p\.yaml:\d+:\d+ rules\[0\]\.phone_regions\[0\]: expected a region code/,
    );
  });

  it("does not flag the company's own contacts: defaults (support@, toll-free) and per tenant", () => {
    const own = `kinds: [email, phone]
phone_regions: [US]
own_contacts:
  domains: [shop.example]
  tenants:
    acme: { domains: [acme.example], phones: ["+1 212 555 0188"] }`;
    const texts = [
      'mail support@anything.example, li@shop.example, bob@acme.example; call 1-888-555-2368 or (212) 555-0188',
    ];
    expect(piiFindings(own, texts, 'acme')).toEqual([]);
    expect(piiFindings(own, texts, 'other')).toEqual([
      ['personal-data', 'b**@****.*******'],
      ['personal-data', '(***) ***-**88'],
    ]);
  });

  it("flags a number split over two of the customer's messages, masked as one number", () => {
    const screener = createScreener(compile('kinds: [cn_mobile]'));
    const t = transcript(['my number is 138', '1234 5678 thanks']);
    t.turns[1]!.speaker = 'customer';
    const item = screener.screen(t);
    expect(item.findings.filter((f) => f.ruleId === 'pii').map((f) => [f.turnIndex, f.text])).toEqual([
      [0, '138'],
      [1, '**** 5678'],
    ]);
  });

  it("gives redaction the first enabled pii rule's settings, or the defaults", () => {
    const compiled = compile('kinds: [email]\nphone_regions: [US]');
    expect(pipelineDetector(compiled.config).find('(212) 555-0123')).toHaveLength(1);
    const disabled = compile('enabled: false\nphone_regions: [US]');
    expect(pipelineDetector(disabled.config).find('(212) 555-0123')).toEqual([]);
  });
});
