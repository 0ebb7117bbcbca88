import { createHash } from 'node:crypto';
import type { Channel, Language, Severity } from '../domain/index.js';
import { QaError } from '../errors.js';
import { type DataNeed, type Evaluate, ruleContext } from '../rules/define.js';
import { ruleSpec } from '../rules/registry.js';
import type { PhraseSelector } from '../rules/selector.js';
import { buildAhoCorasick } from '../text/aho-corasick.js';
import { CONTEXT_DEFAULTS, type ContextSpec } from '../text/context.js';
import { normalizePhrase } from '../text/normalize.js';
import { compilePattern, PatternError } from '../text/pattern.js';
import {
  buildPhraseIndex,
  type ExceptionSet,
  normalizeOptionsFor,
  type PhraseIndex,
  type PhraseSource,
  stemPhrase,
  type TermSpec,
} from '../text/phrase-index.js';
import { type TurnModel, turnModel } from '../text/turn-model.js';
import { Lexicon, type Context as LexiconContext, type TermInput } from './lexicon.js';
import { Pipeline } from './pipeline.js';
import { type ConfigSource, type Validated, validateConfig } from './source.js';

export interface CompiledRule {
  readonly id: string;
  readonly type: string;
  readonly category: string;
  readonly severity: Severity;
  readonly points: number;
  readonly deduct: 'once' | 'per_occurrence';
  readonly maxOccurrences: number | undefined;
  /** Data the rule cannot be judged without (a transcript lacking it is not judged by this rule). */
  readonly needs: readonly DataNeed[];
  readonly evaluate: Evaluate;
}

/** A pipeline ready to screen: validated, cross-checked, lexicons compiled into one automaton. */
export interface CompiledPipeline {
  readonly config: Pipeline;
  readonly id: string;
  readonly version: string;
  readonly channel: Channel;
  readonly language: Language;
  readonly lexicons: ReadonlyArray<{ id: string; version: string }>;
  /** 12 hex digits over the lexicons' `id@version` list: what an item names instead of copying the list. */
  readonly lexiconsDigest: string;
  readonly index: PhraseIndex;
  /** Learned turn models by lexicon id (lexicons with a `model:`). */
  readonly models: ReadonlyMap<string, TurnModel>;
  readonly rules: readonly CompiledRule[];
  /**
   * Lexicon category labels by `lexicon/category` and by bare category id (the first lexicon's
   * where two share an id): what a finding message's category reads as in another language
   * (src/domain/messages.ts).
   */
  readonly categoryLabels: ReadonlyMap<string, string>;
}

/** The digest items carry for a pipeline's lexicons (order matters: it is the pipeline's list). */
export function lexiconsDigest(versions: ReadonlyArray<{ id: string; version: string }>): string {
  const text = versions.map((v) => `${v.id}@${v.version}`).join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

export function parseLexicon(source: ConfigSource): Validated<Lexicon> {
  return validateConfig(source, Lexicon);
}

export function parsePipeline(source: ConfigSource): Validated<Pipeline> {
  return validateConfig(source, Pipeline);
}

type Path = Array<string | number>;

/** Resolves `true`/partial context settings against the language's defaults. */
function resolveContext(
  language: Language,
  ...layers: Array<LexiconContext | undefined>
): ContextSpec | undefined {
  const defaults = CONTEXT_DEFAULTS[language];
  const out: { -readonly [K in keyof ContextSpec]: ContextSpec[K] } = {};
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.quotation !== undefined) out.quotation = layer.quotation;
    for (const key of ['negation', 'echo'] as const) {
      const v = layer[key];
      if (v === undefined) continue;
      if (v === false) delete out[key];
      else if (v === true) out[key] = defaults[key];
      else out[key] = { words: v.words ?? defaults[key].words, window: v.window ?? defaults[key].window };
    }
  }
  return Object.keys(out).length > 0 && (out.negation || out.quotation || out.echo) ? out : undefined;
}

/** A lexicon term as the matcher takes it; category `stem`/`boundary` pass down to phrases that do not set their own. */
function toSpec(term: TermInput, inherit: { stem: boolean; boundary: boolean | undefined }): TermSpec {
  if (typeof term === 'string') return { phrase: term, stem: inherit.stem, boundary: inherit.boundary };
  const sub = (terms: TermInput[]) => terms.map((t) => toSpec(t, inherit));
  if (term.phrase !== undefined)
    return {
      phrase: term.phrase,
      stem: term.stem ?? inherit.stem,
      boundary: term.boundary ?? inherit.boundary,
    };
  if (term.pattern !== undefined)
    return {
      pattern: term.pattern,
      boundary: term.boundary ?? inherit.boundary,
      ...(term.anchors && { anchors: term.anchors }),
      ...(term.gap !== undefined && { gap: term.gap }),
    };
  if (term.any) return { any: sub(term.any) };
  return {
    all: sub(term.all ?? term.near ?? []),
    not: sub(term.not ?? []),
    ...(term.within !== undefined && { within: term.within }),
    in_order: term.in_order === true,
  };
}

