import type { CompiledPipeline } from '../config/compile.js';
import {
  type Finding,
  type InlineTranscript,
  ITEM_VERSION,
  type MaskedConversation,
  type ScreenedItem,
} from '../domain/index.js';
import { QaError } from '../errors.js';
import { pipelineDetector } from '../rules/pii.js';
import type { PreparedTranscript, PreparedTurn } from '../rules/prepared.js';
import { score } from '../scoring/score.js';
import { maskInPlace, type PiiMatch } from '../text/pii.js';
import { scoreText, type TurnScore } from '../text/turn-model.js';
import { capFindings, fitItemJson } from './bounds.js';
import { checkDataQuality, orderTurns, turnStarts } from './data-quality.js';

export interface ScreenerOptions {
  /** Injected so results are reproducible in tests. */
  now?: () => Date;
}

export interface Screener {
  readonly pipeline: CompiledPipeline;
  screen(transcript: InlineTranscript): ScreenedItem;
  /** As screen, with the item's JSON text (bounding the item serialises it once; writers reuse it). */
  screenJson(transcript: InlineTranscript): { item: ScreenedItem; json: string };
}

/**
 * What a transcript's turns share, each made on first use: personal data, found over all turns at
 * once (a number may be split over two messages); each turn's text with it masked in place (the
 * findings' quotes, their messages and the masked conversation all read the same text); and turns'
 * scores by learned models.
 */
class SharedTurnWork {
  private found: PiiMatch[][] | undefined;
  private readonly maskedTexts: Array<string | undefined>;
  constructor(
    private readonly pipeline: CompiledPipeline,
    private readonly t: InlineTranscript,
  ) {
    this.maskedTexts = new Array(t.turns.length);
  }
  of(index: number): PiiMatch[] {
    this.found ??= pipelineDetector(this.pipeline.config).scan(this.t.turns, this.t.tenant);
    return this.found[index]!;
  }
  /** Model scores by turn, then lexicon: rules that share a model score a turn once. */
  private scores: Map<string, TurnScore>[] | undefined;
  /** Each speaker's first turn: a later one is a follow-up (a model feature). */
  private firstTurn: Map<string, number> | undefined;
  model(turn: PreparedTurn, lexicon: string): TurnScore | undefined {
    const model = this.pipeline.models.get(lexicon);
    if (!model) return undefined;
    this.scores ??= new Array(this.t.turns.length);
    let byLexicon = this.scores[turn.index];
    if (!byLexicon) {
      byLexicon = new Map();
      this.scores[turn.index] = byLexicon;
    }
    let score = byLexicon.get(lexicon);
    if (!score) {
      if (!this.firstTurn) {
        this.firstTurn = new Map();
        this.t.turns.forEach((t, i) => {
          if (!this.firstTurn!.has(t.speaker)) this.firstTurn!.set(t.speaker, i);
        });
      }
      const later = turn.index > this.firstTurn.get(turn.speaker)!;
      score = scoreText(model, turn.text, this.pipeline.language, later);
      byLexicon.set(lexicon, score);
    }
    return score;
  }
  masked(index: number): string {
    let masked = this.maskedTexts[index];
    if (masked === undefined) {
      masked = maskInPlace(this.t.turns[index]!.text, this.of(index));
      this.maskedTexts[index] = masked;
    }
    return masked;
  }
}

/** A prepared turn: a class, so turns share one `pii()` and `masked()` instead of closures each. */
class Turn implements PreparedTurn {
  constructor(
    private readonly shared: SharedTurnWork,
    readonly index: number,
    readonly speaker: PreparedTurn['speaker'],
    readonly text: string,
    readonly norm: PreparedTurn['norm'],
    readonly hits: PreparedTurn['hits'],
    readonly startMs: number | undefined,
    readonly endMs: number | undefined,
  ) {}
  pii(): readonly PiiMatch[] {
    return this.shared.of(this.index);
  }
  masked(): string {
    return this.shared.masked(this.index);
  }
  model(lexicon: string): TurnScore | undefined {
    return this.shared.model(this, lexicon);
  }
}

/**
 * Normalises and matches every turn once; rules then only read. `starts`: each turn's start, when
 * the caller has them (orderTurns computed them); otherwise parsed here.
 */
