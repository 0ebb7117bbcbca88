#!/usr/bin/env node
// Trains a learned turn model (logistic regression over the features of src/text/turn-model.ts) from
// transcripts and per-turn labels (eval/labels/*.turns.json), and prints it as a lexicon file whose
// `model:` a conditional rule's trigger can name. Needs the build (npm run build):
//   node scripts/train-turn-model.mjs --input out/twitter-care.jsonl --labels eval/labels/twcs.turns.json \
//     --lexicon complaint-model-en > lexicons/en/complaint-model.yaml
// Deterministic: the same input gives the same file. Only features seen in at least --min-turns turns
// (default 3) get a weight, so the file holds recurring words, never a conversation's own sentence.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TurnLabelSet } from '../dist/src/eval/turns.js';
import { orderTurns } from '../dist/src/pipeline/data-quality.js';
import { turnFeatures } from '../dist/src/text/turn-model.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string', multiple: true },
    labels: { type: 'string', multiple: true },
    lexicon: { type: 'string' },
    'min-turns': { type: 'string', default: '3' },
    epochs: { type: 'string', default: '40' },
    l2: { type: 'string', default: '0.001' },
  },
});
if (!values.input || !values.labels || !values.lexicon) {
  process.stderr.write(
    'usage: node scripts/train-turn-model.mjs --input T.jsonl [--input …] --labels L.turns.json [--labels …] --lexicon ID > model.yaml\n',
  );
  process.exit(2);
}

// Several turn-label files (one per source) train one model; a conversation labelled twice is an error.
// The same format `qa-screen eval --turns` reads (src/eval/turns.ts), checked the same way.
const labelFiles = values.labels.map((file) => {
  const parsed = TurnLabelSet.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    process.stderr.write(`${file}: not a turn labels file\n  ${where.slice(0, 5).join('\n  ')}\n`);
    process.exit(2);
  }
  return { file, ...parsed.data };
});
const labels = { reads: labelFiles[0].reads, turns: {} };
for (const { file, turns } of labelFiles)
  for (const [id, marked] of Object.entries(turns)) {
    if (labels.turns[id] !== undefined) {
      process.stderr.write(`conversation ${id} is labelled in more than one file (${file})\n`);
      process.exit(2);
    }
    labels.turns[id] = marked;
  }
const conversations = values.input.flatMap((file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line)),
);
const labelled = conversations.filter((c) => labels.turns[c.conversationId] !== undefined);
if (labelled.length === 0) {
  process.stderr.write('no conversation of the input is in the labels file\n');
  process.exit(2);
}
const language = labelled[0].language;

// One example per customer turn, in file order (the order the labels' indices count in). Whether a
// turn is a follow-up is decided in time order, as the screener decides it (src/pipeline/screen.ts).
const examples = [];
for (const c of labelled) {
  const marked = new Set(labels.turns[c.conversationId]);
  const first = orderTurns(c).transcript.turns.find((turn) => turn.speaker === 'customer');
  c.turns.forEach((turn, i) => {
    if (turn.speaker !== 'customer') return;
    examples.push({ y: marked.has(i) ? 1 : 0, features: turnFeatures(turn.text, language, turn !== first) });
  });
}

const minTurns = Number(values['min-turns']);
const seen = new Map();
for (const e of examples) for (const f of e.features) seen.set(f, (seen.get(f) ?? 0) + 1);
for (const e of examples) e.features = e.features.filter((f) => seen.get(f) >= minTurns);

// Stochastic gradient descent on the log loss with a little L2, in file order, learning rate decaying.
const weights = new Map();
let bias = 0;
const l2 = Number(values.l2);
for (let epoch = 0; epoch < Number(values.epochs); epoch++) {
  const rate = 0.2 / (1 + epoch * 0.1);
  for (const e of examples) {
    let sum = bias;
    for (const f of e.features) sum += weights.get(f) ?? 0;
    const gradient = 1 / (1 + Math.exp(-sum)) - e.y;
    bias -= rate * gradient;
    for (const f of e.features) {
      const w = weights.get(f) ?? 0;
      weights.set(f, w - rate * (gradient + l2 * w));
    }
  }
}

const round = (x) => Math.round(x * 1000) / 1000;
const kept = [...weights]
  .map(([f, w]) => [f, round(w)])
  .filter(([, w]) => Math.abs(w) >= 0.01)
  .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
const positives = examples.filter((e) => e.y === 1).length;
const file = {
  lexicon: values.lexicon,
  language,
  version: '1',
  description:
    'A learned model of a customer turn: the probability that a reviewer reads it as dissatisfaction. Written by scripts/train-turn-model.mjs; retrain rather than edit weights by hand.',
  model: {
    kind: 'logistic',
    reads: labels.reads ?? 'dissatisfaction',
    trained: `${examples.length} customer turns (${positives} marked) of ${labelled.length} conversations of ${labelFiles.map((l) => l.dataset).join(' + ')}, labels ${labelFiles.map((l) => l.file.split('/').pop()).join(' + ')}; features seen in at least ${minTurns} turns; ${values.epochs} epochs, L2 ${values.l2}`,
    bias: round(bias),
    weights: Object.fromEntries(kept),
  },
};
// A JSON body (JSON is YAML): the config loader reads it with JSON.parse, ~100× as fast as YAML.
process.stdout.write(
  `# Generated by scripts/train-turn-model.mjs (see its header for the command); do not edit by hand.\n${JSON.stringify(file, null, 2)}\n`,
);
