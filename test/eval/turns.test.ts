// src/eval/turns.ts and `qa-screen eval --turns`: a conditional rule's trigger measured per turn
// against turn labels (eval/labels/*.turns.json). Every sentence is written for this test.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/index.js';
import { findingTurns, turnsAsLabels } from '../../src/eval/turns.js';
import { cli } from '../helpers/cli.js';
import { chatTranscript } from '../helpers/transcript.js';

describe('turn labels as units', () => {
  it('maps a finding back to the turn as given when the screener reordered the turns by time', () => {
    const t = chatTranscript('c', [
      ['customer', 'late message'],
      ['agent', 'hello'],
      ['customer', 'early message'],
    ]);
    // The first turn is the latest: by time the order is agent (1), customer (2), customer (0).
    t.turns[0]!.at = '2026-11-02T01:05:00Z';
    const finding = (turnIndex: number) => ({ ruleId: 'apology', turnIndex }) as Finding;
    expect([...findingTurns(t, [finding(2), finding(1)], 'apology')].sort()).toEqual([0, 2]);
    expect([...findingTurns(t, [{ ...finding(2), ruleId: 'other' }], 'apology')]).toEqual([]);
  });

  it("makes each of the speaker's turns a unit, labelled with the rule when marked", () => {
    const labels = { dataset: 'd', split: 'turns', turns: { c: [2], other: [0] } };
    expect(turnsAsLabels(labels, 'apology', new Map([['c', [0, 2]]]))).toEqual({
      dataset: 'd',
      split: 'turns, per turn',
      rules: ['apology'],
      labels: { 'c#0': [], 'c#2': ['apology'] },
    });
  });
});

describe('qa-screen eval --turns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qa-turns-'));
  const input = join(dir, 'in.jsonl');
  const en = { language: 'en' };
  writeFileSync(
    input,
    [
      chatTranscript(
        'c1',
        [
          ['customer', 'This is unacceptable.'],
          ['agent', 'Please DM us your order number.'],
          ['customer', 'What time do you open on Sunday?'],
          ['agent', 'At 9.'],
        ],
        en,
      ),
      // Two complaints before any reply: each is its own unit.
      chatTranscript(
        'c2',
        [
          ['customer', 'This is unacceptable.'],
          ['customer', 'Absolutely ridiculous.'],
          ['agent', 'Please DM us.'],
        ],
        en,
      ),
      chatTranscript(
        'c3',
        [
          ['customer', 'Can I change the delivery address?'],
          ['agent', 'Sure, DM us.'],
        ],
        en,
      ),
    ]
      .map((t) => JSON.stringify(t))
      .join('\n'),
  );
  const labels = join(dir, 'l.turns.json');
  writeFileSync(
    labels,
    JSON.stringify({
      dataset: 'own',
      split: 'turns',
      reads: 'dissatisfaction',
      turns: { c1: [0], c2: [0, 1], c3: [0], absent: [] },
    }),
  );
  const run = (...more: string[]) =>
    cli(['eval', '-p', 'pipelines/social-en.yaml', '-i', input, '--turns', labels, ...more]);

  it('scores the trigger per customer turn, repeated triggers included', async () => {
    const r = await run('--rules', 'apology', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ unit: 'turn', screened: 3, missingConversations: ['absent'] });
    expect(report.rules[0]).toMatchObject({
      rule: 'apology',
      truePositives: 3,
      falsePositives: 0,
      falseNegatives: 1,
    });
    expect(report.disagreements).toEqual([
      { conversationId: 'c3#0', rule: 'apology', kind: 'false-negative' },
    ]);
    const text = await run('--rules', 'apology');
    expect(text.stdout).toMatch(
      /^3 labelled conversations screened, 1 labelled but not in the input; each customer turn/,
    );
    expect(text.stdout).toMatch(/own \(turns, per turn\): 5 labelled turns screened/);
  });

  it('needs the one conditional rule the labels are for', async () => {
    const none = await run();
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--turns needs the one rule the turn labels are for/);
    const closing = await run('--rules', 'closing');
    expect(closing.code).toBe(2);
    expect(closing.stderr).toMatch(/"closing" is not one in this pipeline/);
    const bad = await cli([
      'eval',
      '-p',
      'pipelines/social-en.yaml',
      '-i',
      input,
      '--turns',
      'package.json',
      '--rules',
      'apology',
    ]);
    expect(bad.stderr).toMatch(/not a turn labels file/);
  });
});
