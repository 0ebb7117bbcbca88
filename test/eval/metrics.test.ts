import { describe, expect, it } from 'vitest';
import type { LabelSet } from '../../src/eval/labels.js';
import { evaluate, NO_QUOTE, triggerBreakdown, triggerOf } from '../../src/eval/metrics.js';
import { wilson } from '../../src/review/stats.js';

const labels: LabelSet = {
  dataset: 't',
  split: 'dev',
  rules: ['greeting', 'apology'],
  labels: { a: ['greeting'], b: [], c: ['greeting', 'apology'], d: ['apology'], e: [] },
};

describe('evaluation metrics', () => {
  it('scores each rule at conversation level and lists every disagreement', () => {
    const fired = new Map<string, Set<string>>([
      ['a', new Set(['greeting'])],
      ['b', new Set(['greeting', 'pii'])],
      ['c', new Set(['greeting'])],
      ['d', new Set(['apology'])],
    ]);
    const report = evaluate(labels, fired);
    expect(report.conversations).toBe(4);
    expect(report.missing).toEqual(['e']);
    const greeting = report.rules.find((r) => r.rule === 'greeting')!;
    expect(greeting).toMatchObject({ truePositives: 2, falsePositives: 1, falseNegatives: 0, support: 2 });
    expect(greeting.precision).toBeCloseTo(2 / 3);
    expect(greeting.recall).toBe(1);
    expect(greeting.f1).toBeCloseTo(0.8);
    const apology = report.rules.find((r) => r.rule === 'apology')!;
    expect(apology).toMatchObject({
      truePositives: 1,
      falsePositives: 0,
      falseNegatives: 1,
      precision: 1,
      recall: 0.5,
    });
    expect(report.disagreements).toEqual([
      { conversationId: 'b', rule: 'greeting', kind: 'false-positive' },
      { conversationId: 'c', rule: 'apology', kind: 'false-negative' },
    ]);
  });

  it('gives each figure its 95% Wilson interval, none where nothing fired or nothing is labelled', () => {
    const fired = new Map<string, Set<string>>([
      ['a', new Set(['greeting'])],
      ['b', new Set(['greeting'])],
      ['c', new Set<string>()],
      ['d', new Set<string>()],
    ]);
    const [greeting, apology] = evaluate(labels, fired).rules;
    // 1 of 2 firings right, 1 of 2 labelled found: wide, and the same for both.
    expect(greeting!.precisionCi).toEqual(wilson(1, 2));
    expect(greeting!.recallCi).toEqual(wilson(1, 2));
    expect(greeting!.precisionCi!.low).toBeLessThan(0.2);
    expect(greeting!.precisionCi!.high).toBeGreaterThan(0.8);
    // apology never fired: precision has no interval, recall 0 of 2 does.
    expect(apology!.precisionCi).toBeNull();
    expect(apology!.recallCi).toEqual(wilson(0, 2));
    expect(evaluate(labels, fired, ['pii']).rules[0]!.recallCi).toBeNull();
  });

  it('can be limited to some rules', () => {
    const report = evaluate(labels, new Map([['a', new Set<string>()]]), ['apology']);
    expect(report.rules.map((r) => r.rule)).toEqual(['apology']);
  });
});

describe('trigger breakdown', () => {
  const fired = (entries: Record<string, Record<string, string[]>>) =>
    new Map(
      Object.entries(entries).map(([id, byRule]) => [
        id,
        new Map(Object.entries(byRule).map(([rule, words]) => [rule, new Set(words)])),
      ]),
    );

  it('counts each labelled conversation once per trigger and sorts the wrong ones first', () => {
    const rows = triggerBreakdown(
      labels,
      fired({
        a: { greeting: [NO_QUOTE] },
        b: { greeting: [NO_QUOTE], apology: ['keeps crashing'] },
        c: { apology: ['keeps crashing', 'ridiculous'] },
        d: { apology: ['ridiculous'] },
        e: { apology: ['keeps crashing'] },
        unlabelled: { apology: ['keeps crashing'] },
      }),
    );
    expect(rows[0]).toEqual({
      rule: 'apology',
      trigger: 'keeps crashing',
      fired: 3,
      truePositives: 1,
      falsePositives: 2,
      precision: 1 / 3,
    });
    expect(rows[1]).toMatchObject({
      rule: 'greeting',
      trigger: NO_QUOTE,
      fired: 2,
      truePositives: 1,
      falsePositives: 1,
    });
    expect(rows[2]).toMatchObject({
      rule: 'apology',
      trigger: 'ridiculous',
      fired: 2,
      truePositives: 2,
      falsePositives: 0,
      precision: 1,
    });
    expect(rows).toHaveLength(3);
  });

  it('keeps to the rules asked for', () => {
    const rows = triggerBreakdown(labels, fired({ a: { greeting: [NO_QUOTE], pii: ['personal data'] } }), [
      'pii',
    ]);
    expect(rows.map((r) => r.rule)).toEqual(['pii']);
  });

  it('reads "Keeps  Crashing" and "keeps crashing" as one trigger, and no text as no quote', () => {
    expect(triggerOf(' Keeps  Crashing\n')).toBe('keeps crashing');
    expect(triggerOf(undefined)).toBe(NO_QUOTE);
    expect(triggerOf('  ')).toBe(NO_QUOTE);
  });
});
