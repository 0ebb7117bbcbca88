import type { CompiledPipeline } from '../config/compile.js';
import type { Finding, InlineTranscript, MaskedConversation, ScreenedItem } from '../domain/index.js';
import { QaError } from '../errors.js';
import type { PreparedTranscript, PreparedTurn } from '../rules/prepared.js';
import { score } from '../scoring/score.js';
import { findPii, maskInPlace, type PiiKind, type PiiMatch, redactText } from '../text/pii.js';

const ALL_PII: ReadonlySet<PiiKind> = new Set(['cn_id', 'cn_mobile', 'bank_card', 'email']);

export interface ScreenerOptions {
  /** Injected so results are reproducible in tests. */
  now?: () => Date;
}

export interface Screener {
  readonly pipeline: CompiledPipeline;
  screen(transcript: InlineTranscript): ScreenedItem;
}

function parseTime(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/** Normalises and matches every turn once; rules then only read. */
export function prepare(pipeline: CompiledPipeline, t: InlineTranscript): PreparedTranscript {
  const started = parseTime(t.startedAt)!;
  const turns: PreparedTurn[] = t.turns.map((turn, index) => {
    const norm = pipeline.index.normalize(turn.text);
    const at = parseTime(turn.at);
    const startMs = turn.startMs ?? (at !== undefined ? at - started : undefined);
    let pii: PiiMatch[] | undefined;
    return {
      pii: () => {
        pii ??= findPii(turn.text, ALL_PII);
        return pii;
      },
      index,
      speaker: turn.speaker,
      text: turn.text,
      norm,
      hits: pipeline.index.match(norm),
      startMs,
      endMs: turn.endMs ?? startMs,
    };
  });
  const ended = parseTime(t.endedAt);
  const lastTurnEnd = turns.reduce<number | undefined>((m, turn) => {
    const end = turn.endMs ?? turn.startMs;
    return end === undefined ? m : Math.max(m ?? 0, end);
  }, undefined);
  const durationMs = ended !== undefined ? ended - started : lastTurnEnd;
  return { transcript: t, turns, durationMs };
}

/** Any finding quoting text that holds personal data gets it masked: nothing emitted carries it. */
function redactFindings(findings: Finding[], prepared: PreparedTranscript): Finding[] {
  return findings.map((f) => {
    if (
      f.text === undefined ||
      f.turnIndex === undefined ||
      f.start === undefined ||
      f.end === undefined ||
      f.type === 'pii'
    ) {
      return f;
    }
    const inside = prepared.turns[f.turnIndex]!.pii()
      .filter((m) => m.start < f.end! && m.end > f.start!)
      .map((m) => ({
        kind: m.kind,
        start: Math.max(0, m.start - f.start!),
        end: Math.min(f.end!, m.end) - f.start!,
      }));
    return inside.length === 0 ? f : { ...f, text: redactText(f.text, inside) };
  });
}

/** The turns as a reviewer may read them: personal data masked in place, timing kept. */
function maskedConversation(prepared: PreparedTranscript): MaskedConversation {
  const t = prepared.transcript;
  return {
    startedAt: t.startedAt,
    ...(t.endedAt !== undefined && { endedAt: t.endedAt }),
    ...(t.hangupBy !== undefined && { hangupBy: t.hangupBy }),
    ...(t.answerDelayMs !== undefined && { answerDelayMs: t.answerDelayMs }),
    turns: prepared.turns.map((turn, i) => {
      const source = t.turns[i]!;
      return {
        speaker: turn.speaker,
        text: maskInPlace(turn.text, turn.pii()),
        ...(source.at !== undefined && { at: source.at }),
        ...(source.startMs !== undefined && { startMs: source.startMs }),
        ...(source.endMs !== undefined && { endMs: source.endMs }),
      };
    }),
  };
}

export function createScreener(pipeline: CompiledPipeline, options: ScreenerOptions = {}): Screener {
  const now = options.now ?? (() => new Date());
  return {
    pipeline,
    screen(t) {
      if (t.channel !== pipeline.channel || t.language !== pipeline.language) {
        throw new QaError(
          'QA_ERR_LANGUAGE_MISMATCH',
          `transcript is ${t.channel}/${t.language}, pipeline ${pipeline.id} screens ${pipeline.channel}/${pipeline.language}`,
        );
      }
      const prepared = prepare(pipeline, t);
      const raw: Finding[] = [];
      for (const rule of pipeline.rules) {
        for (const f of rule.evaluate(prepared)) raw.push({ ruleId: rule.id, type: rule.type, ...f });
      }
      const result = score(pipeline.config.scoring, pipeline.rules, raw, t.conversationId);
      const findings = redactFindings(result.findings, prepared);
      const withConversation = pipeline.config.output.conversation;
      const forReview =
        withConversation === 'all' ||
        (withConversation === 'review' && result.queue !== pipeline.config.scoring.routing.default_queue);
      const nonFatalErrors = new Set(
        findings.filter((f) => f.severity !== 'fatal' && f.points > 0).map((f) => f.ruleId),
      ).size;
      return {
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
        bonuses: result.bonuses,
        deducted: result.deducted,
        priority: result.priority,
        queue: result.queue,
        sampled: result.sampled,
        scheme: pipeline.config.scoring.scheme,
        pipeline: { id: pipeline.id, version: pipeline.version },
        lexicons: [...pipeline.lexicons],
        stats: {
          turns: t.turns.length,
          ...(prepared.durationMs !== undefined && { durationMs: prepared.durationMs }),
          opportunities: pipeline.rules.length,
          nonFatalErrors,
        },
        screenedAt: now().toISOString(),
        ...(forReview && { conversation: maskedConversation(prepared) }),
      };
    },
  };
}
