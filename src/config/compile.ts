import type { Channel, Language, Severity } from '../domain/index.js';
import { QaError } from '../errors.js';
import { type Evaluate, ruleContext } from '../rules/define.js';
import { ruleSpec } from '../rules/registry.js';
import { normalizePhrase } from '../text/normalize.js';
import {
  buildPhraseIndex,
  normalizeOptionsFor,
  type PhraseIndex,
  type PhraseSource,
  stemPhrase,
} from '../text/phrase-index.js';
import { Lexicon } from './lexicon.js';
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
  readonly index: PhraseIndex;
  readonly rules: readonly CompiledRule[];
}

export function parseLexicon(source: ConfigSource): Validated<Lexicon> {
  return validateConfig(source, Lexicon);
}

export function parsePipeline(source: ConfigSource): Validated<Pipeline> {
  return validateConfig(source, Pipeline);
}

/** Flattens a lexicon's categories into matcher entries. */
export function lexiconPhrases(lexicon: Lexicon): PhraseSource[] {
  const out: PhraseSource[] = [];
  for (const [category, def] of Object.entries(lexicon.categories)) {
    for (const item of def.phrases) {
      const entry =
        typeof item === 'string' ? { phrase: item, exceptions: [] as string[], stem: undefined } : item;
      out.push({
        lexicon: lexicon.lexicon,
        category,
        phrase: entry.phrase,
        severity: ('severity' in entry && entry.severity) || def.severity,
        points: ('points' in entry && entry.points !== undefined ? entry.points : undefined) ?? def.points,
        exceptions: [...def.exceptions, ...entry.exceptions],
        stem: lexicon.language === 'en' && (entry.stem ?? def.stem),
      });
    }
  }
  return out;
}

/**
 * An exception excuses a hit it contains ("不知道您还有什么需要" contains "不知道"); one that
 * contains none of its phrases can never apply and is almost certainly a mistake.
 */
export function checkExceptions(lex: Validated<Lexicon>, language: Language): string[] {
  const options = normalizeOptionsFor(language);
  const issues: string[] = [];
  for (const [category, def] of Object.entries(lex.value.categories)) {
    const stemmed = (p: (typeof def.phrases)[number]) =>
      language === 'en' && (typeof p === 'string' ? def.stem : (p.stem ?? def.stem));
    const norm = (s: string, stem = def.stem && language === 'en') =>
      stem ? stemPhrase(s, options) : normalizePhrase(s, options);
    const phrases = def.phrases.map((p) => norm(typeof p === 'string' ? p : p.phrase, stemmed(p)));
    def.exceptions.forEach((e, k) => {
      if (!phrases.some((p) => norm(e).includes(p))) {
        issues.push(
          lex.issueAt(
            ['categories', category, 'exceptions', k],
            `exception "${e}" contains none of the category's phrases, so it can never apply`,
          ),
        );
      }
    });
    def.phrases.forEach((p, i) => {
      if (typeof p === 'string') return;
      p.exceptions.forEach((e, k) => {
        if (!norm(e, stemmed(p)).includes(norm(p.phrase, stemmed(p)))) {
          issues.push(
            lex.issueAt(
              ['categories', category, 'phrases', i, 'exceptions', k],
              `exception "${e}" does not contain "${p.phrase}", so it can never apply`,
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
    for (const { path, selector } of spec.selectors(rule)) {
      const lex = byId.get(selector.lexicon);
      if (!lex) {
        const known = [...byId.keys()].join(', ') || 'none';
        issues.push(
          pipeline.issueAt(
            ['rules', i, ...path, 'lexicon'],
            `unknown lexicon "${selector.lexicon}" (loaded: ${known})`,
          ),
        );
        continue;
      }
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

  const index = buildPhraseIndex(
    p.language,
    lexicons.flatMap((l) => lexiconPhrases(l.value)),
  );
  const rules = p.rules
    .filter((r) => r.enabled)
    .map((rule): CompiledRule => {
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
        evaluate: spec.create(rule, ctx),
      };
    });

  return {
    config: p,
    id: p.pipeline,
    version: `${p.version}+${pipeline.source.hash}`,
    channel: p.channel,
    language: p.language,
    lexicons: lexicons.map((l) => ({
      id: l.value.lexicon,
      version: `${l.value.version ?? '0'}+${l.source.hash}`,
    })),
    index,
    rules,
  };
}
