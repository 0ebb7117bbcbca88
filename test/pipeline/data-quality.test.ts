import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledPipeline } from '../../src/config/compile.js';
import { loadPipeline } from '../../src/config/load.js';
import type { InlineTranscript, ScreenedItem } from '../../src/domain/index.js';
import { renderMessage } from '../../src/domain/messages.js';
import { screenMessage } from '../../src/pipeline/process.js';
import { createScreener } from '../../src/pipeline/screen.js';
import { bundledPipelineWith } from '../helpers/pipelines.js';

const START = Date.parse('2026-11-02T01:00:00Z');
const at = (s: number) => new Date(START + s * 1000).toISOString();

const chat = (turns: Array<[number | undefined, string, string]>, over: Partial<InlineTranscript> = {}) =>
  ({
    conversationId: 'dq-1',
    channel: 'chat',
    language: 'zh',
    agent: { id: 'a-1' },
    startedAt: at(0),
    turns: turns.map(([s, speaker, text]) => ({ speaker, text, ...(s !== undefined && { at: at(s) }) })),
    ...over,
  }) as InlineTranscript;

const call = (turns: Array<[string, string, number?, number?]>, over: Partial<InlineTranscript> = {}) =>
  ({
    conversationId: 'dq-call',
    channel: 'call',
    language: 'zh',
    agent: { id: 'b-1' },
    startedAt: at(0),
    endedAt: at(60),
    answerDelayMs: 2000,
    hangupBy: 'customer',
    turns: turns.map(([speaker, text, startMs, endMs]) => ({
      speaker,
      text,
      ...(startMs !== undefined && { startMs }),
      ...(endMs !== undefined && { endMs }),
    })),
    ...over,
  }) as InlineTranscript;

const GOOD_CALL: Array<[string, string, number, number]> = [
  ['agent', '您好,很高兴为您服务,请问有什么可以帮您?', 0, 4000],
  ['customer', '我想查一下话费', 4500, 7000],
  ['agent', '好的,已经帮您查好了,请问还有什么可以帮您?感谢您的来电,再见', 7500, 30000],
];

const NOW = { now: () => new Date('2026-11-23T00:00:00Z') };
let chatZh: CompiledPipeline;
let callZh: CompiledPipeline;
beforeAll(async () => {
  chatZh = await loadPipeline('pipelines/chat-zh.yaml');
  callZh = await loadPipeline('pipelines/call-zh.yaml');
});

const screen = (pipeline: CompiledPipeline, t: InlineTranscript) =>
  screenMessage(createScreener(pipeline, NOW), JSON.stringify(t));
const item = (pipeline: CompiledPipeline, t: InlineTranscript): ScreenedItem => {
  const r = screen(pipeline, t);
  if (!r.ok) throw new Error(`rejected: ${r.error.message}`);
  return r.item;
};
const rejection = (pipeline: CompiledPipeline, t: InlineTranscript) => {
  const r = screen(pipeline, t);
  if (r.ok) throw new Error('expected a rejection');
  return r.error;
};
const dq = (i: ScreenedItem) => i.findings.filter((f) => f.ruleId === 'data-quality').map((f) => f.message);

describe('turn order', () => {
  it('judges chat turns in time order, lists them so, and says the input was reordered', () => {
    // The agent's reply came 10 s after the customer, but arrived first in the array.
    const turns: Array<[number, string, string]> = [
      [10, 'agent', '您好,很高兴为您服务'],
      [0, 'customer', '你好,在吗'],
      [20, 'customer', '好的谢谢'],
      [25, 'agent', '请问还有什么可以帮您?祝您生活愉快,再见'],
    ];
    const i = item(chatZh, chat(turns));
    expect(i.stats.reordered).toBe(true);
    expect(i.findings.map((f) => f.ruleId)).not.toContain('first-response');
    expect(i.findings.map((f) => f.ruleId)).not.toContain('greeting');
    expect(dq(i)).toEqual([]);
    const inOrder = item(chatZh, chat([turns[1]!, turns[0]!, turns[2]!, turns[3]!]));
    expect(inOrder.stats.reordered).toBeUndefined();
    expect(inOrder.findings).toEqual(i.findings);
  });

  it('keeps turns with the same time in their order (stable)', async () => {
    const all = await bundledPipelineWith('chat-zh', { output: 'conversation: all' });
    const i = item(
      all,
      chat([
        [5, 'agent', '您好'],
        [0, 'customer', '第一'],
        [0, 'customer', '第二'],
      ]),
    );
    expect(i.conversation?.turns.map((t) => t.text)).toEqual(['第一', '第二', '您好']);
    expect(i.stats.reordered).toBe(true);
  });

  it('can flag or refuse out-of-order input when the pipeline says so', async () => {
    const turns: Array<[number, string, string]> = [
      [10, 'agent', '您好'],
      [0, 'customer', '你好'],
    ];
    const review = await bundledPipelineWith('chat-zh', { data_quality: 'out_of_order: review' });
    expect(dq(item(review, chat(turns)))).toEqual([
      'turns arrived out of time order and were judged in time order; every rule was judged.',
    ]);
    const reject = await bundledPipelineWith('chat-zh', { data_quality: 'out_of_order: reject' });
    expect(rejection(reject, chat(turns)).code).toBe('QA_ERR_TRANSCRIPT_DATA_QUALITY');
  });
});

