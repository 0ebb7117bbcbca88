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
});
