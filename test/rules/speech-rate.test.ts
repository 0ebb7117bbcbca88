import { describe, expect, it } from 'vitest';
import { RuleConfig } from '../../src/rules/registry.js';
import { ruleHarness } from '../helpers/rules.js';

const categories = { any: ['您好'] };
const perTurn = ruleHarness({
  categories,
  rule: { type: 'speech-rate', per_minute: { min: 150, max: 300 }, scope: 'turn' },
});

// 20 characters once punctuation is dropped.
const TWENTY = '您好,这里是宽带报修热线,请问您遇到什么问题';

describe('speech-rate rule (seed 000 语速适中)', () => {
  it('flags a turn spoken too fast, with its rate, the count and the worst case', () => {
    // 20 characters in 3 s = 400/min; 20 in 6 s = 200/min (fine).
    const findings = perTurn.call([
      [0, 3000, 'agent', TWENTY],
      [3500, 8000, 'customer', '我家的网断了,一直连不上,已经两天了'],
      [8500, 14500, 'agent', TWENTY],
    ]);
    expect(findings).toEqual([
      expect.objectContaining({
        turnIndex: 0,
        atMs: 0,
        durationMs: 3000,
        message:
          'Agent spoke 400 characters/min in this turn (too fast; band 150–300 characters/min; 1 turn(s) out of band, fastest 400).',
      }),
    ]);
  });

  it('flags slow turns too, and reports every out-of-band turn with the extremes', () => {
    const findings = perTurn.call([
      [0, 3000, 'agent', TWENTY], // 400/min
      [4000, 14000, 'agent', TWENTY], // 120/min
      [15000, 18000, 'agent', `${TWENTY}还有别的吗`], // 25 characters in 3 s = 500/min
    ]);
    expect(findings.map((f) => f.turnIndex)).toEqual([0, 1, 2]);
    expect(findings[1]!.message).toBe(
      'Agent spoke 120 characters/min in this turn (too slow; band 150–300 characters/min; 3 turn(s) out of band, fastest 500, slowest 120).',
    );
  });

  it('does not measure short turns, turns with few characters, or other speakers', () => {
    expect(
      perTurn.call([
        [0, 2000, 'agent', TWENTY], // under min_turn_ms 3000
        [2500, 6000, 'agent', '好的'], // under min_units 8
        [6500, 8500, 'customer', TWENTY],
      ]),
    ).toEqual([]);
  });

  it('overall: one finding from the whole text over the whole speaking time', () => {
    const overall = ruleHarness({ categories, rule: { type: 'speech-rate', scope: 'overall' } });
    // 40 characters over 6 s = 400/min overall, though no turn is long enough alone.
    const turns: Array<[number, number, string, string]> = [
      [0, 3000, 'agent', TWENTY],
      [5000, 8000, 'agent', TWENTY],
    ];
    expect(overall.call(turns)).toEqual([
      expect.objectContaining({
        turnIndex: 0,
        durationMs: 6000,
        message: 'Agent spoke 400 characters/min over 6 s of speech (too fast; band 150–300 characters/min).',
      }),
    ]);
    expect(
      overall.call([
        [0, 6000, 'agent', TWENTY],
        [7000, 13000, 'agent', TWENTY],
      ]),
    ).toEqual([]);
  });

  it('counts words in English', () => {
    const en = ruleHarness({
      categories: { any: ['hello'] },
      language: 'en',
      rule: { type: 'speech-rate', per_minute: { min: 110, max: 190 }, scope: 'turn' },
    });
    // 12 words in 3 s = 240 words/min.
    const [f] = en.call([[0, 3000, 'agent', 'Thanks for calling, this is Sam, how can I help you today?']]);
    expect(f!.message).toMatch(
      /^Agent spoke 240 words\/min in this turn \(too fast; band 110–190 words\/min/,
    );
  });

  it('rejects a band whose minimum is not below its maximum', () => {
    const r = RuleConfig.safeParse({ id: 'x', type: 'speech-rate', per_minute: { min: 300, max: 200 } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['per_minute']);
  });
});
