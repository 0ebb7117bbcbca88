import { z } from 'zod';
import { Language, Severity } from '../domain/index.js';

const Phrase = z.string().trim().min(1, 'a phrase must not be empty').max(200);
const PatternSource = z.string().trim().min(1, 'a pattern must not be empty').max(500);

const OPERATORS = ['phrase', 'pattern', 'any', 'all', 'near'] as const;

/** The fields of a term: one operator and its options (shared by entries, nested terms and exceptions). */
function termShape() {
  return {
    phrase: Phrase.optional().describe(
      'literal text, matched after normalisation (width, case, 繁→简, spacing)',
    ),
    pattern: PatternSource.optional().describe(
      'RE2 pattern (linear time) on the normalised text; `…` is a short gap of any characters (`gap`)',
    ),
    get any() {
      return z.array(Term).min(1).optional().describe('one of these terms');
    },
    get all() {
      return z.array(Term).min(1).optional().describe('every one of these terms, in the same turn');
    },
    get near() {
      return z
        .array(Term)
        .min(2)
        .optional()
        .describe('every one of these terms, each within `within` characters of the first (proximity)');
    },
    get not() {
      return z
        .array(Term)
        .min(1)
        .optional()
        .describe(
          'with `all`/`near`: none of these in the turn (or within `within` characters of the match)',
        );
    },
    within: z
      .number()
      .int()
      .min(0)
      .max(500)
      .optional()
      .describe('with `all`/`near`: at most this many characters between the parts'),
    in_order: z
      .boolean()
      .optional()
      .describe('with `all`/`near`: the parts occur in the order listed (each after the previous one)'),
    boundary: z
      .boolean()
      .optional()
      .describe(
        'the match must start and end on word boundaries (Chinese: as the segmenter cuts words); default: always in English, entries of 1–2 characters in Chinese',
      ),
    stem: z
      .boolean()
      .optional()
      .describe('English phrase: match word stems (Porter), so "apologize" also finds "apologizing"'),
    anchors: z
      .array(Phrase)
      .min(1)
      .optional()
      .describe(
        'with `pattern`: literal strings one of which every match contains (derived from the pattern when omitted)',
      ),
    gap: z
      .number()
      .int()
      .min(1)
      .max(50)
      .optional()
      .describe('with `pattern`: how many characters `…` may stand for (default 10)'),
    note: z.string().max(500).optional().describe('why the term is there, for people'),
  };
}

type Shape = ReturnType<typeof termShape>;

/** Exactly one operator, and options only where they mean something: reported on the entry's path. */
function checkTerm(value: Partial<Record<keyof Shape, unknown>>, ctx: z.RefinementCtx): void {
  const ops = OPERATORS.filter((op) => value[op] !== undefined);
  if (ops.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message:
        ops.length === 0
          ? 'expected one of phrase, pattern, any, all, near'
          : `expected only one of phrase, pattern, any, all, near (got ${ops.join(', ')})`,
    });
    return;
  }
  const op = ops[0]!;
  const misplaced = (key: keyof Shape, allowed: readonly string[]) => {
    if (value[key] !== undefined && !allowed.includes(op))
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `\`${key}\` applies to ${allowed.join('/')} only`,
      });
  };
  misplaced('not', ['all', 'near']);
  misplaced('within', ['all', 'near']);
  misplaced('in_order', ['all', 'near']);
  misplaced('anchors', ['pattern']);
  misplaced('gap', ['pattern']);
  misplaced('stem', ['phrase']);
  misplaced('boundary', ['phrase', 'pattern']);
  if (op === 'near' && value.within === undefined)
    ctx.addIssue({ code: 'custom', path: ['within'], message: '`near` needs `within` (characters)' });
}

/** A nested term: a phrase string, or an object with one operator. */
export const Term: z.ZodType<TermInput> = z.lazy(() =>
  z.union([Phrase, z.strictObject(termShape()).superRefine(checkTerm)]),
);
export type TermInput =
  | string
  | {
      phrase?: string;
      pattern?: string;
      any?: TermInput[];
      all?: TermInput[];
      near?: TermInput[];
      not?: TermInput[];
      within?: number;
      in_order?: boolean;
      boundary?: boolean;
      stem?: boolean;
      anchors?: string[];
      gap?: number;
      note?: string;
    };

const Words = z.array(Phrase).min(1).max(200);

const Window = z.number().int().min(0).max(50);

/** `true` (the language's default words and window) or `{words?, window?}`. */
function wordsInWindow(words: string, window: string, what: string) {
  return z
    .union([
      z.boolean(),
      z.strictObject({
        words: Words.optional().describe(`${words} (replace the defaults)`),
        window: Window.optional().describe(`characters (zh) or words (en) ${window}`),
      }),
    ])
    .optional()
    .describe(what);
}

