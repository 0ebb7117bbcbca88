import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPipeline } from '../../src/config/load.js';
import {
  MESSAGE_IDS,
  type MessageId,
  type MessageParams,
  PII_LABELS,
  renderMessage,
  SIGN_LABELS,
  zhPart,
} from '../../src/domain/messages.js';
import { hasTurns, parseTranscript } from '../../src/pipeline/parse.js';
import { createScreener } from '../../src/pipeline/screen.js';
import { SignKind } from '../../src/rules/complaint-signs.js';
import { PII_KINDS } from '../../src/text/pii.js';

/** Parameters for every template, as the rules give them (our own words). */
const EXAMPLES: Record<MessageId, MessageParams> = {
  'phrase.said': { speaker: 'agent', words: '这不归我管', category: 'shirking' },
  'pii.unmasked': { speaker: 'customer', kind: 'bank_card' },
  'pii.ask': { speaker: 'agent', words: '身份证号', category: 'id-number' },
  'required-phrase.never-spoke': { speaker: 'agent', expectation: 'greeting (开头语)' },
  'required-phrase.missing': {
    speaker: 'agent',
    expectation: 'closing (结束语)',
    window: 'last_turns',
    n: 2,
  },
  'agent-hangup': { why: 'unanswered', turn: 7 },
  'answer-time': { ms: 45_000, limitMs: 30_000 },
  'duration.short': { ms: 11_500, limitSeconds: 20 },
  'duration.long': { ms: 247_500, limitSeconds: 200 },
  'first-response.never': { limitMs: 120_000 },
  'first-response.late': { ms: 300_000, limitMs: 120_000 },
  interruption: { speaker: 'agent', ms: 1_500, turn: 3, interrupted: 'customer' },
  'response-latency': { ms: 90_000, limitMs: 60_000, count: 2, worstMs: 95_000 },
  silence: { ms: 16_000, limitMs: 10_000, hold: true },
  'speech-rate.overall': {
    speaker: 'agent',
    unit: 'characters',
    min: 150,
    max: 300,
    rate: 127,
    ms: 9_000,
    fast: false,
  },
  'speech-rate.turn': {
    speaker: 'agent',
    unit: 'characters',
    min: 150,
    max: 300,
    rate: 335,
    fast: true,
    count: 2,
    fastest: 340,
  },
  'conditional.unanswered': {
    speaker: 'customer',
    trigger: 'model',
    words: '又没到',
    reads: 'dissatisfaction',
    probability: 0.97,
    reasons: ['又没到', '三天'],
    answerer: 'agent',
    withinTurns: 2,
    expectation: 'apology (致歉语)',
  },
  'conditional.no-reply': {
    speaker: 'customer',
    trigger: 'cues',
    cues: ['试了好几次', '!!'],
    cueLabels: ['dissatisfaction-cue', 'sign:repeated-marks'],
    answerer: 'agent',
    withinTurns: 2,
  },
  'data-quality': {
    problem: 'missing-times',
    untimed: 2,
    turns: 9,
    field: 'at',
    notJudged: ['first-response'],
  },
  'conditional.late': {
    speaker: 'customer',
    trigger: 'phrase',
    words: '投诉',
    category: 'dissatisfaction',
    answerer: 'agent',
    withinTurns: 3,
    withinMs: 600_000,
    ms: 900_000,
    expectCategories: 'apology/empathy',
  },
};

const CJK = /[\u4e00-\u9fff]/;

