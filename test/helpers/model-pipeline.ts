// A small Chinese pipeline whose apology rule's trigger includes a learned model, for tests of
// model thresholds (test/eval/thresholds.test.ts, the eval command's --model-thresholds).

export const WORDS = `lexicon: words
language: zh
categories:
  complaint:
    phrases: [投诉你们]
  sorry:
    phrases: [抱歉]
  thanks:
    phrases: [谢谢]
`;

/** Weights written for these tests: 慢 and 太 push towards a complaint, 还没 more so. */
export const MODEL = { reads: 'dissatisfaction', bias: -4, weights: { 慢: 3, 太: 2, 还没: 2.5 } };

export const MODEL_LEXICON = `lexicon: complaint-model
language: zh
model:
  reads: ${MODEL.reads}
  bias: ${MODEL.bias}
  weights: ${JSON.stringify(MODEL.weights)}
`;

/**
 * The pipeline's YAML; `model` is the trigger's model line, indented six spaces ('' for none), and
 * `lexicons` the files it lists (none: the caller compiles it with lexicons in hand).
 */
export const pipelineYaml = (model: string, lexicons: readonly string[] = []) => `pipeline: thresholds
version: "1"
channel: chat
language: zh
${lexicons.length > 0 ? `lexicons: [${lexicons.join(', ')}]\n` : ''}rules:
  - id: apology
    type: conditional
    trigger:
      speaker: customer
      match: { lexicon: words, categories: [complaint] }
${model}
    expect: { speaker: agent, match: { lexicon: words, categories: [sorry] } }
    within_turns: 2
  - id: greeting
    type: required-phrase
    match: { lexicon: words, categories: [thanks] }
    speaker: agent
    window: { first_turns: 1 }
scoring:
  scheme: s
`;