/** Context around a hit that cancels it; `true` uses the language's default words. */
export const Context = z
  .strictObject({
    negation: wordsInWindow(
      'negation words',
      'allowed between negation and hit (default 2 in Chinese and in English; a one-character Chinese negator such as 不/没/别 reaches 1 at most)',
      'a hit right after a negation (不是/没有/不会…, not/no/never…) does not count, unless the clause is a rhetorical question',
    ),
    quotation: z
      .boolean()
      .optional()
      .describe('a hit inside quotation marks (“…”, 「…」, "…") is someone else\'s words and does not count'),
    echo: wordsInWindow(
      'echo markers',
      'the marker may precede the hit by',
      'a hit shortly after an echo of the other party ("您是问…", "you mean…") repeats their words and does not count',
    ),
  })
  .describe('`{negation, quotation, echo}`: context that cancels a hit');
export type Context = z.infer<typeof Context>;

const ExceptionWindow = z.number().int().min(0).max(100);
const EXCEPTION_WINDOW =
  'an exception excuses a hit it overlaps (0) or one within this many characters of it';

/** A lexicon entry: one operator (a bare string is a phrase), its exceptions, overrides. */
export const LexiconEntry = z
  .strictObject({
    ...termShape(),
    exceptions: z
      .array(Term)
      .default([])
      .describe('terms around a hit that make it acceptable ("不知道您还有什么需要" for 不知道)'),
    exception_window: ExceptionWindow.optional().describe(`${EXCEPTION_WINDOW}; default: the category's`),
    context: Context.optional().describe("`{negation, quotation, echo}`, over the category's"),
    severity: Severity.optional().describe("overrides the category's"),
    points: z.number().min(0).max(100).optional().describe("overrides the category's"),
  })
  .superRefine(checkTerm);
export type LexiconEntry = z.infer<typeof LexiconEntry>;

export const LexiconCategory = z.strictObject({
  label: z.string().max(200).optional().describe('what the category is, for people'),
  severity: Severity.default('minor').describe('`fatal`, `major`, `minor` or `info` of its findings'),
  points: z.number().min(0).max(100).default(0).describe('points deducted per finding'),
  exceptions: z.array(Term).default([]).describe('exceptions shared by every entry of the category'),
  exception_window: ExceptionWindow.default(0).describe(EXCEPTION_WINDOW),
  stem: z.boolean().default(false).describe('English: match word stems for every phrase of the category'),
  boundary: z
    .boolean()
    .optional()
    .describe('word boundaries for every entry of the category (entries may override)'),
  context: Context.optional().describe(
    '`{negation, quotation, echo}` for every entry (entries may override)',
  ),
  phrases: z
    .array(z.union([Phrase, LexiconEntry]))
    .min(1, 'a category needs at least one phrase')
    .describe('entries: phrases (strings) or objects with one of phrase, pattern, any, all, near'),
});
export type LexiconCategory = z.infer<typeof LexiconCategory>;

/** At most this many weights in a model: a trained model keeps a few thousand; a file is hostile input. */
export const MAX_MODEL_WEIGHTS = 50_000;

export const LexiconModel = z
  .strictObject({
    kind: z
      .literal('logistic')
      .default('logistic')
      .describe('a linear model: probability = 1 / (1 + e^-(bias + Σ weights of the features present))'),
    reads: z.string().max(200).describe('what a high probability means, for the reviewer: "dissatisfaction"'),
    trained: z.string().max(2000).optional().describe('on what, by which command, when'),
    bias: z.number().finite().describe('the log-odds of a turn with none of the features'),
    weights: z
      .record(z.string().min(1).max(100), z.number().finite())
      .refine((w) => Object.keys(w).length <= MAX_MODEL_WEIGHTS, `at most ${MAX_MODEL_WEIGHTS} weights`)
      .describe(
        'feature → weight; features are lower-cased words, "!"/"?" and pairs of them (en), or characters, pairs and triples (zh), and "(later turn)"',
      ),
  })
  .describe(
    'a learned model of one turn (scripts/train-turn-model.mjs writes it from turn labels); rules name it by the lexicon id',
  );
export type LexiconModel = z.infer<typeof LexiconModel>;

/** A lexicon file: entries grouped by category. Edited by QA managers, so strict and well reported. */
export const Lexicon = z.strictObject({
  lexicon: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lower-case id such as "forbidden-zh"')
    .max(100),
  language: Language,
  version: z.string().max(100).optional(),
  description: z.string().max(2000).optional(),
  categories: z
    .record(
      z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lower-case category id such as "shirking"'),
      LexiconCategory,
    )
    .default({}),
  model: LexiconModel.optional(),
});
export type Lexicon = z.infer<typeof Lexicon>;
