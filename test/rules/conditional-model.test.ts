import { describe, expect, it } from 'vitest';
import { compilePipeline, parseLexicon, parsePipeline } from '../../src/config/compile.js';
import { configSource } from '../../src/config/source.js';
import { QaError } from '../../src/errors.js';
import { createScreener } from '../../src/pipeline/screen.js';
import { chatTranscript } from '../helpers/transcript.js';

const WORDS = `lexicon: words
language: en
categories:
  complaint:
    phrases: [this is unacceptable]
  sorry:
    phrases: [sorry]
  calm:
    phrases: [no rush]
`;

// A hand-made model: "pay", "month" and "half" together are a complaint, "thanks" is not.
const MODEL = `lexicon: complaint-model
language: en
model:
  reads: dissatisfaction
  bias: -3
  weights:
    pay: 1.5
    month: 1
    half: 1.5
    thanks: -5
`;

const pipelineWith = (model: string) => `pipeline: m
version: "1"
channel: chat
language: en
rules:
  - id: apology
    type: conditional
    trigger:
      speaker: customer
      match: { lexicon: words, categories: [complaint] }
      model: ${model}
    expect: { speaker: agent, match: { lexicon: words, categories: [sorry] } }
    within_turns: 2
scoring:
  scheme: s
`;

const compile = (model: string, lexicons = [WORDS, MODEL]) =>
  compilePipeline(
    parsePipeline(configSource('p.yaml', pipelineWith(model))),
    lexicons.map((l, i) => parseLexicon(configSource(`l${i}.yaml`, l))),
  );

function apologyFindings(pipeline: ReturnType<typeof compile>, customer: string, agent = 'Please DM us.') {
  return createScreener(pipeline)
    .screen(
      chatTranscript(
        'c1',
        [
          ['customer', customer],
          ['agent', agent],
        ],
        { language: 'en' },
      ),
    )
    .findings.filter((f) => f.ruleId === 'apology');
}

describe('conditional rule: a learned model of the turn triggers too', () => {
  const pipeline = compile('{ lexicon: complaint-model, threshold: 0.7 }');

  it('fires when the model is sure enough, and says which words moved it', () => {
    // bias -3 + pay 1.5 + month 1 + half 1.5 = 1 → 0.73
    const [f] = apologyFindings(pipeline, 'I pay every month and it works half the time');
    expect(f?.message).toBe(
      'Customer wrote "pay" (dissatisfaction: a learned model\'s 0.73, from "pay", "half", "month") and agent gave no "sorry" phrase within the next 2 agent turn(s).',
    );
    expect(f).toMatchObject({ turnIndex: 0, start: 2, end: 5, text: 'pay' });
  });

  it('stays quiet below the threshold, when the agent apologises, and lets a phrase speak first', () => {
    expect(apologyFindings(pipeline, 'I pay every month')).toEqual([]);
    expect(apologyFindings(pipeline, 'I pay every month and it works half the time, thanks')).toEqual([]);
    expect(apologyFindings(pipeline, 'I pay every month and it works half the time', 'So sorry!')).toEqual(
      [],
    );
    const [phrase] = apologyFindings(pipeline, 'I pay every month, this is unacceptable, half the time');
    expect(phrase?.message).toMatch(/^Customer said "this is unacceptable" \(complaint\)/);
  });

  it('does not score a turn whose answer is already there: it could give no finding', () => {
    // Every scoring starts from the model's bias: count the reads of it.
    const model = pipeline.models.get('complaint-model')!;
    const { bias } = model;
    const own = Object.getOwnPropertyDescriptor(model, 'bias')!;
    let scored = 0;
    Object.defineProperty(model, 'bias', {
      configurable: true,
      get: () => {
        scored++;
        return bias;
      },
    });
    const turn = 'I pay every month and it works half the time';
    try {
      expect(apologyFindings(pipeline, turn, 'So sorry!')).toEqual([]);
      expect(scored).toBe(0);
      expect(apologyFindings(pipeline, turn)).toHaveLength(1);
      expect(scored).toBeGreaterThan(0);
    } finally {
      Object.defineProperty(model, 'bias', own);
    }
  });

  it('does not let the model read a turn with an `unless` phrase; a phrase still triggers there', () => {
    const calm = compile(
      '{ lexicon: complaint-model, threshold: 0.7, unless: { lexicon: words, categories: [calm] } }',
    );
    const turn = 'I pay every month and it works half the time';
    expect(apologyFindings(calm, turn)).toHaveLength(1);
    expect(apologyFindings(calm, `${turn}, no rush`)).toEqual([]);
    expect(apologyFindings(calm, `No rush, but ${turn} and this is unacceptable`)).toHaveLength(1);
  });

  it('rejects a model reference to an unknown lexicon or to one without a model, naming the path', () => {
    const errorOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        if (err instanceof QaError) return err.details;
        throw err;
      }
      throw new Error('expected a QaError');
    };
    expect(errorOf(() => compile('{ lexicon: nope }'))).toEqual([
      expect.stringMatching(/^p\.yaml:\d+:\d+ rules\[0\]\.trigger\.model\.lexicon: unknown lexicon "nope"/),
    ]);
    expect(errorOf(() => compile('{ lexicon: words }'))).toEqual([
      expect.stringMatching(/rules\[0\]\.trigger\.model\.lexicon: lexicon "words" has no model:/),
    ]);
    expect(
      errorOf(() => parseLexicon(configSource('m.yaml', MODEL.replace('bias: -3', 'bias: high')))),
    ).toEqual([expect.stringMatching(/^m\.yaml:5:9 model\.bias: /)]);
  });
});
