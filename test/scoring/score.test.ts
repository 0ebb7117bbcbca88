import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/index.js';
import { Scoring } from '../../src/scoring/scheme.js';
import { inCalibrationSample, score } from '../../src/scoring/score.js';

const f = (ruleId: string, points: number, extra: Partial<Finding> = {}): Finding => ({
  ruleId,
  type: 't',
  category: 'c',
  severity: 'minor',
  points,
  message: 'm',
  ...extra,
});

const scheme = (over: Record<string, unknown> = {}) => Scoring.parse({ scheme: 's', ...over });
const rules = (...r: Array<[string, 'once' | 'per_occurrence', number?]>) =>
  r.map(([id, deduct, maxOccurrences]) => ({ id, deduct, maxOccurrences }));

describe('scoring', () => {
  it('deducts per occurrence, or once per rule carried by the heaviest finding', () => {
    const r = score(
      scheme(),
      rules(['a', 'per_occurrence'], ['b', 'once']),
      [f('a', 2), f('a', 2), f('b', 1), f('b', 3)],
      'x',
    );
    expect(r.findings.map((x) => x.points)).toEqual([2, 2, 0, 3]);
    expect(r.deducted).toBe(7);
    expect(r.score).toBe(93);
  });

  it('stops counting after max_occurrences', () => {
    const r = score(scheme(), rules(['a', 'per_occurrence', 2]), [f('a', 1), f('a', 1), f('a', 1)], 'x');
    expect(r.findings.map((x) => x.points)).toEqual([1, 1, 0]);
    expect(r.score).toBe(98);
  });

  it('caps deductions per category (扣完为止)', () => {
    const r = score(
      scheme({ category_caps: { c: 5 } }),
      rules(['a', 'per_occurrence']),
      [f('a', 4), f('a', 4), f('a', 4)],
      'x',
    );
    expect(r.deducted).toBe(5);
    expect(r.score).toBe(95);
  });

  it('awards bonuses only when the named rules are clean, and never above 100', () => {
    const s = scheme({ bonuses: [{ id: 'std', points: 2, message: 'm', when_clean: ['a'] }] });
    expect(score(s, rules(['a', 'once'], ['b', 'once']), [f('b', 5)], 'x').score).toBe(97);
    expect(score(s, rules(['a', 'once'], ['b', 'once']), [f('a', 5)], 'x').score).toBe(95);
    expect(score(s, rules(['a', 'once']), [], 'x').score).toBe(100);
  });

  it('fails a fatal item whatever its score (一票否决) and ranks it first', () => {
    const s = scheme({
      routing: {
        queues: [
          { queue: 'fatal', when: { fatal: true } },
          { queue: 'low', when: { score_below: 80 } },
        ],
      },
    });
    const fatal = score(s, rules(['a', 'once']), [f('a', 0, { severity: 'fatal' })], 'x');
    expect(fatal).toMatchObject({ score: 100, passed: false, fatal: true, queue: 'fatal' });
    const low = score(s, rules(['a', 'once']), [f('a', 30)], 'x');
    expect(low).toMatchObject({ score: 70, passed: false, fatal: false, queue: 'low' });
    expect(fatal.priority).toBeGreaterThan(low.priority);
  });

  it('routes by the first matching queue in order', () => {
    const s = scheme({
      routing: {
        queues: [
          { queue: 'dur', when: { rules: ['d'] } },
          { queue: 'review', when: { min_severity: 'minor' } },
        ],
      },
    });
    expect(
      score(s, rules(['d', 'once'], ['a', 'once']), [f('a', 1), f('d', 0, { severity: 'info' })], 'x').queue,
    ).toBe('dur');
    expect(score(s, rules(['a', 'once']), [f('a', 1)], 'x').queue).toBe('review');
    expect(score(s, rules(['a', 'once']), [f('a', 0, { severity: 'info' })], 'x').queue).toBe('clean');
  });

  it('samples clean items for calibration deterministically, at the configured rate', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `conv-${i}`);
    const sampled = ids.filter((id) => inCalibrationSample(id, 0.01));
    expect(sampled.length).toBeGreaterThan(850);
    expect(sampled.length).toBeLessThan(1150);
    expect(ids.filter((id) => inCalibrationSample(id, 0.01))).toEqual(sampled);
    expect(ids.filter((id) => inCalibrationSample(id, 0.01, 'other-salt'))).not.toEqual(sampled);
    const s = scheme({ routing: { calibration_rate: 1 } });
    expect(score(s, [], [], 'x')).toMatchObject({ sampled: true, queue: 'calibration' });
    expect(score(scheme({ routing: { calibration_rate: 0 } }), [], [], 'x')).toMatchObject({
      sampled: false,
      queue: 'clean',
    });
  });
});
