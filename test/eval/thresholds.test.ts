import { describe, expect, it } from 'vitest';
import { compilePipeline, parseLexicon, parsePipeline } from '../../src/config/compile.js';
import { configSource } from '../../src/config/source.js';
import { triggersOnly } from '../../src/eval/causes.js';
import {
  DEFAULT_MODEL_THRESHOLDS,
  modelThresholds,
  parseThresholds,
  withModelThreshold,
} from '../../src/eval/thresholds.js';
import { createScreener } from '../../src/pipeline/screen.js';
import { scoreText, turnModel } from '../../src/text/turn-model.js';
import { MODEL, MODEL_LEXICON, pipelineYaml, WORDS } from '../helpers/model-pipeline.js';
import { chatTranscript } from '../helpers/transcript.js';

const pipelineWith = (model: string) =>
  compilePipeline(parsePipeline(configSource('p.yaml', pipelineYaml(model))), [
    parseLexicon(configSource('w.yaml', WORDS)),
    parseLexicon(configSource('m.yaml', MODEL_LEXICON)),
  ]);

const pipeline = pipelineWith('      model: { lexicon: complaint-model, threshold: 0.8 }');
const probability = (text: string) => scoreText(turnModel(MODEL), text, 'zh', false).probability;

const chat = (id: string, customer: string) =>
  chatTranscript(id, [
    ['customer', customer],
    ['agent', '好的，马上查'],
  ]);

const apologyFires = (p: typeof pipeline, customer: string) =>
  createScreener(p)
    .screen(chat('c', customer))
    .findings.some((f) => f.ruleId === 'apology');

describe('eval --model-thresholds: a learned model measured at other thresholds', () => {
  it('names the rules whose trigger has a model, with the threshold each has now', () => {
    expect([...modelThresholds(pipeline)]).toEqual([['apology', 0.8]]);
    expect(modelThresholds(pipelineWith('')).size).toBe(0);
  });

  it('moves only the model: a turn between two thresholds triggers at the lower one only', () => {
    // The sentences' probabilities under the model, so the thresholds below sit between them.
    const mild = '太慢了';
    const strong = '还没到，太慢了';
    const quiet = '请问发什么快递';
    expect(probability(mild)).toBeGreaterThan(0.6);
    expect(probability(mild)).toBeLessThan(0.8);
    expect(probability(strong)).toBeGreaterThan(0.95);
    expect(probability(quiet)).toBeLessThan(0.1);

    expect(apologyFires(pipeline, mild)).toBe(false);
    const lower = withModelThreshold(pipeline, 0.6);
    expect(apologyFires(lower, mild)).toBe(true);
    expect(apologyFires(lower, strong)).toBe(true);
    expect(apologyFires(lower, quiet)).toBe(false);
    expect(apologyFires(withModelThreshold(pipeline, 0.98), strong)).toBe(false);
    // The other rules are the very same compiled rules, and the pipeline it came from is unchanged.
    expect(lower.rules[1]).toBe(pipeline.rules[1]);
    expect(lower.rules[0]).not.toBe(pipeline.rules[0]);
    expect(modelThresholds(pipeline).get('apology')).toBe(0.8);
  });

  it('keeps the threshold when eval rebuilds the rule once more (--turns, --by-cause)', () => {
    // triggersOnly rebuilds rules from the pipeline's config: the threshold must be there too.
    const twin = triggersOnly(withModelThreshold(pipeline, 0.6))!;
    const apologised = chatTranscript('c', [
      ['customer', '太慢了'],
      ['agent', '抱歉，马上查'],
    ]);
    // In the twin no reply answers: a turn that triggers is flagged even after an apology.
    expect(
      createScreener(twin.pipeline)
        .screen(apologised)
        .findings.some((f) => f.ruleId === 'apology'),
    ).toBe(true);
    const atOwn = triggersOnly(pipeline)!;
    expect(
      createScreener(atOwn.pipeline)
        .screen(apologised)
        .findings.some((f) => f.ruleId === 'apology'),
    ).toBe(false);
  });

  it('reads a list of probabilities, sorted and once each, and refuses anything else', () => {
    expect(parseThresholds('0.9, 0.6,0.9')).toEqual([0.6, 0.9]);
    expect(parseThresholds('1')).toEqual([1]);
    for (const bad of ['0', '1.2', '0.5,x', '', '-0.3']) expect(parseThresholds(bad), bad).toBeUndefined();
    expect(DEFAULT_MODEL_THRESHOLDS[0]).toBe(0.5);
    expect(DEFAULT_MODEL_THRESHOLDS).toContain(0.95);
  });
});