/** How a term shows in findings: the phrase itself, the pattern's source, or a compact rendering. */
export function describeTerm(term: TermInput): string {
  if (typeof term === 'string') return term;
  if (term.phrase !== undefined) return term.phrase;
  if (term.pattern !== undefined) return term.pattern;
  if (term.any) return term.any.map(describeTerm).join(' | ');
  const parts = (term.all ?? term.near ?? []).map(describeTerm);
  const joined = parts.join(term.in_order ? ' … ' : ' + ');
  return term.not ? `${joined} (not ${term.not.map(describeTerm).join(', ')})` : joined;
}

/** One rule of a pipeline, with its type's defaults, ready to evaluate. */
export function compileRule(rule: Pipeline['rules'][number]): CompiledRule {
  const spec = ruleSpec(rule.type);
  const ctx = ruleContext(rule.id, {
    category: rule.category ?? spec.defaults.category,
    severity: rule.severity ?? spec.defaults.severity,
    points: rule.points ?? spec.defaults.points,
  });
  return {
    id: rule.id,
    type: rule.type,
    category: ctx.category,
    severity: ctx.severity,
    points: ctx.points,
    deduct: rule.deduct ?? spec.defaults.deduct,
    maxOccurrences: rule.max_occurrences,
    needs: spec.needs(rule),
    evaluate: spec.create(rule, ctx),
  };
}

/**
 * The entries some enabled rule reads: rules see hits only through their selectors, so an entry no
 * selector names (a category kept for another pipeline, a weak cue a pipeline leaves off) would be
 * matched and checked on every turn for nothing. On the JD chats that was half of all hits.
 */
export function usedPhrases(
  sources: readonly PhraseSource[],
  selectors: readonly PhraseSelector[],
): PhraseSource[] {
  return sources.filter((source) =>
    selectors.some(
      (s) =>
        s.lexicon === source.lexicon &&
        (s.categories === undefined || s.categories.includes(source.category)),
    ),
  );
}

/** Flattens a lexicon's categories into matcher entries. */
export function lexiconPhrases(lexicon: Lexicon): PhraseSource[] {
  const out: PhraseSource[] = [];
  const english = lexicon.language === 'en';
  for (const [category, def] of Object.entries(lexicon.categories)) {
    const inherit = { stem: english && def.stem, boundary: def.boundary };
    const shared: ExceptionSet = {
      terms: def.exceptions.map((t) => toSpec(t, inherit)),
      window: def.exception_window,
    };
    for (const item of def.phrases) {
      const entry = typeof item === 'string' ? undefined : item;
      const own: ExceptionSet[] =
        entry && entry.exceptions.length > 0
          ? [
              {
                terms: entry.exceptions.map((t) =>
                  toSpec(t, { ...inherit, stem: english && (entry.stem ?? def.stem) }),
                ),
                window: entry.exception_window ?? def.exception_window,
              },
            ]
          : [];
      const context = resolveContext(lexicon.language, def.context, entry?.context);
      out.push({
        lexicon: lexicon.lexicon,
        category,
        phrase: describeTerm(item as TermInput),
        ...(entry && entry.phrase === undefined && { quote: true }),
        severity: entry?.severity ?? def.severity,
        points: entry?.points ?? def.points,
        term: toSpec(item as TermInput, inherit),
        exceptions: shared.terms.length > 0 ? [...own, shared] : own,
        ...(context && { context }),
      });
    }
  }
  return out;
}

