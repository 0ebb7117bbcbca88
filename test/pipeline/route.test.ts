import { beforeAll, describe, expect, it } from 'vitest';
import { readLocalFile } from '../../src/config/file-store.js';
import { loadPipeline } from '../../src/config/load.js';
import { type CompiledRouting, loadRoutingWithFiles } from '../../src/config/routing.js';
import type { Transcript } from '../../src/domain/index.js';
import { QaError } from '../../src/errors.js';
import { screenMessage } from '../../src/pipeline/process.js';
import { createRouter, routerOf } from '../../src/pipeline/route.js';
import { createScreener } from '../../src/pipeline/screen.js';

let bundled: CompiledRouting;
beforeAll(async () => {
  bundled = (await loadRoutingWithFiles('pipelines/routing.yaml', readLocalFile)).routing;
});

const transcript = (over: Partial<Transcript> & { team?: string; seat?: string } = {}): Transcript => {
  const { team, seat, ...rest } = over;
  return {
    conversationId: 'c-1',
    channel: 'chat',
    language: 'zh',
    agent: { id: 'a-1', ...(team && { team }), ...(seat && { seat }) },
    startedAt: '2026-11-02T01:00:00Z',
    turns: [{ speaker: 'agent', text: '您好' }],
    ...rest,
  } as Transcript;
};

const routed = (router: ReturnType<typeof createRouter>, t: Transcript) => {
  const r = router.route(t);
  return r instanceof QaError ? r.code : r.pipeline.id;
};

describe('routing transcripts to pipelines', () => {
  it('takes the first route that matches, by channel and language, then team', () => {
    const router = createRouter(bundled);
    expect(routed(router, transcript())).toBe('chat-zh');
    expect(routed(router, transcript({ channel: 'call' }))).toBe('call-zh');
    expect(routed(router, transcript({ language: 'en' }))).toBe('chat-en');
    expect(routed(router, transcript({ language: 'en', team: 'social-care' }))).toBe('social-en');
    expect(routed(router, transcript({ language: 'en', team: 'care-en' }))).toBe('chat-en');
    // A team listed for an English route does not pull a Chinese chat there.
    expect(routed(router, transcript({ team: 'social-care' }))).toBe('chat-zh');
    expect(routed(router, transcript({ channel: 'call', language: 'en' }))).toBe('QA_ERR_NO_ROUTE');
  });

  it('matches tenant and seat, and uses the default only for transcripts it can screen', () => {
    const routing: CompiledRouting = {
      ...bundled,
      routes: [
        { pipeline: 'call-zh', when: { tenant: ['acme'], seat: ['vip', 'vvip'] } },
        { pipeline: 'chat-en', when: { tenant: ['acme'] } },
      ],
      default: 'chat-zh',
    };
    const router = createRouter(routing);
    expect(routed(router, transcript({ channel: 'call', tenant: 'acme', seat: 'vip' }))).toBe('call-zh');
    // A route needing a field the transcript lacks does not take it.
    expect(routed(router, transcript({ channel: 'call', seat: 'vip' }))).toBe('QA_ERR_NO_ROUTE');
    expect(routed(router, transcript({ channel: 'call', tenant: 'acme', seat: 'general' }))).toBe(
      'QA_ERR_NO_ROUTE',
    );
    expect(routed(router, transcript({ language: 'en', tenant: 'acme' }))).toBe('chat-en');
    expect(routed(router, transcript({ tenant: 'other' }))).toBe('chat-zh');
    const none = router.route(transcript({ language: 'en', tenant: 'other' })) as QaError;
    expect(none.message).toContain('the default chat-zh screens chat/zh');
  });

  it('screens a mixed stream, records the pipeline on each item, and never quotes the transcript in a refusal', () => {
    const router = createRouter(bundled);
    const call = transcript({ channel: 'call', language: 'en', conversationId: 'secret-text-id' });
    const results = [transcript(), transcript({ channel: 'call' }), call].map((t) =>
      screenMessage(router, JSON.stringify(t)),
    );
    expect(results.map((r) => (r.ok ? r.item.pipeline.id : r.error.code))).toEqual([
      'chat-zh',
      'call-zh',
      'QA_ERR_NO_ROUTE',
    ]);
    const refused = results[2]!;
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.conversationId).toBe('secret-text-id');
      expect(refused.error.message).not.toContain('您好');
    }
    expect(router.defaultQueue('call-zh')).toBe('clean');
  });

  it('checks the routed pipeline own size limit', async () => {
    const small = await loadPipeline('pipelines/chat-zh.yaml');
    const tight = createRouter({
      ...bundled,
      pipelines: new Map([
        ...bundled.pipelines,
        [
          'chat-zh',
          {
            ...small,
            config: { ...small.config, limits: { ...small.config.limits, max_transcript_bytes: 100 } },
          },
        ],
      ]),
    });
    const r = screenMessage(tight, JSON.stringify(transcript()));
    expect(r.ok ? 'ok' : r.error.code).toBe('QA_ERR_TRANSCRIPT_TOO_LARGE');
    expect(screenMessage(tight, JSON.stringify(transcript({ language: 'en' }))).ok).toBe(true);
  });

  it('gives one pipeline a router of its own, once', async () => {
    const screener = createScreener(await loadPipeline('pipelines/chat-zh.yaml'));
    expect(routerOf(screener)).toBe(routerOf(screener));
    const r = screenMessage(screener, JSON.stringify(transcript({ language: 'en' })));
    expect(r.ok ? 'ok' : r.error.code).toBe('QA_ERR_LANGUAGE_MISMATCH');
  });
});
