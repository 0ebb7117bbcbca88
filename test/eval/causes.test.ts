import { describe, expect, it } from 'vitest';
import { compilePipeline, parseLexicon, parsePipeline } from '../../src/config/compile.js';
import { configSource } from '../../src/config/source.js';
import { causeBreakdown, triggersOnly } from '../../src/eval/causes.js';
import type { LabelSet } from '../../src/eval/labels.js';
import { createScreener } from '../../src/pipeline/screen.js';
import { chatTranscript } from '../helpers/transcript.js';

const LEXICON = `lexicon: words
language: zh
categories:
  complaint:
    phrases: [太慢了, 怎么还没到]
  sorry:
    phrases: [抱歉, 不好意思]
  thanks:
    phrases: [谢谢]
`;

const PIPELINE = `pipeline: causes
version: "1"
channel: chat
language: zh
rules:
  - id: apology
    type: conditional
    trigger: { speaker: customer, match: { lexicon: words, categories: [complaint] } }
    expect: { speaker: agent, match: { lexicon: words, categories: [sorry] } }
    within_turns: 2
  - id: complaint-reply
    type: conditional
    trigger: { speaker: customer, match: { lexicon: words, categories: [complaint] } }
    expect: { speaker: agent }
    within_turns: 1
  - id: greeting
    type: required-phrase
    match: { lexicon: words, categories: [thanks] }
    speaker: agent
    window: { first_turns: 1 }
scoring:
  scheme: s
`;

const pipeline = compilePipeline(parsePipeline(configSource('p.yaml', PIPELINE)), [
  parseLexicon(configSource('l.yaml', LEXICON)),
]);

const chat = (id: string, customer: string, agent: string) =>
  chatTranscript(id, [
    ['customer', customer],
    ['agent', agent],
  ]);

const CONVERSATIONS = [
  chat('answered-wrongly', '快递太慢了', '已经发货了'), // complaint, no apology: fires, labelled
  chat('reply-taken', '怎么还没到', '抱歉，我查一下'), // an apology the reviewer did not accept
  chat('words-missed', '等了一周也没人管', '已经发货了'), // a complaint in words the lexicon lacks
  chat('fine', '太慢了', '不好意思，给您加急'), // complaint answered, reviewer agrees
  chat('false-alarm', '太慢了没关系', '好的'), // not a complaint for the reviewer
  chat('quiet', '请问发什么快递', '顺丰'),
];

const LABELS: LabelSet = {
  dataset: 'test',
  split: 'dev',
  rules: ['apology', 'complaint-reply', 'greeting'],
  labels: {
    'answered-wrongly': ['apology'],
    'reply-taken': ['apology'],
    'words-missed': ['apology'],
    fine: [],
    'false-alarm': [],
    quiet: [],
  },
};

const firedBy = (p: typeof pipeline) => {
  const screener = createScreener(p);
  return new Map(
    CONVERSATIONS.map((c) => [c.conversationId, new Set(screener.screen(c).findings.map((f) => f.ruleId))]),
  );
};

describe('eval by cause: which side of a rule that expects an answer disagrees', () => {
  it('rebuilds only the rules that expect a phrase in answer, so that every trigger fires', () => {
    const twin = triggersOnly(pipeline)!;
    expect([...twin.rules]).toEqual(['apology']);
    // The other rules are the very same compiled rules.
    expect(twin.pipeline.rules[1]).toBe(pipeline.rules[1]);
    expect(twin.pipeline.rules[2]).toBe(pipeline.rules[2]);
    const triggered = firedBy(twin.pipeline);
    const fired = firedBy(pipeline);
    for (const id of ['answered-wrongly', 'reply-taken', 'fine', 'false-alarm'])
      expect(triggered.get(id)!.has('apology')).toBe(true);
    expect(triggered.get('words-missed')!.has('apology')).toBe(false);
    expect(fired.get('reply-taken')!.has('apology')).toBe(false);
  });

  it('splits misses into no trigger and a reply taken for the answer', () => {
    const twin = triggersOnly(pipeline)!;
    const causes = causeBreakdown(LABELS, firedBy(pipeline), firedBy(twin.pipeline), twin.rules);
    expect(causes).toEqual([
      {
        rule: 'apology',
        truePositives: 1,
        falsePositives: 1,
        missedNoTrigger: 1,
        missedAnswered: 1,
        answered: 1,
      },
    ]);
    expect(
      causeBreakdown(LABELS, firedBy(pipeline), firedBy(twin.pipeline), twin.rules, ['greeting']),
    ).toEqual([]);
  });

  it('has nothing to rebuild in a pipeline without such a rule', () => {
    const plain = compilePipeline(
      parsePipeline(
        configSource('p.yaml', PIPELINE.replace(/ {2}- id: apology[\s\S]*?within_turns: 2\n/, '')),
      ),
      [parseLexicon(configSource('l.yaml', LEXICON))],
    );
    expect(triggersOnly(plain)).toBeUndefined();
  });
});