describe('data quality never passes silently', () => {
  it('chat turns without `at`: the time rules are not judged, a data-quality finding says so and routes the item', () => {
    const i = item(
      chatZh,
      chat([
        [0, 'customer', '你好'],
        [undefined, 'agent', '您好,很高兴为您服务'],
        [30, 'agent', '请问还有什么可以帮您?再见'],
      ]),
    );
    expect(dq(i)).toEqual([
      '1 of 3 turn(s) have no time (at); not judged: first-response, response-latency.',
    ]);
    const finding = i.findings.find((f) => f.ruleId === 'data-quality')!;
    expect(finding).toMatchObject({ turnIndex: 1, points: 0, messageId: 'data-quality' });
    // The same facts for a Chinese reviewer.
    expect(renderMessage(finding.messageId, finding.params, 'zh')).toBe(
      '3句中有1句没有时间（at）；未判定的规则：first-response、response-latency。',
    );
    expect(i.queue).toBe('data-quality');
    expect(i.sampled).toBe(false);
    expect(i.stats.opportunities).toBe(chatZh.rules.length - 2);
  });

  it('rejects with a reason instead, when the pipeline says so', async () => {
    const strict = await bundledPipelineWith('chat-zh', { data_quality: 'missing_times: reject' });
    const err = rejection(
      strict,
      chat([
        [0, 'customer', '你好'],
        [undefined, 'agent', '您好'],
      ]),
    );
    expect(err.code).toBe('QA_ERR_TRANSCRIPT_DATA_QUALITY');
    expect(err.message).toContain('1 of 2 turn(s) have no time (at)');
  });

  it('empty turns are rejected by default, or screened by no rule and routed for review', async () => {
    expect(rejection(chatZh, chat([])).message).toContain('the transcript has no turns');
    const review = await bundledPipelineWith('chat-zh', { data_quality: 'empty_turns: review' });
    const i = item(review, chat([]));
    expect(dq(i)).toEqual([
      `the transcript has no turns; not judged: ${review.rules.map((r) => r.id).join(', ')}.`,
    ]);
    expect(i.findings).toHaveLength(1);
    expect(i.stats.opportunities).toBe(0);
    expect(i.queue).toBe('data-quality');
  });

  it('calls without offsets: silence, interruption, duration and speech rate are not judged', () => {
    const i = item(
      callZh,
      call(
        GOOD_CALL.map(([s, text]) => [s, text] as [string, string]),
        { endedAt: undefined },
      ),
    );
    expect(dq(i)).toEqual([
      '3 of 3 turn(s) have no time (startMs/endMs); not judged: silence, interruption, duration, speech-rate.',
    ]);
    expect(i.findings.map((f) => f.ruleId)).not.toContain('duration');
  });

  it('calls without answerDelayMs: answer-time is not judged', () => {
    const i = item(callZh, call(GOOD_CALL, { answerDelayMs: undefined }));
    expect(dq(i)).toEqual(['the call has no answerDelayMs; not judged: answer-time.']);
    expect(i.queue).not.toBe('clean');
  });

  it('endedAt before startedAt is rejected by default, or leaves the duration unjudged', async () => {
    const backwards = call(GOOD_CALL, { endedAt: '2026-11-02T00:59:00Z' });
    expect(rejection(callZh, backwards).message).toContain('endedAt is before startedAt');
    const review = await bundledPipelineWith('call-zh', { data_quality: 'ended_before_started: review' });
    const i = item(review, backwards);
    expect(dq(i)).toEqual(['endedAt is before startedAt; not judged: duration.']);
    expect(i.findings.map((f) => f.ruleId)).not.toContain('duration');
  });

  it('a complete call has no data-quality finding and stays where its score puts it', () => {
    const i = item(callZh, call(GOOD_CALL));
    expect(dq(i)).toEqual([]);
    expect(i.stats.opportunities).toBe(callZh.rules.length);
  });
});
