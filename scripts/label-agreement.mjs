#!/usr/bin/env node
// How far two reviewers' labels agree, per rule, on the conversations both labelled: counts, observed
// agreement, Cohen's kappa (the review service's own), and the second reviewer read as if it were a
// screener against the first (precision / recall), to set beside qa-screen's figures on the same labels.
//   npm run build
//   node scripts/label-agreement.mjs eval/labels/twcs-test.fresh-a.json eval/labels/twcs-test.fresh-b.json \
//     --second eval/labels/twcs-test.fresh.agreement.json
// Every file before --second holds the first reviewer's labels (their union is used); the file after it the second's.
import { readFileSync } from 'node:fs';
import { cohenKappa } from '../dist/src/review/stats.js';

const args = process.argv.slice(2);
const split = args.indexOf('--second');
if (split < 1 || split !== args.length - 2) {
  process.stderr.write(
    'usage: node scripts/label-agreement.mjs FIRST.json [FIRST2.json …] --second SECOND.json\n',
  );
  process.exit(2);
}
const load = (file) => JSON.parse(readFileSync(file, 'utf8'));
const firstFiles = args.slice(0, split).map(load);
const first = Object.assign({}, ...firstFiles.map((f) => f.labels));
const second = load(args[split + 1]).labels;
const rules = firstFiles[0].rules;
const ids = Object.keys(first).filter((id) => id in second);

const fixed = (x) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const lines = [
  `${ids.length} conversations labelled by both`,
  '',
  'rule              both  first only  second only  neither  agree  kappa  second vs first: P / R',
];
for (const rule of rules) {
  const pairs = ids.map((id) => [first[id].includes(rule), second[id].includes(rule)]);
  const both = pairs.filter(([a, b]) => a && b).length;
  const firstOnly = pairs.filter(([a, b]) => a && !b).length;
  const secondOnly = pairs.filter(([a, b]) => !a && b).length;
  const neither = ids.length - both - firstOnly - secondOnly;
  const agree = (both + neither) / ids.length;
  lines.push(
    [
      rule.padEnd(16),
      String(both).padStart(5),
      String(firstOnly).padStart(11),
      String(secondOnly).padStart(12),
      String(neither).padStart(8),
      `${(agree * 100).toFixed(0)}%`.padStart(6),
      fixed(cohenKappa(pairs) ?? Number.NaN).padStart(6),
      `  ${fixed(both / (both + secondOnly))} / ${fixed(both / (both + firstOnly))}`,
    ].join(' '),
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
