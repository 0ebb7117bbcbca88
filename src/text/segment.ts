import { createRequire } from 'node:module';
import type { Jieba } from '@node-rs/jieba';
import type { NormalizedText } from './normalize.js';
import { loadRouteDictionary, NO, routeBoundaries, UNKNOWN, YES } from './word-route.js';

/**
 * Chinese word boundaries from a real segmenter (jieba, via @node-rs/jieba: the maintained Rust port,
 * prebuilt binaries in the npm packages for the usual platforms). Consulted only for
 * turns where a lexicon entry that must align with words has a candidate hit, so turns without one
 * never pay for it; the dictionary loads on first use (~0.2 s, and ~0.3 s more for word-route.ts's copy).
 */
let jieba: Jieba | undefined;
const require = createRequire(import.meta.url);

function segmenter(): Jieba {
  if (!jieba) {
    const { Jieba: JiebaClass } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    jieba = JiebaClass.withDict(dict);
  }
  return jieba;
}

/** Whether the segmenter is loaded (it loads on first use, or with loadWordBoundaries). */
export function wordBoundariesLoaded(): boolean {
  return jieba !== undefined;
}

/**
 * Loads the segmenter and the dictionary route now (~0.4 s together) instead of on the first turn
 * that asks for a word boundary: a long-running worker pays it before it takes traffic.
 */
export function loadWordBoundaries(): void {
  segmenter();
  loadRouteDictionary();
}

/** Words of a run of Chinese text (HMM on, as jieba's default, so unknown words stay whole). */
export function cutWords(text: string): string[] {
  return segmenter().cut(text, true);
}

/** Words of the dictionary only (HMM off): unknown stretches fall apart into characters ("没发": 没/发). */
export function cutDictionaryWords(text: string): string[] {
  return segmenter().cut(text, false);
}

/**
 * Word boundaries of a normalised text, computed lazily: where the normaliser dropped punctuation
 * or spaces there is always a boundary, and each run between such places is segmented on its own
 * (as the clause it was) only when a position inside it is asked about. A turn with one candidate
 * hit pays for one clause, not the whole turn. Most positions are settled from the segmenter's
 * dictionary in JS (word-route.ts); the segmenter itself cuts only the open stretch where a position
 * asked about is left to its HMM.
 */
export class WordBoundaries {
  private readonly runOf: Uint32Array;
  private readonly runStarts: number[] = [0];
  private readonly marks: Uint8Array;
  /** Per run, its boundaries (YES / NO / UNKNOWN per position from the run's start), once asked. */
  private readonly runs: Array<Uint8Array | undefined>;

  constructor(private readonly norm: NormalizedText) {
    const n = norm.text.length;
    this.runOf = new Uint32Array(n + 1);
    this.marks = new Uint8Array(n + 1);
    this.marks[0] = 1;
    this.marks[n] = 1;
    for (let i = 1; i < n; i++) {
      if (norm.starts[i]! > norm.ends[i - 1]!) {
        this.marks[i] = 1;
        this.runStarts.push(i);
      }
      this.runOf[i] = this.runStarts.length - 1;
    }
    this.runStarts.push(n);
    this.runs = new Array(this.runStarts.length - 1);
  }

  /** True when a word boundary lies before unit i (0 and the length always). */
  at(i: number): boolean {
    const v = this.state(i);
    return v === UNKNOWN ? this.resolve(i) : v === YES;
  }

  /**
   * True when word boundaries lie before units s and e: the segmenter runs only when neither is
   * settled as NO by the dictionary and one of them is left to its HMM.
   */
  both(s: number, e: number): boolean {
    const a = this.state(s);
    if (a === NO) return false;
    const b = this.state(e);
    if (b === NO) return false;
    return (a === YES || this.resolve(s)) && (b === YES || this.resolve(e));
  }

  private state(i: number): number {
    if (this.marks[i] === 1) return YES;
    const run = this.runOf[i]!;
    let bounds = this.runs[run];
    if (!bounds) {
      bounds = runBoundaries(this.norm.text.slice(this.runStarts[run]!, this.runStarts[run + 1]!));
      this.runs[run] = bounds;
    }
    return bounds[i - this.runStarts[run]!]!;
  }

  /**
   * The segmenter's answer at an UNKNOWN position; settles the stretch of open positions around it
   * (in the cache too). The dictionary leaves a stretch open only between two settled boundaries,
   * where jieba's route takes single characters that are not a word together, and there its HMM
   * decides from the stretch's characters alone: cutting the stretch by itself gives the same
   * boundaries as cutting the clause (a near tie or a non-ideograph leaves the whole clause open,
   * so the whole clause is cut, as before).
   */
  private resolve(i: number): boolean {
    const run = this.runOf[i]!;
    const from = this.runStarts[run]!;
    const bounds = this.runs[run]!;
    const at = i - from;
    // Settled meanwhile (both() reads its two ends before resolving either).
    const known = bounds[at]!;
    if (known !== UNKNOWN) return known === YES;
    let a = at;
    while (bounds[a] === UNKNOWN) a--;
    let b = at;
    while (bounds[b] === UNKNOWN) b++;
    bounds.set(stretchBoundaries(this.norm.text.slice(from + a, from + b)), a);
    return bounds[at] === YES;
  }
}

const CACHE_SIZE = 20_000;

/** `compute`, with its answers for recent texts remembered (bounded: forgotten all at once when full). */
function remembered(compute: (text: string) => Uint8Array): (text: string) => Uint8Array {
  const seen = new Map<string, Uint8Array>();
  return (text) => {
    let answer = seen.get(text);
    if (!answer) {
      answer = compute(text);
      if (seen.size >= CACHE_SIZE) seen.clear();
      seen.set(text, answer);
    }
    return answer;
  };
}

/** Boundaries per clause seen recently: agents' template sentences recur in every conversation. */
const runBoundaries = remembered(routeBoundaries);

/** Stretches cut recently: short runs of single characters recur far more often than whole clauses. */
const stretchBoundaries = remembered((stretch) => segmenterBoundaries(stretch));

/**
 * YES / NO for each position 0..run.length of the run as the segmenter itself cuts it. A
 * segmentation that does not add up to the run (never seen) leaves every position open (YES).
 */
export function segmenterBoundaries(run: string): Uint8Array {
  const bounds = new Uint8Array(run.length + 1).fill(NO);
  bounds[0] = YES;
  let at = 0;
  for (const word of cutWords(run)) {
    at += word.length;
    if (at > run.length) break;
    bounds[at] = YES;
  }
  if (at !== run.length) bounds.fill(YES);
  return bounds;
}
