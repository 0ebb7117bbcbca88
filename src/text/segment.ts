import { createRequire } from 'node:module';
import type { Jieba } from '@node-rs/jieba';
import type { NormalizedText } from './normalize.js';

/**
 * Chinese word boundaries from a real segmenter (jieba, via @node-rs/jieba: the maintained Rust port,
 * prebuilt binaries in the npm packages for the usual platforms). Consulted only for
 * turns where a lexicon entry that must align with words has a candidate hit, so turns without one
 * never pay for it; the dictionary loads on first use (~0.2 s).
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

/** Words of a run of Chinese text (HMM on, as jieba's default, so unknown words stay whole). */
export function cutWords(text: string): string[] {
  return segmenter().cut(text, true);
}

/**
 * Word boundaries of a normalised text, computed lazily: where the normaliser dropped punctuation
 * or spaces there is always a boundary, and each run between such places is segmented on its own
 * (as the clause it was) only when a position inside it is asked about. A turn with one candidate
 * hit pays for one clause, not the whole turn.
 */
export class WordBoundaries {
  private readonly runOf: Uint32Array;
  private readonly runStarts: number[] = [0];
  private readonly marks: Uint8Array;
  private readonly done: Uint8Array;

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
    this.done = new Uint8Array(this.runStarts.length);
  }

  /** True when a word boundary lies before unit i (0 and the length always). */
  at(i: number): boolean {
    if (this.marks[i] === 1) return true;
    const run = this.runOf[i]!;
    if (this.done[run] === 0) {
      this.done[run] = 1;
      markRun(this.norm.text, this.runStarts[run]!, this.runStarts[run + 1]!, this.marks);
    }
    return this.marks[i] === 1;
  }
}

/** Word lengths per clause seen recently: agents' template sentences recur in every conversation. */
const cache = new Map<string, readonly number[]>();
const CACHE_SIZE = 20_000;

function wordLengths(run: string): readonly number[] {
  let lengths = cache.get(run);
  if (!lengths) {
    lengths = cutWords(run).map((w) => w.length);
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(run, lengths);
  }
  return lengths;
}

function markRun(text: string, from: number, to: number, out: Uint8Array): void {
  let at = from;
  for (const length of wordLengths(text.slice(from, to))) {
    at += length;
    if (at > to) break;
    out[at] = 1;
  }
  // A segmentation that does not add up to the run (never seen) leaves every position open.
  if (at !== to) out.fill(1, from, to + 1);
}