/** Every pattern of a lexicon compiles (RE2 syntax, a literal anchor): problems named by path. */
function checkPatterns(lex: Validated<Lexicon>, language: Language): string[] {
  const options = normalizeOptionsFor(language);
  const issues: string[] = [];
  const visit = (term: TermInput, path: Path) => {
    if (typeof term === 'string') {
      if (normalizePhrase(term, options).length === 0)
        issues.push(
          lex.issueAt(
            path,
            `"${term}" normalises to nothing (only punctuation, emoji or spaces), so it can never match`,
          ),
        );
      return;
    }
    if (term.phrase !== undefined) visit(term.phrase, [...path, 'phrase']);
    if (term.pattern !== undefined) {
      try {
        compilePattern(term.pattern, options, term.gap, term.anchors);
      } catch (err) {
        if (!(err instanceof PatternError)) throw err;
        issues.push(lex.issueAt([...path, 'pattern'], `invalid pattern: ${err.message}`));
      }
    }
    for (const key of ['any', 'all', 'near', 'not'] as const) {
      term[key]?.forEach((t, i) => {
        visit(t, [...path, key, i]);
      });
    }
  };
  for (const [category, def] of Object.entries(lex.value.categories)) {
    const base: Path = ['categories', category];
    def.phrases.forEach((p, i) => {
      visit(p as TermInput, [...base, 'phrases', i]);
      if (typeof p !== 'string') {
        p.exceptions.forEach((e, k) => {
          visit(e, [...base, 'phrases', i, 'exceptions', k]);
        });
      }
    });
    def.exceptions.forEach((e, k) => {
      visit(e, [...base, 'exceptions', k]);
    });
  }
  return issues;
}

/**
 * An exception excuses a hit it overlaps ("不知道您还有什么需要" contains "不知道"), or one within its
 * `exception_window`. A plain exception at window 0 that contains none of its phrases is almost
 * certainly a mistake. Linear in the size of the lexicon: one automaton of a category's phrases
 * scans each of its exceptions once (32,000 phrases with 3,200 exceptions used to take 50 s).
 */
export function checkExceptions(lex: Validated<Lexicon>, language: Language): string[] {
  const options = normalizeOptionsFor(language);
  const issues: string[] = [...checkPatterns(lex, language)];
  const norm = (s: string, stem: boolean) => (stem ? stemPhrase(s, options) : normalizePhrase(s, options));
  const plainPhrase = (p: unknown): string | undefined =>
    typeof p === 'string' ? p : (p as { phrase?: string }).phrase;
  for (const [category, def] of Object.entries(lex.value.categories)) {
    const stemOf = (p: (typeof def.phrases)[number]) =>
      language === 'en' && (typeof p === 'string' ? def.stem : (p.stem ?? def.stem));
    if (def.exception_window === 0 && def.exceptions.length > 0) {
      const phrases = def.phrases.filter((p) => plainPhrase(p) !== undefined);
      const composite = phrases.length < def.phrases.length;
      const texts = phrases.map((p) => norm(plainPhrase(p)!, stemOf(p)));
      const automaton = buildAhoCorasick(texts);
      def.exceptions.forEach((e, k) => {
        const text = plainPhrase(e);
        if (composite || text === undefined || (typeof e !== 'string' && e.pattern !== undefined)) return;
        let found = false;
        automaton.scan(norm(text, language === 'en' && def.stem), () => {
          found = true;
        });
        if (!found)
          issues.push(
            lex.issueAt(
              ['categories', category, 'exceptions', k],
              `exception "${text}" contains none of the category's phrases, so it can never apply (set exception_window to excuse nearby hits)`,
            ),
          );
      });
    }
    def.phrases.forEach((p, i) => {
      if (typeof p === 'string' || p.phrase === undefined) return;
      if ((p.exception_window ?? def.exception_window) > 0) return;
      const phrase = norm(p.phrase, stemOf(p));
      p.exceptions.forEach((e, k) => {
        const text = plainPhrase(e);
        if (text === undefined || (typeof e !== 'string' && e.phrase === undefined)) return;
        if (!norm(text, stemOf(p)).includes(phrase)) {
          issues.push(
            lex.issueAt(
              ['categories', category, 'phrases', i, 'exceptions', k],
              `exception "${text}" does not contain "${p.phrase}", so it can never apply (set exception_window to excuse nearby hits)`,
            ),
          );
        }
      });
    });
  }
  return issues;
}

/**
 * Checks what a schema cannot see alone (references between files, channel fit, duplicates) and
 * builds the screener's pieces. All problems are collected and thrown together.
 */
