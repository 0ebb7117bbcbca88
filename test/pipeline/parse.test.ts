import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/pipeline/parse.js';

const valid = {
  conversationId: 'c1',
  channel: 'chat',
  language: 'zh',
  agent: { id: 'a1', extra: 'kept' },
  startedAt: '2026-11-02T09:00:00+08:00',
  turns: [
    {
      speaker: 'customer',
      text: '我的身份证号是11010519491231002X',
      at: '2026-11-02T09:00:05+08:00',
      asr: { words: 3 },
    },
  ],
  crmTicket: 'T-1',
};

describe('parseTranscript', () => {
  it('accepts the contract and keeps unknown extra fields', () => {
    const r = parseTranscript(JSON.stringify(valid), 1e6);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.transcript).toMatchObject({ crmTicket: 'T-1', agent: { extra: 'kept' } });
    expect(r.transcript.turns![0]).toMatchObject({ asr: { words: 3 } });
  });

  it.each([
    ['not JSON', '{"conversationId": ', 'QA_ERR_TRANSCRIPT_NOT_JSON'],
    ['too large', JSON.stringify(valid), 'QA_ERR_TRANSCRIPT_TOO_LARGE', 100],
    ['unknown version', JSON.stringify({ ...valid, version: 7 }), 'QA_ERR_TRANSCRIPT_VERSION'],
    ['wrong schema', JSON.stringify({ ...valid, channel: 'fax' }), 'QA_ERR_TRANSCRIPT_INVALID'],
    ['neither turns nor ref', JSON.stringify({ ...valid, turns: undefined }), 'QA_ERR_TRANSCRIPT_INVALID'],
    ['a non-object', '42', 'QA_ERR_TRANSCRIPT_INVALID'],
  ])('rejects %s with a reason code', (_name, input, code, max = 1e6) => {
    const r = parseTranscript(input as string, max as number);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
  });

  it('never quotes transcript text in the reason (it ends up in logs and DLQ headers)', () => {
    const bad = { ...valid, turns: [{ speaker: 'narrator', text: '13812345678 secret', at: 'yesterday' }] };
    const r = parseTranscript(JSON.stringify(bad), 1e6);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain('turns.0.speaker');
    expect(r.error.message).toContain('turns.0.at');
    expect(r.error.message).not.toMatch(/13812345678|secret|yesterday/);
  });

  it('checks ASR offsets are ordered', () => {
    const call = {
      ...valid,
      channel: 'call',
      turns: [{ speaker: 'agent', text: 'x', startMs: 500, endMs: 100 }],
    };
    const r = parseTranscript(JSON.stringify(call), 1e6);
    expect(r.ok || r.error.message).toContain('endMs must not be before startMs');
  });

  it('rejects bytes that are not UTF-8 (a Kafka message in GBK) instead of decoding them into U+FFFD', () => {
    const json = JSON.stringify({ ...valid, turns: [{ speaker: 'agent', text: 'X' }] });
    const [head, tail] = json.split('"X"') as [string, string];
    // "这是规定" in GBK.
    const gbk = Buffer.concat([
      Buffer.from(`${head}"`),
      Buffer.from([0xd5, 0xe2, 0xca, 0xc7, 0xb9, 0xe6, 0xb6, 0xa8]),
      Buffer.from(`"${tail}`),
    ]);
    const r = parseTranscript(gbk, 1e6);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('QA_ERR_TRANSCRIPT_NOT_UTF8');
  });

  it('accepts a UTF-8 byte order mark, as text and as bytes', () => {
    const text = `\ufeff${JSON.stringify(valid)}`;
    expect(parseTranscript(text, 1e6).ok).toBe(true);
    expect(parseTranscript(Buffer.from(text), 1e6).ok).toBe(true);
  });
});

describe('reasons for bad input give positions and types, never content', () => {
  it.each([
    ['a line that is not JSON at all', '张三手机13812345678请回电', 'unexpected character at character 1'],
    ['a truncated object', '{"turns":[{"text":"手机13812345678', 'unterminated string at character 32'],
    ['a missing comma', '{"a":"13812345678" "b":1}', "expected ',' or '}' at character 20"],
    ['a bare word', '{"a": secret13812345678}', 'unexpected character at character 7'],
    ['trailing data', '{"a":1} 13812345678', 'unexpected data after the JSON value at character 9'],
    ['an unfinished line', '{"a":[1,2', 'unexpected end of input'],
    ['a control character in a string', '{"a":"x\u0001"}', 'control character in a string at character 8'],
  ])('%s', (_name, line, reason) => {
    const r = parseTranscript(line, 1e6);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('QA_ERR_TRANSCRIPT_NOT_JSON');
    expect(r.error.message).toBe(`transcript is not valid JSON: ${reason}`);
  });

  it('describes an unsupported version by its type, never its value', () => {
    for (const [version, kind] of [
      ['13812345678', 'a string'],
      [13812345678, 'another number'],
      [{ phone: '13812345678' }, 'an object'],
    ] as const) {
      const r = parseTranscript(JSON.stringify({ ...valid, version }), 1e6);
      expect(r.ok || r.error.message).toMatch(new RegExp(`version is ${kind}, expected 1$`));
      expect(r.ok || r.error.message).not.toContain('138');
    }
  });
});
