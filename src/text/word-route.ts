/**
 * Word boundaries of a run of Chinese text decided from jieba's own dictionary, in JS, where the
 * dictionary alone settles them: no call into the segmenter, no HMM.
 *
 * jieba (with HMM, as segment.ts uses it) cuts a run in two steps: the most probable path through
 * the dictionary words of the run (the "route"), then every stretch of two or more consecutive
 * single-character route words that is not itself a dictionary word goes to the HMM, which may join
 * characters of that stretch into words. So:
 *   - inside a route word of two or more characters: never a boundary;
 *   - at either end of such a word, or of a stretch of single characters: always a boundary;
 *   - between two characters of a single-character stretch: a boundary when the stretch is a
 *     dictionary word (jieba then keeps its characters apart), otherwise the HMM's to say (UNKNOWN).
 * The route is computed as jieba computes it (same dictionary, same sums in the same order, ties to
 * the longer word); where two paths come within a hair of each other the run is left UNKNOWN rather
 * than trusting the last bit of a logarithm. UNKNOWN positions go to the real segmenter: the
 * answers are jieba's answers, only cheaper (test/text/word-route.test.ts checks them against it).
 */
import { createRequire } from 'node:module';

export const NO = 0;
export const YES = 1;
export const UNKNOWN = 2;

const require = createRequire(import.meta.url);

/**
 * The dictionary as a trie: the root's transitions in a dense row by character, every other
 * transition (node, character) → node in one open-addressing table, the three fields of a slot
 * side by side (one cache line per probe: the table is megabytes, so probes are memory-bound).
 */
interface Trie {
  root: Int32Array;
  mask: number;
  /** Per slot: node, character, child (node −1: empty). */
  table: Int32Array;
  /**
   * One bit per hash of each transition, small enough to stay in cache: most steps past the
   * first find no word going on, and this says so without touching the table.
   */
  filter: Int32Array;
  /** ln(frequency) − ln(total) per node that ends a word; NaN for nodes that only begin words. */
  logp: Float64Array;
  /** ln(1) − ln(total): a character no dictionary word starts with. */
  unknown: number;
}

let trie: Trie | undefined;

function hash(node: number, ch: number, mask: number): number {
  return ((Math.imul(node, 0x9e3779b1) ^ Math.imul(ch, 0x85ebca6b)) >>> 0) & mask;
}

/** Loads the dictionary now rather than on the first turn that needs it. */
export function loadRouteDictionary(): void {
  trie ??= load();
}

/** Lines "word frequency tag", as jieba reads them; a later line for the same word replaces its frequency. */
function load(): Trie {
  const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
  const text = Buffer.from(dict.buffer, dict.byteOffset, dict.byteLength).toString('utf8');
  const root = new Int32Array(0x10000).fill(-1);
  const slots = 1 << 20;
  const mask = slots - 1;
  const table = new Int32Array(slots * 3);
  for (let h = 0; h < slots; h++) table[h * 3] = -1;
  const filter = new Int32Array(FILTER_BITS >> 5);
  let freq = new Float64Array(1 << 19).fill(-1);
  let nodes = 1;
  let used = 0;
  let total = 0;
  const grow = () => {
    if (nodes > freq.length) {
      const grown = new Float64Array(freq.length * 2).fill(-1);
      grown.set(freq);
      freq = grown;
    }
  };
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const fields = text.slice(at, end).trim().split(/\s+/);
    at = end + 1;
    const word = fields[0];
    if (!word) continue;
    const f = fields[1] === undefined ? 0 : Number.parseInt(fields[1], 10);
    let node = 0;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (node === 0) {
        if (root[c] === -1) {
          root[c] = nodes++;
          grow();
        }
        node = root[c]!;
        continue;
      }
      let h = hash(node, c, mask);
      while (table[h * 3] !== -1 && (table[h * 3] !== node || table[h * 3 + 1] !== c)) h = (h + 1) & mask;
      if (table[h * 3] === -1) {
        if (++used * 2 >= slots) throw new Error('segmenter dictionary larger than its table');
        table[h * 3] = node;
        table[h * 3 + 1] = c;
        table[h * 3 + 2] = nodes++;
        grow();
        const bit = filterBit(node, c);
        filter[bit >> 5]! |= 1 << (bit & 31);
      }
      node = table[h * 3 + 2]!;
    }
    if (freq[node]! >= 0) total -= freq[node]!;
    freq[node] = f;
    total += f;
  }
  const logtotal = Math.log(total);
  const logp = new Float64Array(nodes).fill(Number.NaN);
  for (let n = 0; n < nodes; n++) if (freq[n]! >= 0) logp[n] = Math.log(freq[n]!) - logtotal;
  return { root, mask, table, filter, logp, unknown: Math.log(1) - logtotal };
}

