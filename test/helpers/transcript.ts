import type { InlineTranscript } from '../../src/domain/index.js';

/** A chat transcript with turns 10 s apart from 01:00:00 (speaker, text), for tests. */
export function chatTranscript(
  id: string,
  turns: ReadonlyArray<readonly [string, string]>,
  extra: Record<string, unknown> = {},
): InlineTranscript {
  const start = Date.parse('2026-11-02T01:00:00Z');
  return {
    conversationId: id,
    channel: 'chat',
    language: 'zh',
    agent: { id: 'a-1' },
    startedAt: '2026-11-02T01:00:00Z',
    turns: turns.map(([speaker, text], i) => ({
      speaker,
      text,
      at: new Date(start + i * 10_000).toISOString(),
    })),
    ...extra,
  } as InlineTranscript;
}
