import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { CompiledPipeline } from '../config/compile.js';
import { loadPipeline } from '../config/load.js';
import { type Finding, Severity } from '../domain/index.js';
import { isQaError } from '../errors.js';
import { Scoring } from '../scoring/scheme.js';
import { score } from '../scoring/score.js';

/** What the review service keeps of a pipeline version to recompute scores: its scheme and rule table. */
export const ScoringSnapshot = z.object({
  scoring: Scoring,
  rules: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      category: z.string(),
      severity: Severity,
      points: z.number(),
      deduct: z.enum(['once', 'per_occurrence']),
      maxOccurrences: z.number().optional(),
    }),
  ),
});
export type ScoringSnapshot = z.infer<typeof ScoringSnapshot>;

export function snapshotOf(p: CompiledPipeline): ScoringSnapshot {
  return {
    scoring: p.config.scoring,
    rules: p.rules.map((r) => ({
      id: r.id,
      type: r.type,
      category: r.category,
      severity: r.severity,
      points: r.points,
      deduct: r.deduct,
      ...(r.maxOccurrences !== undefined && { maxOccurrences: r.maxOccurrences }),
    })),
  };
}

/** The pipelines the service knows, by pipeline id (item.pipeline.id), from one folder. */
export interface PipelineCatalog {
  get(id: string): CompiledPipeline | undefined;
  ids(): string[];
  /** Files that failed to load, with their error codes (never their content). */
  problems: string[];
}

const ROUTING_FILE = /^routing:/m;

export async function loadCatalog(folder: string): Promise<PipelineCatalog> {
  const byId = new Map<string, CompiledPipeline>();
  const problems: string[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(folder).filter((f) => /\.ya?ml$/.test(f));
  } catch {
    problems.push(`${folder}: folder not found`);
  }
  for (const f of files.sort()) {
    try {
      // A routing file (pipelines/routing.yaml) lists pipelines that sit in the same folder; it is
      // not a pipeline itself, so it is neither loaded nor reported as a problem.
      if (ROUTING_FILE.test(readFileSync(join(folder, f), 'utf8'))) continue;
      const p = await loadPipeline(join(folder, f));
      if (byId.has(p.id)) problems.push(`${f}: pipeline id "${p.id}" is defined twice; the first file wins`);
      else byId.set(p.id, p);
    } catch (err) {
      problems.push(`${f}: ${isQaError(err) ? err.code : 'unreadable'}`);
    }
  }
  return fromPipelines([...byId.values()], problems);
}

export function fromPipelines(
  pipelines: readonly CompiledPipeline[],
  problems: string[] = [],
): PipelineCatalog {
  const byId = new Map(pipelines.map((p) => [p.id, p]));
  return { get: (id) => byId.get(id), ids: () => [...byId.keys()], problems };
}

export interface Recomputed {
  score: number;
  passed: boolean;
  fatal: boolean;
  deducted: number;
  bonuses: Array<{ id: string; points: number }>;
  /** Distinct non-fatal rules that deduct (seed 004's non-fatal errors of this item). */
  nonFatalErrors: number;
}

/**
 * The final score from the findings a reviewer kept (confirmed machine findings and added ones),
 * by the pipeline's own scheme: once/per-occurrence, caps, bonuses, fatal veto. Machine findings
 * carry the points they actually deducted (0 for a `once` rule's lighter repeats): a kept finding
 * with 0 points gets the rule's heaviest points on this item back (else the rule's points), so
 * rejecting the heaviest one lets the next one count.
 */
export function recompute(
  snapshot: ScoringSnapshot,
  kept: ReadonlyArray<Pick<Finding, 'ruleId' | 'type' | 'category' | 'severity' | 'points' | 'message'>>,
  conversationId: string,
  /** Per rule, the heaviest points its machine findings carried on this item (restores 0-point repeats). */
  heaviest: ReadonlyMap<string, number> = new Map(),
): Recomputed {
  const rules = new Map(snapshot.rules.map((r) => [r.id, r]));
  const raw: Finding[] = kept.map((f) => {
    if (f.points > 0) return { ...f };
    const points = heaviest.get(f.ruleId) || rules.get(f.ruleId)?.points || 0;
    return { ...f, points };
  });
  const ruleTable = snapshot.rules.map((r) => ({ ...r, maxOccurrences: r.maxOccurrences }));
  const result = score(snapshot.scoring, ruleTable, raw, conversationId);
  return {
    score: result.score,
    passed: result.passed,
    fatal: result.fatal,
    deducted: result.deducted,
    bonuses: result.bonuses.map((b) => ({ id: b.id, points: b.points })),
    nonFatalErrors: new Set(
      result.findings.filter((f) => f.severity !== 'fatal' && f.points > 0).map((f) => f.ruleId),
    ).size,
  };
}
