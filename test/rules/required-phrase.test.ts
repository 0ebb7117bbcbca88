import { describe, expect, it } from 'vitest';
import { readLocalFile } from '../../src/config/file-store.js';
import { loadPipeline } from '../../src/config/load.js';
import type { InlineTranscript } from '../../src/domain/index.js';
import { createScreener } from '../../src/pipeline/screen.js';
import { ruleHarness } from '../helpers/rules.js';

describe('required-phrase rule', () => {
  const invite = ruleHarness({
    channel: 'chat',
    categories: { rating: ['评价', '满意度'] },
    rule: {
      type: 'required-phrase',
      match: { lexicon: 'test', categories: ['rating'] },
      window: { last_turns: 2 },
      expectation: 'invitation to rate the service',
    },
  });

  it('accepts the phrase in the last N agent turns and flags it missing, anchored on the last turn', () => {
    expect(
      invite.chat([
        [0, 'customer', '发票开好了吗'],
        [10, 'agent', '已经开好了'],
        [20, 'agent', '麻烦您对我的服务做个评价,再见'],
      ]),
    ).toEqual([]);
    expect(
      invite.chat([
        [0, 'customer', '发票开好了吗'],
        [10, 'agent', '麻烦给个评价'],
        [20, 'agent', '已经开好了'],
        [30, 'agent', '再见'],
      ]),
    ).toEqual([
      expect.objectContaining({
        turnIndex: 3,
        message: 'No invitation to rate the service in the last 2 agent turn(s).',
      }),
    ]);
  });

  it('does not count a turn with no words in the window: a stray "、" does not push the closing out', () => {
    expect(
      invite.chat([
        [0, 'customer', '发票开好了吗'],
        [10, 'agent', '麻烦给个评价'],
        [20, 'agent', '已经开好了'],
        [30, 'agent', '、'],
        [40, 'agent', '~~ 😊'],
      ]),
    ).toEqual([]);
    expect(
      invite.chat([
        [0, 'customer', '发票开好了吗'],
        [10, 'agent', '、'],
      ]),
    ).toEqual([
      expect.objectContaining({ message: 'No invitation to rate the service in the last 2 agent turn(s).' }),
    ]);
  });

  it('as bundled in chat-zh (满意度邀评, off until enabled), finds the usual wordings of an invitation', async () => {
    // The bundled rule ships disabled; a team that requires 邀评 flips `enabled`.
    const pipeline = await loadPipeline('pipelines/chat-zh.yaml', {
      read: async (path) => {
        const text = await readLocalFile(path);
        return path.endsWith('chat-zh.yaml')
          ? text.replace(
              /(id: rating-invite\n\s+type: required-phrase\n\s+)enabled: false/,
              '$1enabled: true',
            )
          : text;
      },
    });
    expect(pipeline.rules.map((r) => r.id)).toContain('rating-invite');
    const screener = createScreener(pipeline);
    const closing = (last: string) =>
      screener
        .screen({
          conversationId: 'c',
          channel: 'chat',
          language: 'zh',
          agent: { id: 'a' },
          startedAt: '2026-11-02T01:00:00Z',
          turns: [
            { speaker: 'customer', text: '我想换个收货地址', at: '2026-11-02T01:00:00Z' },
            { speaker: 'agent', text: '您好,已经帮您改好了', at: '2026-11-02T01:00:20Z' },
            { speaker: 'agent', text: last, at: '2026-11-02T01:00:40Z' },
          ],
        } as InlineTranscript)
        .findings.filter((f) => f.ruleId === 'rating-invite');
    expect(closing('稍后麻烦您给小妹打个评价哦,祝您生活愉快')).toEqual([]);
    expect(closing('请您对本次服务进行评价,再见')).toEqual([]);
    expect(closing('点一下右边的满意度按钮就好,再见')).toEqual([]);
    expect(closing('祝您生活愉快,再见')).toHaveLength(1);
  });
});
