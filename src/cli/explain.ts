import type { Finding, InlineTranscript, ScreenedItem } from '../domain/index.js';
import { maskSpan, type PiiDetector, type PiiMatch } from '../text/pii.js';

// C0 and C1 controls (ESC starts terminal sequences: clear screen, OSC 52 clipboard writes), DEL,
// and the invisible characters that reorder or break what a terminal shows.
function isControl(c: number): boolean {
  return (
    c <= 0x1f ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x061c ||
    c === 0x200e ||
    c === 0x200f ||
    c === 0x2028 ||
    c === 0x2029 ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

/** Text from a transcript or an id as the terminal may show it: controls become spaces or U+FFFD. */
export function printable(s: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isControl(c)) continue;
    out += s.slice(last, i) + (c === 0x09 || c === 0x0a || c === 0x0d ? ' ' : '\ufffd');
    last = i + 1;
  }
  return last === 0 ? s : out + s.slice(last);
}

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
 * One turn's text with finding spans marked, personal data masked and control characters removed:
 * the printed text never shows what the emitted item would not, nor drives the terminal.
 */
export function renderTurn(
  text: string,
  spans: ReadonlyArray<{ start: number; end: number }>,
  pii: readonly PiiMatch[],
  style: Style,
): string {
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
    if (secret) piece = maskSpan(text, secret).slice(a - secret.start, b - secret.start);
    piece = printable(piece);
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

function describe(f: Finding, messageOf: (f: Finding) => string): string {
  const pts = f.points > 0 ? ` −${f.points}` : '';
  return printable(`[${f.severity}${pts}] ${f.ruleId}: ${messageOf(f)}`);
}

/** A conversation as a reviewer reads it in a terminal; `detector` is the pipeline's (see pipelineDetector). */
export function explain(
  t: InlineTranscript,
  item: ScreenedItem,
  style: Style,
  detector: PiiDetector,
  /** The pipeline's text of a bonus (items name bonuses by id since item version 2). */
  bonusText: (id: string) => string | undefined = () => undefined,
  /** A finding's message as shown (another language: src/domain/messages.ts). */
  messageOf: (f: Finding) => string = (f) => f.message,
): string {
  const lines: string[] = [];
  const verdict = item.fatal ? 'FATAL' : item.passed ? 'passed' : 'failed';
  lines.push(
    style.bold(printable(`${item.conversationId}  ${t.channel}/${t.language}  agent ${t.agent.id}`)),
    printable(
      `score ${item.score} (${verdict}), queue ${item.queue}, priority ${item.priority}, ${item.findings.length} finding(s)`,
    ),
  );
  for (const b of item.bonuses) {
    const text = b.message ?? bonusText(b.id);
    lines.push(printable(`  [bonus +${b.points}] ${b.id}${text === undefined ? '' : `: ${text}`}`));
  }
  const pii = detector.scan(t.turns, t.tenant);
  for (const f of item.findings.filter((f) => f.turnIndex === undefined))
    lines.push(`  ${describe(f, messageOf)}`);
  const started = Date.parse(t.startedAt);
  t.turns.forEach((turn, index) => {
    const own = item.findings.filter((f) => f.turnIndex === index);
    const spans = own.filter((f) => f.start !== undefined && f.end !== undefined) as Array<
      Finding & { start: number; end: number }
    >;
    const at = turn.startMs ?? (turn.at ? Date.parse(turn.at) - started : undefined);
    lines.push(
      `${style.dim(`#${String(index).padStart(2)} ${clock(at)}`)} ${turn.speaker.padEnd(8)} ${renderTurn(turn.text, spans, pii[index]!, style)}`,
    );
    for (const f of own) lines.push(`      ↳ ${describe(f, messageOf)}`);
  });
  return lines.join('\n');
}