export function prepare(
  pipeline: CompiledPipeline,
  t: InlineTranscript,
  starts: ReadonlyArray<number | undefined> = turnStarts(t),
): PreparedTranscript {
  const pii = new SharedTurnWork(pipeline, t);
  const index = pipeline.index;
  const turns: PreparedTurn[] = new Array(t.turns.length);
  let lastTurnEnd: number | undefined;
  for (let i = 0; i < t.turns.length; i++) {
    const turn = t.turns[i]!;
    const norm = index.normalize(turn.text);
    const startMs = starts[i];
    const endMs = turn.endMs ?? startMs;
    turns[i] = new Turn(pii, i, turn.speaker, turn.text, norm, index.match(norm, turn.text), startMs, endMs);
    if (endMs !== undefined) lastTurnEnd = Math.max(lastTurnEnd ?? 0, endMs);
  }
  const durationMs = t.endedAt === undefined ? lastTurnEnd : Date.parse(t.endedAt) - Date.parse(t.startedAt);
  return { transcript: t, turns, durationMs };
}

/**
 * Masks personal data in one string (found in the string itself). Cheap for the strings an item
 * carries (messages, quotes, categories): the detector clears a string without digits or an at
 * sign in one pass, so nothing is remembered between items.
 */
function stringRedactor(pipeline: CompiledPipeline): (s: string, tenant: string | undefined) => string {
  const detector = pipelineDetector(pipeline.config);
  return (s, tenant) => maskInPlace(s, detector.find(s, tenant));
}

/** Every string in a JSON value, redacted; unchanged values are returned as they are (no copy). */
function redactStrings<T>(value: T, redact: (s: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = value.map((v) => redactStrings(v, redact));
    return (out.some((v, i) => v !== value[i]) ? out : value) as T;
  }
  let out: Record<string, unknown> | undefined;
  for (const k in value) {
    const v = value[k];
    const r = redactStrings(v, redact);
    if (r !== v) out ??= { ...(value as Record<string, unknown>) };
    if (out) out[k] = r;
  }
  return (out ?? value) as T;
}

/**
 * Nothing a finding carries holds personal data, whichever rule made it: text quoted from a turn is
 * masked exactly as in the conversation (same length, so offsets hold), and every string (text,
 * message, any other field) is also searched for personal data on its own.
 */
function redactFindings(
  findings: Finding[],
  prepared: PreparedTranscript,
  redact: (s: string) => string,
): Finding[] {
  return findings.map((f) => {
    const turn = f.turnIndex !== undefined ? prepared.turns[f.turnIndex] : undefined;
    let masked = f;
    if (
      turn !== undefined &&
      f.text !== undefined &&
      f.start !== undefined &&
      f.end !== undefined &&
      f.text === turn.text.slice(f.start, f.end)
    ) {
      const text = turn.masked().slice(f.start, f.end);
      // Most quotes hold no personal data: the finding is kept as it is rather than copied.
      if (text !== f.text) masked = { ...f, text };
    }
    return redactStrings(masked, redact);
  });
}

/** The turns as a reviewer may read them: personal data masked in place, timing kept. */
function maskedConversation(prepared: PreparedTranscript): MaskedConversation {
  const t = prepared.transcript;
  const turns: MaskedConversation['turns'] = new Array(prepared.turns.length);
  for (let i = 0; i < turns.length; i++) {
    const source = t.turns[i]!;
    // Fields set one by one in the order the spreads gave (the item's JSON stays byte for byte).
    const turn: MaskedConversation['turns'][number] = {
      speaker: prepared.turns[i]!.speaker,
      text: prepared.turns[i]!.masked(),
    };
    if (source.at !== undefined) turn.at = source.at;
    if (source.startMs !== undefined) turn.startMs = source.startMs;
    if (source.endMs !== undefined) turn.endMs = source.endMs;
    turns[i] = turn;
  }
  return {
    startedAt: t.startedAt,
    ...(t.endedAt !== undefined && { endedAt: t.endedAt }),
    ...(t.hangupBy !== undefined && { hangupBy: t.hangupBy }),
    ...(t.answerDelayMs !== undefined && { answerDelayMs: t.answerDelayMs }),
    turns,
  };
}

