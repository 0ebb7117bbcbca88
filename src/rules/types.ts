import { z } from 'zod';
import { type Channel, type Finding, type InlineTranscript, Severity, Speaker } from '../domain/index.js';
import type { NormalizedText } from '../text/normalize.js';
import type { PhraseHit } from '../text/phrase-index.js';
import type { PiiMatch } from '../text/pii.js';

/** A turn with everything rules need precomputed once: normalised text, lexicon hits, times. */
export interface PreparedTurn {
  readonly index: number;
  readonly speaker: Speaker;
  readonly text: string;
  readonly norm: NormalizedText;
  readonly hits: readonly PhraseHit[];
  /** Milliseconds since the conversation start: `at` − startedAt for chat, `startMs` for calls. */
  readonly startMs: number | undefined;
  readonly endMs: number | undefined;
  /** Personal data in the text, all kinds: computed on first use, then shared by the pii rule and redaction. */
  pii(): readonly PiiMatch[];
}

export interface PreparedTranscript {
  readonly transcript: InlineTranscript;
  readonly turns: readonly PreparedTurn[];
  readonly durationMs: number | undefined;
}

/** What a rule reports; the scorer turns `points` into deductions. */
export type RawFinding = Omit<Finding, 'ruleId' | 'type'>;

/** Fields every rule in a pipeline has, whatever its type. */
export const RuleCommon = {
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lower-case rule id such as "greeting"'),
  enabled: z.boolean().default(true),
  description: z.string().max(1000).optional(),
  category: z.string().max(100).optional(),
  severity: Severity.optional(),
  points: z.number().min(0).max(100).optional(),
  /** `once`: one deduction however many findings; `per_occurrence`: each finding deducts. */
  deduct: z.enum(['once', 'per_occurrence']).optional(),
  max_occurrences: z.number().int().positive().optional(),
};

const CommonSchema = z.object(RuleCommon);
type CommonOptions = z.infer<typeof CommonSchema>;

/** A reference to lexicon phrases: a lexicon id and optionally some of its categories. */
export const PhraseSelector = z.strictObject({
  lexicon: z.string(),
  categories: z.array(z.string()).min(1).optional(),
});
export type PhraseSelector = z.infer<typeof PhraseSelector>;

export const Speakers = z.array(Speaker).min(1);

export interface RuleDefaults {
  category: string;
  severity: z.infer<typeof Severity>;
  points: number;
  deduct: 'once' | 'per_occurrence';
}

export interface RuleContext {
  readonly id: string;
  readonly category: string;
  readonly severity: z.infer<typeof Severity>;
  readonly points: number;
}

export type Evaluate = (t: PreparedTranscript) => RawFinding[];

/** A rule type: its options schema (one source of truth for config and type) and a factory. */
export interface RuleSpec<S extends z.ZodObject = z.ZodObject> {
  readonly type: string;
  readonly summary: string;
  /** Channels where the rule makes sense; a pipeline for another channel is rejected at load. */
  readonly channels: readonly Channel[];
  readonly schema: S;
  readonly defaults: RuleDefaults;
  /** Lexicon references in the options, for load-time cross-checks. */
  selectors(options: z.infer<S>): Array<{ path: Array<string | number>; selector: PhraseSelector }>;
  create(options: z.infer<S>, ctx: RuleContext): Evaluate;
}

export function defineRule<const T extends string, Shape extends z.ZodRawShape>(spec: {
  type: T;
  summary: string;
  channels: readonly Channel[];
  options: Shape;
  defaults: RuleDefaults;
  selectors?: (
    options: z.infer<z.ZodObject<Shape>>,
  ) => Array<{ path: Array<string | number>; selector: PhraseSelector }>;
  create(options: z.infer<z.ZodObject<Shape>> & { type: T } & CommonOptions, ctx: RuleContext): Evaluate;
}) {
  const schema = z.strictObject({ type: z.literal(spec.type), ...RuleCommon, ...spec.options });
  return {
    type: spec.type,
    summary: spec.summary,
    channels: spec.channels,
    schema,
    defaults: spec.defaults,
    selectors: (options: z.infer<typeof schema>) => spec.selectors?.(options as never) ?? [],
    create: (options: z.infer<typeof schema>, ctx: RuleContext) => spec.create(options as never, ctx),
  };
}

export function selects(hit: PhraseHit, selector: PhraseSelector): boolean {
  return (
    hit.entry.lexicon === selector.lexicon &&
    (selector.categories === undefined || selector.categories.includes(hit.entry.category))
  );
}

export function hitsOf(turn: PreparedTurn, selector: PhraseSelector): PhraseHit[] {
  return turn.hits.filter((h) => selects(h, selector));
}

/**
 * Drops hits lying inside a longer hit ("不是我们的责任" inside "这不是我们的责任"), and
 * duplicates of one span, so one utterance yields one finding.
 */
export function longestHits(hits: readonly PhraseHit[]): PhraseHit[] {
  return hits.filter(
    (hit, i) =>
      !hits.some((o, k) => {
        if (k === i || o.normStart > hit.normStart || o.normEnd < hit.normEnd) return false;
        const longer = o.normEnd - o.normStart > hit.normEnd - hit.normStart;
        return longer || k < i;
      }),
  );
}

/** True when the turn's text is nothing but phrases of the selector ("嗯", "好的"). */
export function isCoveredBy(turn: PreparedTurn, selector: PhraseSelector): boolean {
  const length = turn.norm.text.length;
  if (length === 0) return true;
  const covered = new Uint8Array(length);
  for (const hit of hitsOf(turn, selector)) covered.fill(1, hit.normStart, hit.normEnd);
  for (let i = 0; i < length; i++) if (covered[i] === 0 && turn.norm.text[i] !== ' ') return false;
  return true;
}

export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