const FILTER_BITS = 1 << 22;

function filterBit(node: number, ch: number): number {
  return ((Math.imul(node ^ (ch << 19), 0x2c1b3c6d) ^ Math.imul(ch, 0x297a2d39)) >>> 10) & (FILTER_BITS - 1);
}

function step(t: Trie, node: number, ch: number): number {
  if (node === 0) return t.root[ch]!;
  const bit = filterBit(node, ch);
  if ((t.filter[bit >> 5]! & (1 << (bit & 31))) === 0) return -1;
  const { table, mask } = t;
  for (let h = hash(node, ch, mask); ; h = (h + 1) & mask) {
    const k = table[h * 3]!;
    if (k === -1) return -1;
    if (k === node && table[h * 3 + 1] === ch) return table[h * 3 + 2]!;
  }
}

/** Route arrays reused from run to run (one run at a time, to completion). */
let scratch = { best: new Float64Array(256), next: new Int32Array(256) };

/** Relative gap under which two route candidates count as tied for the last bits of their sums. */
const CLOSE = 1e-9;

/** Only runs jieba takes as one block of CJK ideographs (its block pattern includes this range in every version). */
function decidable(run: string): boolean {
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c < 0x4e00 || c > 0x9fd5) return false;
  }
  return run.length > 0;
}

/**
 * YES / NO / UNKNOWN for each position 0..run.length of the run (0 and the length are YES): what
 * jieba's cut with HMM says about a boundary there, where the dictionary settles it.
 */
export function routeBoundaries(run: string): Uint8Array {
  const n = run.length;
  const out = new Uint8Array(n + 1).fill(UNKNOWN);
  out[0] = YES;
  out[n] = YES;
  if (!decidable(run)) return out;
  trie ??= load();
  const t = trie;
  // The route, right to left: best[i] is the best log-probability of run[i..], next[i] its first word's end.
  if (scratch.best.length <= n)
    scratch = { best: new Float64Array(2 * n + 2), next: new Int32Array(2 * n + 2) };
  const { best, next } = scratch;
  best[n] = 0;
  for (let i = n - 1; i >= 0; i--) {
    let node = 0;
    let top = Number.NEGATIVE_INFINITY;
    let second = Number.NEGATIVE_INFINITY;
    let end = -1;
    for (let j = i; j < n; j++) {
      node = step(t, node, run.charCodeAt(j));
      if (node < 0) break;
      const p = t.logp[node]!;
      if (Number.isNaN(p)) continue;
      const v = p + best[j + 1]!;
      // ≥: on a tie jieba keeps the longer word (its max_by returns the last maximum).
      if (v >= top) {
        second = top;
        top = v;
        end = j + 1;
      } else if (v > second) second = v;
    }
    if (end < 0) {
      top = t.unknown + best[i + 1]!;
      end = i + 1;
    } else if (top - second <= CLOSE * Math.abs(top)) {
      return out;
    }
    best[i] = top;
    next[i] = end;
  }
  for (let i = 0; i < n; ) {
    const j = next[i]!;
    if (j - i > 1) {
      out[i] = YES;
      out.fill(NO, i + 1, j);
      out[j] = YES;
      i = j;
      continue;
    }
    // A stretch of single-character words [i, k).
    let k = j;
    while (k < n && next[k] === k + 1) k++;
    out[i] = YES;
    out[k] = YES;
    if (k - i >= 2 && isWord(t, run, i, k)) out.fill(YES, i + 1, k);
    i = k;
  }
  return out;
}

function isWord(t: Trie, run: string, from: number, to: number): boolean {
  let node = 0;
  for (let j = from; j < to && node >= 0; j++) node = step(t, node, run.charCodeAt(j));
  return node >= 0 && !Number.isNaN(t.logp[node]!);
}
