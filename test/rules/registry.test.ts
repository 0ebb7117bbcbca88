import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ruleContext } from '../../src/rules/define.js';
import { rulesMarkdown, rulesText } from '../../src/rules/docs.js';
import { RULE_TYPES, RuleConfig, ruleSpec } from '../../src/rules/registry.js';

describe('rule registry', () => {
  it('registers each type once, each with a summary and a description for every option', () => {
    const types = RULE_TYPES.map((r) => r.type);
    expect(new Set(types).size).toBe(types.length);
    for (const spec of RULE_TYPES) {
      expect(spec.summary.length, spec.type).toBeGreaterThan(10);
      for (const [name, schema] of Object.entries(spec.options)) {
        expect((schema as { description?: string }).description, `${spec.type}.${name}`).toBeTruthy();
      }
    }
  });

  it('documents every type and option in `qa-screen rules` and, generated, in the README', () => {
    const text = rulesText();
    for (const spec of RULE_TYPES) {
      expect(text).toContain(`${spec.type} — `);
      for (const name of Object.keys(spec.options)) expect(text).toContain(`  ${name}`);
    }
    expect(readFileSync('README.md', 'utf8')).toContain(rulesMarkdown());
  });

  it('documents the described fields of object options in `qa-screen rules`', () => {
    const text = rulesText();
    expect(text).toContain('    grace.acknowledgements: a turn made only of these');
    expect(text).toContain('    trigger.unless_question (default false): ');
    expect(text).toContain('    per_minute.max (required): faster is flagged');
    // A field without a description is not listed as an empty line.
    expect(text).not.toMatch(/^ {4}\S+: *$/m);
  });

  it('binds a rule only to its own type (the tag decides), and fills findings from the context', () => {
    const rule = RuleConfig.parse({ id: 'short', type: 'duration', min_seconds: 5 });
    const ctx = ruleContext('short', { category: 'sampling', severity: 'info', points: 0 });
    expect(() => ruleSpec('answer-time').create(rule, ctx)).toThrow(TypeError);
    const evaluate = ruleSpec('duration').create(rule, ctx);
    const findings = evaluate({ transcript: {} as never, turns: [], durationMs: 1000 });
    expect(findings).toEqual([
      {
        category: 'sampling',
        severity: 'info',
        points: 0,
        atMs: 0,
        durationMs: 1000,
        message: 'Conversation lasted 1 s, under 5 s: routed for review.',
        messageId: 'duration.short',
        params: { ms: 1000, limitSeconds: 5 },
      },
    ]);
  });
});
