import { beforeAll, describe, expect, it } from 'vitest';
import { lexiconsDigest } from '../../src/config/compile.js';
import { loadPipeline } from '../../src/config/load.js';
import { type InlineTranscript, ScreenedItem } from '../../src/domain/index.js';
import { screenMessage } from '../../src/pipeline/process.js';
import { createScreener, type Screener } from '../../src/pipeline/screen.js';

let screener: Screener;
beforeAll(async () => {
  screener = createScreener(await loadPipeline('pipelines/chat-zh.yaml'), {
    now: () => new Date('2026-11-23T00:00:00Z'),
  });
});

const t = (turns: Array<[number, string, string]>, over: Partial<InlineTranscript> = {}): InlineTranscript =>
  ({
    conversationId: 'c-1',
    channel: 'chat',
    language: 'zh',
    agent: { id: 'a-1', team: 't' },
    startedAt: '2026-11-02T01:00:00Z',
    turns: turns.map(([s, speaker, text]) => ({
      speaker,
      text,
      at: new Date(Date.parse('2026-11-02T01:00:00Z') + s * 1000).toISOString(),
    })),
    ...over,
  }) as InlineTranscript;

describe('screener', () => {
  it('emits an item that satisfies the output contract, with versions and time', () => {
    const item = screener.screen(
      t([
        [0, 'customer', '你好'],
        [5, 'agent', '您好,再见'],
      ]),
    );
    expect(ScreenedItem.parse(item)).toEqual(item);
    expect(item.pipeline.id).toBe('chat-zh');
    expect(item.pipeline.version).toMatch(/^1\.0\.0\+[0-9a-f]{12}$/);
    expect(item.itemVersion).toBe(2);
    // The lexicons are named by one digest of their versions, not copied into every item.
    expect(screener.pipeline.lexicons.map((l) => l.id)).toEqual([
      'forbidden-zh',
      'service-zh',
      'customer-zh',
      'privacy-zh',
      'complaint-model-zh',
    ]);
    expect(item.pipeline.lexicons).toBe(lexiconsDigest(screener.pipeline.lexicons));
    expect(item.pipeline.lexicons).toMatch(/^[0-9a-f]{12}$/);
    expect(item).not.toHaveProperty('lexicons');
    expect(item.screenedAt).toBe('2026-11-23T00:00:00.000Z');
  });

  it('redacts personal data inside any finding text, not only PII findings', () => {
    const item = screener.screen(
      t([
        [0, 'customer', '号码是多少'],
        [5, 'agent', '您好,我不知道13812345678是谁的,再见'],
      ]),
    );
    const texts = JSON.stringify(item);
    expect(texts).not.toContain('13812345678');
  });

  it('gives items routed for review the conversation, personal data masked in place, offsets intact', () => {
    const item = screener.screen(
      t([
        [0, 'customer', '我的手机13812345678,太慢了'],
        [5, 'agent', '这是规定'],
      ]),
    );
    expect(item.queue).not.toBe('clean');
    const turns = item.conversation!.turns;
    expect(turns.map((x) => x.text)).toEqual(['我的手机138****5678,太慢了', '这是规定']);
    expect(turns[0]!.at).toBe('2026-11-02T01:00:00.000Z');
    const forbidden = item.findings.find((f) => f.ruleId === 'forbidden-phrase')!;
    expect(turns[1]!.text.slice(forbidden.start, forbidden.end)).toBe(forbidden.text);
    const apology = item.findings.find((f) => f.ruleId === 'apology')!;
    expect(turns[0]!.text.slice(apology.start, apology.end)).toBe('太慢了');
    expect(JSON.stringify(item)).not.toContain('13812345678');
  });

  it('leaves the conversation out of clean items (output.conversation: review)', () => {
    const item = screener.screen(
      t([
        [0, 'customer', '你好'],
        [5, 'agent', '您好,请问有什么可以帮您'],
        [10, 'customer', '没事了,谢谢'],
        [15, 'agent', '不客气,请问还有什么可以帮您,再见'],
      ]),
    );
    expect(item.queue).toBe('clean');
    expect(item.conversation).toBeUndefined();
  });

  it('rejects a transcript for another channel or language instead of mis-screening it', () => {
    const r = screenMessage(screener, JSON.stringify(t([[0, 'customer', 'hi']], { language: 'en' })));
    expect(r).toMatchObject({
      ok: false,
      conversationId: 'c-1',
      error: { code: 'QA_ERR_LANGUAGE_MISMATCH' },
    });
  });

  it('rejects a claim-check reference when no object store is configured', () => {
    const { turns: _t, ...rest } = t([]);
    const r = screenMessage(screener, JSON.stringify({ ...rest, transcriptRef: 's3://bucket/key.json' }));
    expect(r).toMatchObject({ ok: false, error: { code: 'QA_ERR_TRANSCRIPT_REF_UNSUPPORTED' } });
  });

  it('is deterministic: the same transcript gives the same item', () => {
    const x = t([
      [0, 'customer', '太慢了'],
      [200, 'agent', '这是规定'],
    ]);
    expect(screener.screen(x)).toEqual(screener.screen(structuredClone(x)));
  });
});

describe('redaction of everything a finding carries', () => {
  const en = (turns: Array<[number, string, string]>) =>
    ({ ...t(turns), language: 'en' }) as InlineTranscript;

  it('masks personal data inside a privacy-ask finding, whatever its matched text spans', async () => {
    const screener = createScreener(await loadPipeline('pipelines/chat-en.yaml'));
    for (const secret of ['13812345678', '11010519491231002X', 'jane@example.com']) {
      const item = screener.screen(
        en([
          [0, 'customer', 'Hi, I cannot log in.'],
          [20, 'agent', `Hello! DM us your password☎️${secret} thanks`],
        ]),
      );
      const ask = item.findings.find((f) => f.ruleId === 'pii' && f.category === 'privacy');
      expect(ask?.text).toBeDefined();
      expect(JSON.stringify(item)).not.toContain(secret);
    }
  });

  it('masks quoted turn text exactly as the conversation does, so offsets still apply', async () => {
    const item = screener.screen(
      t([
        [0, 'customer', '我的手机是138'],
        [5, 'customer', '1234 5678'],
        [10, 'agent', '您好,我不知道138.1234.5678是谁的,再见'],
      ]),
    );
    expect(item.conversation).toBeDefined();
    for (const f of item.findings) {
      if (f.text === undefined || f.turnIndex === undefined || f.start === undefined) continue;
      expect(item.conversation!.turns[f.turnIndex]!.text.slice(f.start, f.end)).toBe(f.text);
    }
    expect(item.conversation!.turns.map((turn) => turn.text)).toEqual([
      '我的手机是138',
      '**** 5678',
      '您好,我不知道138.****.5678是谁的,再见',
    ]);
  });
});
