import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSyntaxProblem } from '../../src/pipeline/json-syntax.js';

const REASON = /^(unexpected end of input|[a-zA-Z' ,:{}[\]\\]+ at character \d+)$/;

describe('jsonSyntaxProblem', () => {
  it('finds no problem in what JSON.parse accepts', () => {
    fc.assert(fc.property(fc.json(), (text) => jsonSyntaxProblem(text) === 'not valid JSON'));
  });

  it('names a position (or the end) in what JSON.parse rejects, and nothing of the text', () => {
    const broken = fc
      .tuple(fc.json(), fc.nat(), fc.string({ unit: 'grapheme', maxLength: 3 }))
      .map(([json, at, noise]) => {
        const cut = at % (json.length + 1);
        return json.slice(0, cut) + noise + json.slice(cut + (at % 2));
      })
      .filter((text) => {
        try {
          JSON.parse(text);
          return false;
        } catch {
          return true;
        }
      });
    fc.assert(fc.property(broken, (text) => REASON.test(jsonSyntaxProblem(text))));
  });

  it('is iterative: deep nesting does not overflow the stack', () => {
    expect(jsonSyntaxProblem('['.repeat(1_000_000))).toBe('unexpected end of input');
  });
});
