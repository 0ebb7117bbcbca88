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
 * `out[i] === 1` when a word boundary lies before unit i of the normalised text (so 0 and length
 * always). Where the normaliser dropped punctuation or spaces there is always a boundary; each run
 * between them is segmented on its own, as the sentence it was.
 */
export function wordBoundaries(norm: NormalizedText): Uint8Array {
  const text = norm.text;
  const out = new Uint8Array(text.length + 1);
  out[0] = 1;
  out[text.length] = 1;
  let runStart = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i < text.length && norm.starts[i]! <= norm.ends[i - 1]!) continue;
    out[i] = 1;
    markRun(text, runStart, i, out);
    runStart = i;
  }
  return out;
}

function markRun(text: string, from: number, to: number, out: Uint8Array): void {
  const words = cutWords(text.slice(from, to));
  let at = from;
  for (const w of words) {
    at += w.length;
    if (at > to) break;
    out[at] = 1;
  }
  // A segmentation that does not add up to the run (never seen) leaves every position open.
  if (at !== to) out.fill(1, from, to + 1);
}
