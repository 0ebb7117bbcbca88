import { createHash } from 'node:crypto';
import { type Bonus, type Finding, SEVERITY_RANK } from '../domain/index.js';
import type { Scoring } from './scheme.js';

export interface RuleScoring {
  readonly id: string;
  readonly deduct: 'once' | 'per_occurrence';
  readonly maxOccurrences: number | undefined;
}

export interface ScoreResult {
  score: number;
  deducted: number;
  passed: boolean;
  fatal: boolean;
  /** Findings with `points` set to what each actually deducts (before category caps). */
  findings: Finding[];
  bonuses: Bonus[];
  priority: number;
  queue: string;
  sampled: boolean;
}

/**
 * Deterministic calibration sample: the same conversation id always lands on the same side,
 * so reruns and several workers agree without coordination.
 */
export function inCalibrationSample(conversationId: string, rate: number, salt = ''): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  const digest = createHash('sha256').update(salt).update('\0').update(conversationId).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000 < rate;
}

/** Applies once/per-occurrence deduction, then category caps (扣完为止), bonuses, fatal veto, routing. */
export function score(
  scheme: Scoring,
  rules: readonly RuleScoring[],
  raw: readonly Finding[],
  conversationId: string,
): ScoreResult {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const own = raw.filter((f) => f.ruleId === rule.id);
    // `once`: one deduction per rule, carried by its heaviest finding.
    const heaviest = own.reduce((best, g, k) => (g.points > own[best]!.points ? k : best), 0);
    let counted = 0;
    own.forEach((f, i) => {
      let points = f.points;
      if (rule.deduct === 'once') {
        points = i === heaviest ? f.points : 0;
      } else if (rule.maxOccurrences !== undefined && f.points > 0) {
        points = counted < rule.maxOccurrences ? f.points : 0;
        counted++;
      }
      findings.push(points === f.points ? f : { ...f, points });
    });
  }
  // Findings of rules the scorer was not told about (should not happen) keep their points.
  for (const f of raw) if (!rules.some((r) => r.id === f.ruleId)) findings.push(f);

  const byCategory = new Map<string, number>();
  for (const f of findings) byCategory.set(f.category, (byCategory.get(f.category) ?? 0) + f.points);
  let deducted = 0;
  for (const [category, total] of byCategory) {
    const cap = scheme.category_caps[category];
    deducted += cap === undefined ? total : Math.min(total, cap);
  }

  const bonuses: Bonus[] = scheme.bonuses
    .filter((b) => !findings.some((f) => b.when_clean.includes(f.ruleId)))
    .map((b) => ({ id: b.id, points: b.points, message: b.message }));
  const bonusPoints = bonuses.reduce((sum, b) => sum + b.points, 0);

  const raw100 = scheme.base - deducted + bonusPoints;
  const scoreValue = round1(Math.max(0, Math.min(100, (raw100 / scheme.base) * 100)));
  const fatal = scheme.fatal_veto && findings.some((f) => f.severity === 'fatal');
  const passed = !fatal && scoreValue >= scheme.pass_mark;

  const routing = scheme.routing;
  let queue = routing.default_queue;
  for (const q of routing.queues) {
    const w = q.when;
    const matches =
      (w.fatal === undefined || w.fatal === fatal) &&
      (w.score_below === undefined || scoreValue < w.score_below) &&
      (w.rules === undefined || findings.some((f) => w.rules!.includes(f.ruleId))) &&
      (w.min_severity === undefined ||
        findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[w.min_severity!]));
    if (matches) {
      queue = q.queue;
      break;
    }
  }
  let sampled = false;
  if (
    queue === routing.default_queue &&
    inCalibrationSample(conversationId, routing.calibration_rate, routing.calibration_salt)
  ) {
    sampled = true;
    queue = routing.calibration_queue;
  }
  // Fatal first, then lowest score: fatal items rank 100–200, others 0–100.
  const priority = round1((fatal ? 200 : 100) - scoreValue);
  return {
    score: scoreValue,
    deducted: round1(deducted),
    passed,
    fatal,
    findings,
    bonuses,
    priority,
    queue,
    sampled,
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
