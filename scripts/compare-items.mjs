#!/usr/bin/env node
// Engine changes that must not change what screening says: compares two item files (JSONL, as
// `qa-screen screen` writes them) line by line, every field but `screenedAt`, and names the first
// differing fields. Exit 0 when equal, 1 otherwise. For example, the build before and after:
//   node bin/qa-screen.js screen -p pipelines/chat-zh.yaml -i ../shared/data/jddc-dev/chat-zh.jsonl -q -o /tmp/before.jsonl
//   (change, npm run build, the same command to /tmp/after.jsonl)
//   node scripts/compare-items.mjs /tmp/before.jsonl /tmp/after.jsonl
import { readFileSync } from 'node:fs';

const [, , before, after] = process.argv;
if (!before || !after) {
  console.error('usage: node scripts/compare-items.mjs BEFORE.jsonl AFTER.jsonl');
  process.exit(2);
}
const lines = (file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

/** Paths where two values differ (objects and arrays compared member by member). */
function differences(x, y, path, out) {
  const kind = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (kind(x) !== kind(y)) out.push(path || '(item)');
  else if (kind(x) === 'object' || kind(x) === 'array') {
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)]))
      differences(x[k], y[k], `${path}.${k}`, out);
  } else if (x !== y) out.push(path);
  return out;
}

const a = lines(before);
const b = lines(after);
let differing = 0;
let findings = 0;
for (let i = 0; i < Math.max(a.length, b.length); i++) {
  if (a[i] === undefined || b[i] === undefined) {
    differing++;
    continue;
  }
  const x = JSON.parse(a[i]);
  const y = JSON.parse(b[i]);
  delete x.screenedAt;
  delete y.screenedAt;
  findings += (x.findings ?? []).length;
  const diff = differences(x, y, '', []);
  if (diff.length > 0) {
    differing++;
    if (differing <= 10) console.log(`line ${i + 1} (${x.conversationId}): ${diff.slice(0, 5).join(', ')}`);
  }
}
console.log(
  `${a.length} vs ${b.length} items, ${findings} findings before; ${differing === 0 ? 'equal' : `${differing} differ`} (screenedAt aside)`,
);
process.exit(differing === 0 ? 0 : 1);
