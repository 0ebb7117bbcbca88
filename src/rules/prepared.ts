import type { InlineTranscript, Speaker } from '../domain/index.js';
import type { NormalizedText } from '../text/normalize.js';
import type { PhraseHit } from '../text/phrase-index.js';
import type { PiiMatch } from '../text/pii.js';
import type { TurnScore } from '../text/turn-model.js';
import type { PhraseSelector } from './selector.js';

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
  /** The text with `pii()` masked in place (same length): made on first use, then shared. */
  masked(): string;
  /** The turn as the pipeline's learned model of that lexicon scores it (undefined: no such model). */
  model(lexicon: string): TurnScore | undefined;
}

/** What every rule reads: the transcript, its prepared turns and its duration. */
export interface PreparedTranscript {
  readonly transcript: InlineTranscript;
  readonly turns: readonly PreparedTurn[];
  readonly durationMs: number | undefined;
}

export function selects(hit: PhraseHit, selector: PhraseSelector): boolean {
  return (
    hit.entry.lexicon === selector.lexicon &&
    (selector.categories === undefined || selector.categories.includes(hit.entry.category))
  );
}

/** Longest quotation of matched words in a message; longer ones end in "…". */
const QUOTE_LENGTH = 40;

/**
 * How a finding names a hit: a phrase entry by its phrase, a pattern or composite by the words it
 * matched (its source means nothing to a reviewer), masked as the turn is so no personal data is
 * quoted.
 */
export function hitWords(turn: PreparedTurn, hit: PhraseHit): string {
  return hit.entry.quote === true ? quoted(turn, hit.start, hit.end) : hit.entry.phrase;
}

/** Words of a turn for a message: masked as the turn is (no personal data), on one line, bounded. */
export function quoted(turn: PreparedTurn, start: number, end: number): string {
  const words = turn.masked().slice(start, end).replace(/\s+/g, ' ');
  return words.length > QUOTE_LENGTH ? `${words.slice(0, QUOTE_LENGTH - 1)}…` : words;
}

export function hitsOf(turn: PreparedTurn, selector: PhraseSelector): PhraseHit[] {
  return turn.hits.filter((h) => selects(h, selector));
}

/**
 * Drops hits lying inside a longer hit ("不是我们的责任" inside "这不是我们的责任"), and
 * duplicates of one span, so one utterance yields one finding. O(n log n): hits sorted by start,
 * longest first, then input order; a hit is dropped when a hit before it in that order reaches as far.
 */
export function longestHits(hits: readonly PhraseHit[]): PhraseHit[] {
  const n = hits.length;
  if (n < 2) return hits.slice();
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const hit = hits[i]!;
    starts[i] = hit.normStart;
    ends[i] = hit.normEnd;
    order[i] = i;
  }
  order.sort((a, b) => starts[a]! - starts[b]! || ends[b]! - ends[a]! || a - b);
  const kept = new Uint8Array(n);
  let reach = -1;
  for (const i of order) {
    if (ends[i]! > reach) {
      kept[i] = 1;
      reach = ends[i]!;
    }
  }
  const out: PhraseHit[] = [];
  for (let i = 0; i < n; i++) if (kept[i] === 1) out.push(hits[i]!);
  return out;
}

/** True when the turn's text is nothing but phrases of the selectors ("嗯", "好的", "再见"). */
export function isCoveredBy(turn: PreparedTurn, ...selectors: PhraseSelector[]): boolean {
  const length = turn.norm.text.length;
  if (length === 0) return true;
  const covered = new Uint8Array(length);
  for (const hit of turn.hits) {
    if (selectors.some((s) => selects(hit, s))) covered.fill(1, hit.normStart, hit.normEnd);
  }
  for (let i = 0; i < length; i++) if (covered[i] === 0 && turn.norm.text[i] !== ' ') return false;
  return true;
}

/** True when the turn asks something: a question mark, ASCII or full width, in the original text. */
export function asksQuestion(turn: PreparedTurn): boolean {
  return /[?？]/.test(turn.text);
}

/** Turns with call offsets, in time order (ties keep transcript order). */
export function timedTurns(turns: readonly PreparedTurn[]): PreparedTurn[] {
  return turns
    .filter((t) => t.startMs !== undefined && t.endMs !== undefined)
    .sort((a, b) => a.startMs! - b.startMs! || a.index - b.index);
}
