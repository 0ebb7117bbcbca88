import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Context, LexiconCategory, LexiconEntry } from '../../src/config/lexicon.js';
import { lexiconMarkdown, rulesText } from '../../src/rules/docs.js';

describe('lexicon options documentation', () => {
  it('describes every option of a category, an entry and a context, in `qa-screen rules` and the README', () => {
    const text = rulesText();
    for (const shape of [LexiconCategory.shape, LexiconEntry.shape, Context.shape]) {
      for (const [name, schema] of Object.entries(shape)) {
        expect((schema as { description?: string }).description, name).toBeTruthy();
        expect(text).toContain(`    ${name}`);
      }
    }
    expect(readFileSync('README.md', 'utf8')).toContain(lexiconMarkdown());
  });
});