/** The current time as ISO 8601, formatted once per millisecond (toISOString costs ~1 µs). */
function isoClock(): () => string {
  let ms = Number.NaN;
  let iso = '';
  return () => {
    const now = Date.now();
    if (now !== ms) {
      ms = now;
      iso = new Date(now).toISOString();
    }
    return iso;
  };
}

export function createScreener(pipeline: CompiledPipeline, options: ScreenerOptions = {}): Screener {
  const injected = options.now;
  const screenedAt = injected ? () => injected().toISOString() : isoClock();
  const stringRedact = stringRedactor(pipeline);
  const screener: Screener = {
    pipeline,
    screen: (input) => screener.screenJson(input).item,
    screenJson(input) {
      if (input.channel !== pipeline.channel || input.language !== pipeline.language) {
        throw new QaError(
          'QA_ERR_LANGUAGE_MISMATCH',
          `transcript is ${input.channel}/${input.language}, pipeline ${pipeline.id} screens ${pipeline.channel}/${pipeline.language}`,
        );
      }
      const ordered = orderTurns(input);
      const t = ordered.transcript;
      // Rules the data cannot support are not run; data-quality findings say which (or it is rejected).
      const quality = checkDataQuality(ordered, pipeline.rules, pipeline.config.data_quality);
      const prepared = prepare(pipeline, t, ordered.times);
      const raw: Finding[] = [];
      for (const rule of quality.rules) {
        for (const f of rule.evaluate(prepared)) raw.push({ ruleId: rule.id, type: rule.type, ...f });
      }
      const result = score(pipeline.config.scoring, pipeline.rules, raw, t.conversationId);
      const tenant = t.tenant;
      const redact = (s: string) => stringRedact(s, tenant);
      const limits = pipeline.config.limits;
      const capped = capFindings(result.findings, limits.max_findings_per_rule, limits.max_findings);
      const findings = [...quality.findings, ...redactFindings(capped.listed, prepared, redact)];
      const routing = pipeline.config.scoring.routing;
      // An item whose data could not support every rule is never filed as clean (or as calibration).
      const unjudged =
        quality.findings.length > 0 &&
        result.queue === (result.sampled ? routing.calibration_queue : routing.default_queue);
      const queue = unjudged ? pipeline.config.data_quality.queue : result.queue;
      const sampled = result.sampled && !unjudged;
      const withConversation = pipeline.config.output.conversation;
      const forReview =
        withConversation === 'all' || (withConversation === 'review' && queue !== routing.default_queue);
      const erring = new Set<string>();
      for (const f of result.findings) if (f.severity !== 'fatal' && f.points > 0) erring.add(f.ruleId);
      const nonFatalErrors = erring.size;
      const item: ScreenedItem = {
        itemVersion: ITEM_VERSION,
        conversationId: t.conversationId,
        ...(t.tenant !== undefined && { tenant: t.tenant }),
        channel: t.channel,
        language: t.language,
        agentId: t.agent.id,
        ...(t.agent.team !== undefined && { agentTeam: t.agent.team }),
        score: result.score,
        passed: result.passed,
        fatal: result.fatal,
        findings,
        ...(capped.omitted.length > 0 && {
          omitted: { findings: capped.omitted.reduce((n, o) => n + o.count, 0), rules: capped.omitted },
        }),
        // By id: the text is the pipeline's, and the same for every item.
        bonuses: result.bonuses.map((b) => ({ id: b.id, points: b.points })),
        deducted: result.deducted,
        priority: result.priority,
        queue,
        sampled,
        scheme: pipeline.config.scoring.scheme,
        pipeline: { id: pipeline.id, version: pipeline.version, lexicons: pipeline.lexiconsDigest },
        stats: {
          turns: t.turns.length,
          ...(prepared.durationMs !== undefined && { durationMs: prepared.durationMs }),
          opportunities: quality.rules.length,
          nonFatalErrors,
          ...(ordered.reordered && { reordered: true }),
        },
        screenedAt: screenedAt(),
        ...(forReview && { conversation: maskedConversation(prepared) }),
      };
      return fitItemJson(item, limits.max_item_bytes);
    },
  };
  return screener;
}
