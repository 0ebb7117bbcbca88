/**
 * Aho–Corasick over UTF-16 code units: one pass finds every occurrence of every pattern,
 * overlapping ones included (exceptions need them), at a cost independent of the number
 * of patterns. Hand-written because the maintained npm automata we measured are grapheme-
 * aware and ~30× slower (`npm run bench` compares this one against a naive baseline).
 *
 * Layout: built with a Map keyed by state * 65536 + unit, then flattened for the scan: the root's
 * transitions as a dense row, every other state's as a sorted run in one array; the pattern ids
 * ending at each state as a run in one array; `dictLink` jumps to the next state on the fail chain
 * that has outputs.
 */
export interface AcMatch {
  pattern: number;
  start: number;
  end: number;
}

export interface AhoCorasick {
  readonly patternCount: number;
  /** Calls `onMatch(patternId, start, end)` for every occurrence, in order of end offset. */
  scan(text: string, onMatch: (pattern: number, start: number, end: number) => void): void;
  findAll(text: string): AcMatch[];
}

const ALPHABET = 65536;
/** Lazy DFA rows only for alphabets this small (a row per state holds one cell per unit). */
const MAX_LAZY_CLASSES = 64;
/** At most this many states get a row (64 cells × 4 bytes each: 4 MB). */
const MAX_ROWS = 16_384;

