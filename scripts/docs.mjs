#!/usr/bin/env node
// Regenerates the README's generated blocks from the code (rule types and their options, settings):
//   npm run docs
// A test fails when the README and the code disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { settingsTable } from '../dist/src/config/settings.js';
import { lexiconMarkdown, rulesMarkdown } from '../dist/src/rules/docs.js';

const blocks = { rules: rulesMarkdown(), lexicon: lexiconMarkdown(), settings: settingsTable() };
let readme = readFileSync('README.md', 'utf8');
for (const [name, text] of Object.entries(blocks)) {
  const begin = `<!-- generated:${name} (npm run docs) -->`;
  const end = `<!-- /generated:${name} -->`;
  const a = readme.indexOf(begin);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md has no ${begin} … ${end} block`);
  readme = `${readme.slice(0, a + begin.length)}\n${text}\n${readme.slice(b)}`;
}
writeFileSync('README.md', readme);
