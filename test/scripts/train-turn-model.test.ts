// scripts/train-turn-model.mjs: the bundled English complaint model is its output.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLexicon } from '../../src/config/compile.js';
import { configSource } from '../../src/config/source.js';
import { LATER_TURN } from '../../src/text/turn-model.js';
import { ROOT } from '../helpers/cli.js';
import { chatTranscript } from '../helpers/transcript.js';

const SCRIPT = join(ROOT, 'scripts', 'train-turn-model.mjs');

/** The customer's messages, each answered by the agent. */
const conversation = (id: string, customer: string[]) =>
  chatTranscript(
    id,
    customer.flatMap((text) => [
      ['customer', text],
      ['agent', 'Let us check.'],
    ]),
    { language: 'en' },
  );

describe('scripts/train-turn-model.mjs', () => {
  it('writes a valid model lexicon, the same every time, weighting words of marked turns up', () => {
    const dir = mkdtempSync(join(tmpdir(), 'turn-model-'));
    const conversations = Array.from({ length: 12 }, (_, k) =>
      conversation(`c${k}`, [
        k % 2 === 0 ? 'still broken, useless app' : 'what time do you open',
        'ok thanks',
      ]),
    );
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, conversations.map((c) => JSON.stringify(c)).join('\n'));
    const labels = join(dir, 'l.turns.json');
    // Turn 0 (the customer's first) of the even conversations is the complaint.
    const turns = Object.fromEntries(conversations.map((c, k) => [c.conversationId, k % 2 === 0 ? [0] : []]));
    writeFileSync(
      labels,
      JSON.stringify({ dataset: 'test', split: 'turns', reads: 'dissatisfaction', turns }),
    );
    const run = () =>
      execFileSync(
        process.execPath,
        [SCRIPT, '--input', input, '--labels', labels, '--lexicon', 'test-model'],
        {
          encoding: 'utf8',
        },
      );
    const yaml = run();
    expect(run()).toBe(yaml);
    const lexicon = parseLexicon(configSource('test-model.yaml', yaml)).value;
    expect(lexicon).toMatchObject({
      lexicon: 'test-model',
      language: 'en',
      model: { reads: 'dissatisfaction' },
    });
    const w = lexicon.model!.weights;
    expect(w.useless).toBeGreaterThan(0.5);
    expect(w['what time']).toBeLessThan(0);
    expect(lexicon.model!.trained).toMatch(/^24 customer turns \(6 marked\) of 12 conversations/);
  });

  it('decides which turn is a follow-up in time order, as the screener does, not in file order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'turn-model-'));
    // The follow-up (the complaint) comes first in the file but second in time.
    const conversations = Array.from({ length: 12 }, (_, k) => {
      const c = conversation(`t${k}`, ['is the order on its way', 'is the order on its way']);
      const [first, , second] = c.turns;
      return { ...c, turns: [second!, first!, ...c.turns.filter((t) => t !== first && t !== second)] };
    });
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, conversations.map((c) => JSON.stringify(c)).join('\n'));
    const labels = join(dir, 'l.turns.json');
    const turns = Object.fromEntries(conversations.map((c) => [c.conversationId, [0]]));
    writeFileSync(
      labels,
      JSON.stringify({ dataset: 'test', split: 'turns', reads: 'dissatisfaction', turns }),
    );
    const yaml = execFileSync(
      process.execPath,
      [SCRIPT, '--input', input, '--labels', labels, '--lexicon', 'm'],
      { encoding: 'utf8' },
    );
    const w = parseLexicon(configSource('m.yaml', yaml)).value.model!.weights;
    expect(w[LATER_TURN]).toBeGreaterThan(0.5);
  });

  it('refuses input none of whose conversations are labelled', () => {
    const dir = mkdtempSync(join(tmpdir(), 'turn-model-'));
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, JSON.stringify(conversation('x', ['hello'])));
    const labels = join(dir, 'l.json');
    writeFileSync(labels, JSON.stringify({ dataset: 't', split: 'turns', turns: { other: [] } }));
    expect(() =>
      execFileSync(process.execPath, [SCRIPT, '--input', input, '--labels', labels, '--lexicon', 'm'], {
        stdio: 'pipe',
      }),
    ).toThrow(/no conversation of the input is in the labels file/);
  });

  it('trains on several label files together, and refuses a conversation labelled in two', () => {
    const dir = mkdtempSync(join(tmpdir(), 'turn-model-'));
    const conversations = Array.from({ length: 8 }, (_, k) =>
      conversation(`s${k}`, [k % 2 === 0 ? 'still broken again' : 'what time do you open']),
    );
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, conversations.map((c) => JSON.stringify(c)).join('\n'));
    const half = (from: number) =>
      Object.fromEntries(
        conversations.slice(from, from + 4).map((c, k) => [c.conversationId, k % 2 === 0 ? [0] : []]),
      );
    const first = join(dir, 'a.turns.json');
    const second = join(dir, 'b.turns.json');
    const file = (dataset: string, turns: Record<string, number[]>) =>
      JSON.stringify({ dataset, split: 'turns', reads: 'dissatisfaction', turns });
    writeFileSync(first, file('one', half(0)));
    writeFileSync(second, file('two', half(4)));
    const train = (...labels: string[]) =>
      execFileSync(
        process.execPath,
        [SCRIPT, '--input', input, ...labels.flatMap((l) => ['--labels', l]), '--lexicon', 'm'],
        { encoding: 'utf8', stdio: 'pipe' },
      );
    const lexicon = parseLexicon(configSource('m.yaml', train(first, second))).value;
    expect(lexicon.model!.trained).toMatch(/^8 customer turns \(4 marked\) of 8 conversations of one \+ two/);
    expect(() => train(first, first)).toThrow(/labelled in more than one file/);
    const broken = join(dir, 'broken.turns.json');
    writeFileSync(broken, file('three', { x: [-1] }));
    expect(() => train(broken)).toThrow(/broken\.turns\.json: not a turn labels file\n {2}turns\.x\.0: /);
  });
});
