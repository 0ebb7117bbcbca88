import { z } from 'zod';
import { type Channel, type Finding, Severity, Speaker } from '../domain/index.js';
import { type MessageId, type MessageParams, renderMessage } from '../domain/messages.js';
import type { PreparedTranscript } from './prepared.js';
import type { PhraseSelector } from './selector.js';

/** What a rule reports; the scorer turns `points` into deductions. */
export type RawFinding = Omit<Finding, 'ruleId' | 'type'>;

/** Fields every rule in a pipeline has, whatever its type. */
export const RuleCommon = {
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lower-case rule id such as "greeting"')
    .describe('rule id, unique in the pipeline; findings and scoring name it'),
  enabled: z.boolean().default(true).describe('false keeps the rule in the file without running it'),
  description: z.string().max(1000).optional().describe('what the rule is for, for people'),
  category: z
    .string()
    .max(100)
    .optional()
    .describe("scoring category (caps apply per category); default: the type's"),
  severity: Severity.optional().describe("`fatal`, `major`, `minor` or `info`; default: the type's"),
  points: z.number().min(0).max(100).optional().describe("points deducted; default: the type's"),
  deduct: z
    .enum(['once', 'per_occurrence'])
    .optional()
    .describe('`once`: one deduction however many findings; `per_occurrence`: each finding deducts'),
  max_occurrences: z.number().int().positive().optional().describe('findings that deduct, at most'),
};

export { PhraseSelector } from './selector.js';

export const Speakers = z.array(Speaker).min(1);

export interface RuleDefaults {
  category: string;
  severity: Severity;
  points: number;
  deduct: 'once' | 'per_occurrence';
}

/** What a rule instance knows about itself once its pipeline's overrides are applied. */
export interface RuleContext {
  readonly id: string;
  readonly category: string;
  readonly severity: Severity;
  readonly points: number;
  /**
   * A finding with this rule's category, severity and points, unless the fields say otherwise; its
   * message is named by template id and parameters, and written out in English here.
   */
  finding(fields: FindingFields): RawFinding;
}

/** What a rule says of a finding: the evidence, and its message as a template id and parameters. */
export type FindingFields = Omit<
  RawFinding,
  'category' | 'severity' | 'points' | 'message' | 'messageId' | 'params'
> &
  Partial<Pick<RawFinding, 'category' | 'severity' | 'points'>> & {
    messageId: MessageId;
    params: MessageParams;
  };

export function ruleContext(
  id: string,
  base: Pick<RuleContext, 'category' | 'severity' | 'points'>,
): RuleContext {
  return {
    id,
    ...base,
    finding: ({ messageId, params, ...fields }) => {
      const message = renderMessage(messageId, params, 'en');
      // A template and its parameters disagreeing is a bug in the rule, caught by its tests.
      if (message === undefined)
        throw new TypeError(`rule ${id}: parameters do not fit message ${messageId}`);
      return {
        category: base.category,
        severity: base.severity,
        points: base.points,
        ...fields,
        message,
        messageId,
        params,
      };
    },
  };
}

export type Evaluate = (t: PreparedTranscript) => RawFinding[];

const CommonSchema = z.object(RuleCommon);
/** A rule of one type as written in a pipeline: its tag, the common fields and its own options. */
export type RuleOptions<T extends string, Shape extends z.ZodRawShape> = z.output<z.ZodObject<Shape>> & {
  type: T;
} & z.output<typeof CommonSchema>;

export interface SelectorRef {
  path: Array<string | number>;
  selector: PhraseSelector;
}

/** A rule option naming a lexicon whose learned `model:` it reads. */
export interface ModelRef {
  path: Array<string | number>;
  lexicon: string;
}

/**
 * Data a rule cannot be judged without: every turn's time (chat `at`, call `startMs`/`endMs`), the
 * call's ring time (`answerDelayMs`), or the conversation's length (`endedAt`, or turn times).
 */
export type DataNeed = 'turn_times' | 'answer_delay' | 'duration';

/** A registered rule type, as the registry, the compiler and the docs see it. */
export interface RuleSpec {
  readonly type: string;
  readonly summary: string;
  /** Channels where the rule makes sense; a pipeline for another channel is rejected at load. */
  readonly channels: readonly Channel[];
  /** The whole schema of a rule of this type in a pipeline (common fields, `type`, options). */
  readonly schema: z.ZodObject;
  /** The type's own options, documented by their `.describe()` texts. */
  readonly options: z.ZodRawShape;
  readonly defaults: RuleDefaults;
  /** Lexicon references in a rule's options, for load-time cross-checks. */
  selectors(rule: { type: string }): SelectorRef[];
  /** Lexicons whose learned models a rule reads, for the same cross-checks. */
  models(rule: { type: string }): ModelRef[];
  /** The data a rule of this type needs (see DataNeed); a transcript without it is not judged by it. */
  needs(rule: { type: string }): readonly DataNeed[];
  create(rule: { type: string }, ctx: RuleContext): Evaluate;
}

/**
 * Declares a rule type: its options (a zod shape whose `.describe()` texts document them in
 * `qa-screen rules` and the README), defaults, and a factory. The returned spec accepts any rule of
 * the pipeline's union and checks the tag itself, so the registry needs no casts.
 */
export function defineRule<const T extends string, Shape extends z.ZodRawShape>(spec: {
  type: T;
  summary: string;
  channels: readonly Channel[];
  options: Shape;
  defaults: RuleDefaults;
  selectors?: (options: RuleOptions<T, Shape>) => SelectorRef[];
  models?: (options: RuleOptions<T, Shape>) => ModelRef[];
  needs?: readonly DataNeed[] | ((options: RuleOptions<T, Shape>) => readonly DataNeed[]);
  create(options: RuleOptions<T, Shape>, ctx: RuleContext): Evaluate;
}) {
  const schema = z.strictObject({ type: z.literal(spec.type), ...RuleCommon, ...spec.options });
  type Options = RuleOptions<T, Shape>;
  // The pipeline schema is a union tagged by `type`: the tag is what tells this type's rules apart.
  const accepts = (rule: { type: string }): rule is Options => rule.type === spec.type;
  const own = (rule: { type: string }): Options => {
    if (!accepts(rule)) throw new TypeError(`rule type "${rule.type}" given to "${spec.type}"`);
    return rule;
  };
  return {
    type: spec.type,
    summary: spec.summary,
    channels: spec.channels,
    schema,
    options: spec.options,
    defaults: spec.defaults,
    selectors: (rule: { type: string }): SelectorRef[] => spec.selectors?.(own(rule)) ?? [],
    models: (rule: { type: string }): ModelRef[] => spec.models?.(own(rule)) ?? [],
    needs: (rule: { type: string }): readonly DataNeed[] =>
      typeof spec.needs === 'function' ? spec.needs(own(rule)) : (spec.needs ?? []),
    create: (rule: { type: string }, ctx: RuleContext): Evaluate => spec.create(own(rule), ctx),
  } satisfies RuleSpec;
}
