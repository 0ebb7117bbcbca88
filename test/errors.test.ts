import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../src/errors.js';

describe('error catalogue', () => {
  it('documents every error code in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const code of Object.keys(ERRORS)) expect(readme, code).toContain(`\`${code}\``);
  });
});