export function compilePipeline(
  pipeline: Validated<Pipeline>,
  lexicons: ReadonlyArray<Validated<Lexicon>>,
): CompiledPipeline {
  const p = pipeline.value;
  const issues: string[] = [];
  const byId = new Map<string, Validated<Lexicon>>();
  lexicons.forEach((lex, i) => {
    const l = lex.value;
    if (byId.has(l.lexicon))
      issues.push(pipeline.issueAt(['lexicons', i], `lexicon id "${l.lexicon}" is loaded twice`));
    byId.set(l.lexicon, lex);
    if (l.language !== p.language) {
      issues.push(
        lex.issueAt(['language'], `expected "${p.language}" (pipeline ${p.pipeline}), got "${l.language}"`),
      );
    }
  });

  for (const lex of lexicons) issues.push(...checkExceptions(lex, p.language));

  const ruleIds = new Set<string>();
  p.rules.forEach((rule, i) => {
    if (ruleIds.has(rule.id))
      issues.push(pipeline.issueAt(['rules', i, 'id'], `duplicate rule id "${rule.id}"`));
    ruleIds.add(rule.id);
    const spec = ruleSpec(rule.type);
    if (!spec.channels.includes(p.channel)) {
      issues.push(
        pipeline.issueAt(
          ['rules', i, 'type'],
          `rule type "${rule.type}" applies to ${spec.channels.join('/')} only, pipeline channel is "${p.channel}"`,
        ),
      );
    }
    /** The lexicon a rule option names at `path`, or an issue saying it is not loaded. */
    const lexiconAt = (path: Array<string | number>, id: string) => {
      const lex = byId.get(id);
      if (!lex) {
        const known = [...byId.keys()].join(', ') || 'none';
        issues.push(
          pipeline.issueAt(['rules', i, ...path, 'lexicon'], `unknown lexicon "${id}" (loaded: ${known})`),
        );
      }
      return lex;
    };
    for (const { path, selector } of spec.selectors(rule)) {
      const lex = lexiconAt(path, selector.lexicon);
      if (!lex) continue;
      selector.categories?.forEach((c, k) => {
        if (!(c in lex.value.categories)) {
          const known = Object.keys(lex.value.categories).join(', ');
          issues.push(
            pipeline.issueAt(
              ['rules', i, ...path, 'categories', k],
              `lexicon "${selector.lexicon}" has no category "${c}" (has: ${known})`,
            ),
          );
        }
      });
    }
    for (const { path, lexicon } of spec.models(rule)) {
      const lex = lexiconAt(path, lexicon);
      if (lex && !lex.value.model) {
        issues.push(
          pipeline.issueAt(
            ['rules', i, ...path, 'lexicon'],
            `lexicon "${lexicon}" has no model: (a learned model)`,
          ),
        );
      }
    }
  });
  // Rule ids named by the scoring scheme must exist.
  const ruleRefs: Array<{ path: Array<string | number>; id: string }> = [];
  p.scoring.bonuses.forEach((b, i) => {
    b.when_clean.forEach((id, k) => {
      ruleRefs.push({ path: ['scoring', 'bonuses', i, 'when_clean', k], id });
    });
  });
  p.scoring.routing.queues.forEach((q, i) => {
    for (const [k, id] of (q.when.rules ?? []).entries()) {
      ruleRefs.push({ path: ['scoring', 'routing', 'queues', i, 'when', 'rules', k], id });
    }
  });
  for (const ref of ruleRefs) {
    if (!ruleIds.has(ref.id)) issues.push(pipeline.issueAt(ref.path, `unknown rule id "${ref.id}"`));
  }
  if (issues.length > 0) throw new QaError('QA_ERR_CONFIG_INVALID', pipeline.source.name, issues);

  const enabled = p.rules.filter((r) => r.enabled);
  const index = buildPhraseIndex(
    p.language,
    usedPhrases(
      lexicons.flatMap((l) => lexiconPhrases(l.value)),
      enabled.flatMap((rule) =>
        ruleSpec(rule.type)
          .selectors(rule)
          .map((ref) => ref.selector),
      ),
    ),
  );
  const rules = enabled.map(compileRule);
  const models = new Map<string, TurnModel>();
  for (const { value } of lexicons) {
    if (value.model) models.set(value.lexicon, turnModel(value.model));
  }

  // By `lexicon/category`, and by bare id for findings that name no lexicon (the first lexicon's).
  const categoryLabels = new Map<string, string>();
  for (const { value } of lexicons)
    for (const [id, c] of Object.entries(value.categories)) {
      if (c.label === undefined) continue;
      categoryLabels.set(`${value.lexicon}/${id}`, c.label);
      if (!categoryLabels.has(id)) categoryLabels.set(id, c.label);
    }

  const versions = lexicons.map((l) => ({
    id: l.value.lexicon,
    version: `${l.value.version ?? '0'}+${l.source.hash}`,
  }));
  return {
    config: p,
    id: p.pipeline,
    version: `${p.version}+${pipeline.source.hash}`,
    channel: p.channel,
    language: p.language,
    lexicons: versions,
    lexiconsDigest: lexiconsDigest(versions),
    index,
    models,
    rules,
    categoryLabels,
  };
}
