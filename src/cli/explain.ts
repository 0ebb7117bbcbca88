import type { Finding, InlineTranscript, ScreenedItem } from '../domain/index.js';
import { findPii, maskPii, type PiiKind, type PiiMatch } from '../text/pii.js';

const ALL_PII: ReadonlySet<PiiKind> = new Set(['cn_id', 'cn_mobile', 'bank_card', 'email']);

export interface Style {
  mark(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export const ansi: Style = {
  mark: (s) => `\x1b[1;41;97m${s}\x1b[0m`,
  dim: (s) => `\x1b[2m${s}\x1b[0m`,
  bold: (s) => `\x1b[1m${s}\x1b[0m`,
};

export const plain: Style = { mark: (s) => `⟦${s}⟧`, dim: (s) => s, bold: (s) => s };

/**
 * One turn's text with finding spans marked and personal data masked: the printed text never
 * shows what the emitted item would not.
 */
export function renderTurn(
  text: string,
  spans: ReadonlyArray<{ start: number; end: number }>,
  style: Style,
): string {
  const pii: PiiMatch[] = findPii(text, ALL_PII);
  const cuts = new Set<number>([0, text.length]);
  for (const s of [...spans, ...pii]) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  let out = '';
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k]!;
    const b = points[k + 1]!;
    const secret = pii.find((m) => m.start <= a && a < m.end);
    let piece = text.slice(a, b);
    if (secret) piece = a === secret.start ? maskPii(secret.kind, text.slice(secret.start, secret.end)) : '';
    if (piece && spans.some((s) => s.start <= a && b <= s.end)) piece = style.mark(piece);
    out += piece;
  }
  return out;
}

function clock(ms: number | undefined): string {
  if (ms === undefined) return '     ';
  const s = Math.max(0, Math.round(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function describe(f: Finding): string {
  const pts = f.points > 0 ? ` −${f.points}` : '';
  return `[${f.severity}${pts}] ${f.ruleId}: ${f.message}`;
}

export function explain(t: InlineTranscript, item: ScreenedItem, style: Style): string {
  const lines: string[] = [];
  const verdict = item.fatal ? 'FATAL' : item.passed ? 'passed' : 'failed';
  lines.push(
    style.bold(`${item.conversationId}  ${t.channel}/${t.language}  agent ${t.agent.id}`),
    `score ${item.score} (${verdict}), queue ${item.queue}, priority ${item.priority}, ${item.findings.length} finding(s)`,
  );
  for (const b of item.bonuses) lines.push(`  [bonus +${b.points}] ${b.id}: ${b.message}`);
  for (const f of item.findings.filter((f) => f.turnIndex === undefined)) lines.push(`  ${describe(f)}`);
  const started = Date.parse(t.startedAt);
  t.turns.forEach((turn, index) => {
    const own = item.findings.filter((f) => f.turnIndex === index);
    const spans = own.filter((f) => f.start !== undefined && f.end !== undefined) as Array<
      Finding & { start: number; end: number }
    >;
    const at = turn.startMs ?? (turn.at ? Date.parse(turn.at) - started : undefined);
    lines.push(
      `${style.dim(`#${String(index).padStart(2)} ${clock(at)}`)} ${turn.speaker.padEnd(8)} ${renderTurn(turn.text, spans, style)}`,
    );
    for (const f of own) lines.push(`      ↳ ${describe(f)}`);
  });
  return lines.join('\n');
}