describe('finding message catalogue', () => {
  it('renders every template in English and in Chinese from its parameters', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual([...MESSAGE_IDS].sort());
    for (const id of MESSAGE_IDS) {
      const en = renderMessage(id, EXAMPLES[id], 'en');
      const zh = renderMessage(id, EXAMPLES[id], 'zh');
      expect(en, id).toMatch(/^[A-Z0-9].*\.$/);
      expect(en, id).not.toMatch(/undefined|NaN|\[object/);
      expect(zh, id).toMatch(CJK);
      expect(zh, id).toMatch(/。$/);
      expect(zh, id).not.toMatch(/undefined|NaN|\[object|\b(turn|said|reply|limit|agent|customer)\b/);
    }
  });

  it('writes what the rules wrote before templates, and the Chinese reading of the same facts', () => {
    expect(renderMessage('conditional.unanswered', EXAMPLES['conditional.unanswered'], 'en')).toBe(
      `Customer wrote "又没到" (dissatisfaction: a learned model's 0.97, from "又没到", "三天") and agent gave no apology (致歉语) within the next 2 agent turn(s).`,
    );
    expect(renderMessage('conditional.unanswered', EXAMPLES['conditional.unanswered'], 'zh')).toBe(
      '客户写了“又没到”（dissatisfaction：学习模型判定概率0.97，依据“又没到”、“三天”），坐席在随后2句内没有致歉语。',
    );
    expect(renderMessage('response-latency', EXAMPLES['response-latency'], 'en')).toBe(
      "Reply came 90 s after the customer's message (limit 60 s; 2 slow replies, worst 95 s).",
    );
    expect(renderMessage('conditional.no-reply', EXAMPLES['conditional.no-reply'], 'zh')).toBe(
      '客户以2个线索共同表达了不满：“试了好几次”（dissatisfaction-cue）、“!!”（连续的问号或感叹号），坐席始终没有回复。',
    );
  });

  it("names lexicon categories by the Chinese part of the pipeline's labels when given them", () => {
    const labels = {
      category: (id: string) =>
        ({ shirking: '推诿 (shirking responsibility)', dissatisfaction: '客户不满' })[id],
    };
    expect(renderMessage('phrase.said', EXAMPLES['phrase.said'], 'zh', labels)).toBe(
      '坐席说了“这不归我管”（推诿）。',
    );
    expect(
      renderMessage('conditional.unanswered', EXAMPLES['conditional.unanswered'], 'zh', labels),
    ).toContain('（客户不满：学习模型判定概率0.97');
    // English keeps the ids: the item's `message` is written without labels.
    expect(renderMessage('phrase.said', EXAMPLES['phrase.said'], 'en', labels)).toBe(
      'Agent said "这不归我管" (shirking).',
    );
  });

  it("names a category by its own lexicon's label when two lexicons share the id", () => {
    const labels = new Map([
      ['thanks', '致谢语'],
      ['service-zh/thanks', '致谢语'],
      ['customer-zh/thanks', '客户致谢 (thanks)'],
    ]);
    const said = { speaker: 'customer', trigger: 'phrase', words: '谢谢', category: 'thanks' };
    const params = { ...said, answerer: 'agent', withinTurns: 1, expectation: '致谢语' };
    const render = (p: MessageParams) =>
      renderMessage('conditional.unanswered', p, 'zh', { category: (key) => labels.get(key) });
    expect(render({ ...params, lexicon: 'customer-zh' })).toContain('客户说了“谢谢”（客户致谢）');
    expect(render({ ...params, lexicon: 'service-zh' })).toContain('客户说了“谢谢”（致谢语）');
    // A finding from before findings named their lexicon, or a lexicon the labels lack: the bare id's.
    expect(render(params)).toContain('（致谢语）');
    expect(render({ ...params, lexicon: 'gone-zh' })).toContain('（致谢语）');
  });

  it('labels every kind of personal data and every surface sign in both languages', () => {
    for (const lang of ['en', 'zh'] as const) {
      expect(Object.keys(PII_LABELS[lang]).sort()).toEqual([...PII_KINDS].sort());
      expect(Object.keys(SIGN_LABELS[lang]).sort()).toEqual([...SignKind.options].sort());
    }
  });

  it('takes the Chinese part of a bilingual label', () => {
    expect(zhPart('greeting (开头语)')).toBe('开头语');
    expect(zhPart('推诿 (shirking responsibility)')).toBe('推诿');
    expect(zhPart('不清楚/不知道类（not knowing）')).toBe('不清楚/不知道类');
    expect(zhPart('apology')).toBe('apology');
    expect(zhPart('Closing (seed 003)')).toBe('Closing (seed 003)');
  });

  it('gives nothing back for parameters that do not fit, so a reader falls back to the message', () => {
    expect(renderMessage('no.such.message', {}, 'zh')).toBeUndefined();
    expect(renderMessage(undefined, {}, 'zh')).toBeUndefined();
    expect(renderMessage('toString', {}, 'zh')).toBeUndefined();
    expect(renderMessage('__proto__', {}, 'zh')).toBeUndefined();
    expect(renderMessage('phrase.said', undefined, 'zh')).toBeUndefined();
    expect(
      renderMessage('phrase.said', { ...EXAMPLES['phrase.said'], speaker: 'boss' }, 'zh'),
    ).toBeUndefined();
    expect(renderMessage('answer-time', { ms: '45000', limitMs: 30_000 }, 'en')).toBeUndefined();
    expect(
      renderMessage('conditional.no-reply', { ...EXAMPLES['conditional.no-reply'], cueLabels: ['x'] }, 'zh'),
    ).toBe(undefined);
    expect(renderMessage('agent-hangup', { why: 'bored' }, 'en')).toBeUndefined();
  });
});

describe('findings of the bundled pipelines', () => {
  it('carry a template id and parameters that write their message exactly, in both languages', async () => {
    const seen = new Set<string>();
    for (const name of ['chat-zh', 'call-zh', 'chat-en']) {
      const pipeline = await loadPipeline(`pipelines/${name}.yaml`);
      const screener = createScreener(pipeline);
      for (const line of readFileSync(`samples/${name}.jsonl`, 'utf8').split('\n')) {
        const parsed = parseTranscript(line, 1 << 20);
        if (!parsed.ok || !hasTurns(parsed.transcript)) continue;
        for (const f of screener.screen(parsed.transcript).findings) {
          expect(f.messageId, f.ruleId).toBeDefined();
          seen.add(f.messageId!);
          expect(renderMessage(f.messageId, f.params, 'en')).toBe(f.message);
          const zh = renderMessage(f.messageId, f.params, 'zh', {
            category: (id) => pipeline.categoryLabels.get(id),
          });
          expect(zh, f.message).toMatch(CJK);
        }
      }
    }
    // The samples reach most templates (the rest are covered by the examples above).
    expect(seen.size).toBeGreaterThanOrEqual(12);
  });
});