export function buildAhoCorasick(patterns: readonly string[]): AhoCorasick {
  const goto = new Map<number, number>();
  const fail: number[] = [0];
  const depth: number[] = [0];
  const outputs: number[][] = [[]];
  const children: number[][] = [[]];

  patterns.forEach((pattern, id) => {
    if (pattern.length === 0) return;
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const key = state * ALPHABET + pattern.charCodeAt(i);
      let next = goto.get(key);
      if (next === undefined) {
        next = fail.length;
        fail.push(0);
        depth.push(depth[state]! + 1);
        outputs.push([]);
        children.push([]);
        goto.set(key, next);
        children[state]!.push(pattern.charCodeAt(i));
      }
      state = next;
    }
    outputs[state]!.push(id);
  });

  // Breadth-first: fail links and dictionary-suffix links.
  const dictLink = new Int32Array(fail.length).fill(-1);
  const queue: number[] = [];
  for (const unit of children[0]!) {
    const s = goto.get(unit)!;
    queue.push(s);
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    const f = fail[state]!;
    dictLink[state] = outputs[f]!.length > 0 ? f : dictLink[f]!;
    for (const unit of children[state]!) {
      const child = goto.get(state * ALPHABET + unit)!;
      let g = f;
      let target = goto.get(g * ALPHABET + unit);
      while (target === undefined && g !== 0) {
        g = fail[g]!;
        target = goto.get(g * ALPHABET + unit);
      }
      fail[child] = target !== undefined && target !== child ? target : 0;
      queue.push(child);
    }
  }

  // Outputs of all states in one array (state st's are outputIds[outputStart[st]…outputStart[st + 1]]):
  // an array object per state would cost more memory than the transitions themselves.
  const outputStart = new Int32Array(fail.length + 1);
  for (let st = 0; st < fail.length; st++) outputStart[st + 1] = outputStart[st]! + outputs[st]!.length;
  const outputIds = new Int32Array(outputStart[fail.length]!);
  for (let st = 0; st < fail.length; st++) outputIds.set(outputs[st]!, outputStart[st]!);
  const depths = Int32Array.from(depth);
  const fails = Int32Array.from(fail);
  // Transitions for the scan: the root's as a dense row (most steps end at the root or leave from
  // it), every other state's as a sorted run of units in one array (few children each: a short scan
  // beats a hash lookup, and the cost no longer grows with the number of states).
  const root = new Int32Array(ALPHABET);
  for (const unit of children[0]!) root[unit] = goto.get(unit)!;
  const first = new Int32Array(fail.length + 1);
  for (let st = 0; st < fail.length; st++) first[st + 1] = first[st]! + (st === 0 ? 0 : children[st]!.length);
  const units = new Uint16Array(first[fail.length]!);
  const targets = new Int32Array(first[fail.length]!);
  // One bit per (unit mod 32) a state has a child for: most misses are decided without a search.
  const mask = new Uint32Array(fail.length);
  for (let st = 1; st < fail.length; st++) {
    const sorted = [...children[st]!].sort((x, y) => x - y);
    sorted.forEach((unit, k) => {
      units[first[st]! + k] = unit;
      targets[first[st]! + k] = goto.get(st * ALPHABET + unit)!;
      mask[st] = mask[st]! | (1 << (unit & 31));
    });
  }
  const step = (st: number, unit: number): number => {
    if ((mask[st]! & (1 << (unit & 31))) === 0) return -1;
    let lo = first[st]!;
    let hi = first[st + 1]!;
    if (hi - lo <= 8) {
      for (; lo < hi; lo++) {
        const u = units[lo]!;
        if (u === unit) return targets[lo]!;
        if (u > unit) return -1;
      }
      return -1;
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const u = units[mid]!;
      if (u === unit) return targets[mid]!;
      if (u < unit) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  };

  /** The transition from `st` on `unit`, following fail links. */
  const delta = (st: number, unit: number): number => {
    while (st !== 0) {
      const next = step(st, unit);
      if (next >= 0) return next;
      st = fails[st]!;
    }
    return root[unit]!;
  };

  // A unit no pattern contains sends every state back to the root: one lookup instead of a walk
  // down the fail chain. For a small alphabet (English: letters, digits, space), transitions are
  // also remembered per state as they are first taken (a lazy DFA, rows for at most MAX_ROWS
  // states): an English text keeps the automaton deep, where the fail walk is longest.
  const inAlphabet = new Uint8Array(ALPHABET);
  const classOf = new Uint8Array(ALPHABET);
  let classes = 1;
  for (const pattern of patterns) {
    for (let i = 0; i < pattern.length; i++) {
      const unit = pattern.charCodeAt(i);
      if (inAlphabet[unit] === 0) {
        inAlphabet[unit] = 1;
        if (classes < 256) classOf[unit] = classes;
        classes++;
      }
    }
  }
  const lazy = classes <= MAX_LAZY_CLASSES;
  const rowOf = lazy ? new Int32Array(fail.length).fill(-1) : new Int32Array(0);
  let rows = new Int32Array(0);
  let rowCount = 0;
  const rowFor = (st: number): number => {
    if (rowCount >= MAX_ROWS) return -1;
    const at = rowCount * classes;
    if (at + classes > rows.length) {
      const grown = new Int32Array(Math.max(rows.length * 2, classes * 64));
      grown.set(rows);
      rows = grown;
    }
    rows.fill(-1, at, at + classes);
    rowOf[st] = at;
    rowCount++;
    return at;
  };

  function scan(text: string, onMatch: (pattern: number, start: number, end: number) => void): void {
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (inAlphabet[unit] === 0) {
        state = 0;
        continue;
      }
      if (state === 0) state = root[unit]!;
      else if (lazy) {
        let row = rowOf[state]!;
        if (row < 0) row = rowFor(state);
        if (row < 0) state = delta(state, unit);
        else {
          const cell = row + classOf[unit]!;
          let next = rows[cell]!;
          if (next < 0) {
            next = delta(state, unit);
            rows[cell] = next;
          }
          state = next;
        }
      } else state = delta(state, unit);
      let out = outputStart[state + 1]! > outputStart[state]! ? state : dictLink[state]!;
      while (out > 0) {
        const len = depths[out]!;
        for (let k = outputStart[out]!, end = outputStart[out + 1]!; k < end; k++)
          onMatch(outputIds[k]!, i + 1 - len, i + 1);
        out = dictLink[out]!;
      }
    }
  }

  return {
    patternCount: patterns.length,
    scan,
    findAll(text) {
      const found: AcMatch[] = [];
      scan(text, (pattern, start, end) => found.push({ pattern, start, end }));
      return found;
    },
  };
}
