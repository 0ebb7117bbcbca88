import { RE2JS } from 're2js';
import { type NormalizeOptions, normalize } from './normalize.js';

/**
 * Lexicon patterns: RE2 syntax (linear time, no backtracking: compiled with re2js, never V8
 * RegExp) written against the text as the matcher sees it. Literal characters are normalised like
 * phrases (traditional → simplified, case, width; separators dropped in Chinese, folded to one space
 * in English), so `還有(什麼|其他)` and `还有(什么|其他)` are the same pattern; `…` is a short gap of
 * any characters (`.{0,gap}`). A pattern runs only on turns where one of its literal anchors was
 * found by the automaton, so lexicon size does not change the cost of a turn without them.
 */
export interface CompiledPattern {
  readonly source: string;
  /** The RE2 source actually compiled (normalised literals, `…` expanded). */
  readonly re2: string;
  readonly regex: RE2JS;
  /** Literal strings one of which occurs in every match (normalised). */
  readonly anchors: readonly string[];
  /**
   * Every set of literals the pattern requires (one string of each set occurs in every match),
   * anchors included: the pattern runs only on turns where each set has an occurrence.
   */
  readonly required: ReadonlyArray<readonly string[]>;
  /**
   * Literal sets of consecutive parts of the pattern, in the pattern's order: every match holds an
   * occurrence of one string of each, each ending before the next one's starts. Single characters
   * included (`(天|周|月)…(没|不)`), which `required` leaves out of the automaton: the matcher checks
   * this order on the turn's text before it runs the regex. One sequence per alternative of a
   * pattern that is an alternation (a match is one of them); none: no such check.
   */
  readonly sequences: ReadonlyArray<ReadonlyArray<readonly string[]>>;
  /**
   * Strings one of which every match starts with (the pattern's first part, when it is literal):
   * an open-ended pattern runs from the first of them rather than on the whole turn.
   */
  readonly startsWith?: readonly string[];
  /**
   * The longest match in UTF-16 units (Infinity with `*`, `+` or open repeats), so the matcher can
   * run the pattern on a window around each anchor instead of the whole turn.
   */
  readonly maxLength: number;
  /** Starts with `^` / ends with `$` (and uses neither elsewhere): it runs on the turn's start / end only. */
  readonly atStart: boolean;
  readonly atEnd: boolean;
  /** Uses `^` or `$` elsewhere: positions relative to the whole turn, so it runs on the whole turn. */
  readonly anchored: boolean;
  /**
   * Every string the pattern matches, when they are few (literals, alternatives, bounded repeats of
   * them: `(别家|其他店)`, `(这么|那么|太)(慢|久)了?`), each containing an anchor: the matcher then
   * finds them with the automaton and never runs the regex.
   */
  readonly literals?: readonly string[];
  /**
   * A pattern of literal parts separated by gaps (`还有(什么|其他)…(帮|效劳)`): every string each part
   * matches (few, non-empty) and the gaps' largest widths in characters. Where an anchor occurs, the
   * matcher searches for the parts and chains them (chainMatches) instead of running the regex. Chinese only:
   * English folds spaces at the parts' edges, and its patterns mostly align with word boundaries.
   */
  readonly segments?: { readonly parts: ReadonlyArray<readonly string[]>; readonly gaps: readonly number[] };
}

export class PatternError extends Error {}

type Node =
  | { t: 'lit'; s: string }
  | { t: 'set'; src: string; chars: string[] | undefined }
  | { t: 'any'; src: string }
  | { t: 'assert'; src: string }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number; src: string };

const META = /[\\^$.|?*+()[\]{}]/g;
const escapeMeta = (s: string) => s.replace(META, '\\$&');
/** The node `…` parses to (`.{0,gap}`), with its width. */
const GAP = /^\.\{0,(\d+)\}$/;

/** One character folded as the matcher folds text: '' (dropped) or ' ' (English separator) or its form. */
function foldChar(c: string, options: NormalizeOptions): string {
  const s = normalize(c, options).text;
  if (s.length > 0) return s;
  return options.separators === 'space' ? ' ' : '';
}

function parse(source: string, options: NormalizeOptions, gap: number): Node {
  let i = 0;
  const peek = () => source[i];
  const fail = (what: string): never => {
    throw new PatternError(`${what} at character ${i + 1}`);
  };

  function alt(): Node {
    const items = [cat()];
    while (peek() === '|') {
      i++;
      items.push(cat());
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  function cat(): Node {
    const items: Node[] = [];
    while (i < source.length && peek() !== '|' && peek() !== ')') {
      let node = atom();
      for (;;) {
        const q = quantifier();
        if (!q) break;
        if (node.t === 'assert') fail('a quantifier needs something to repeat');
        node = { t: 'rep', node, min: q.min, max: q.max, src: q.src };
      }
      items.push(node);
    }
    return { t: 'cat', items };
  }

  function quantifier(): { min: number; max: number; src: string } | undefined {
    const c = peek();
    let src: string;
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      i++;
      src = c;
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Number.POSITIVE_INFINITY;
    } else if (c === '{') {
      const m = /^\{(\d{1,3})(,(\d{0,3}))?\}/.exec(source.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      src = m[0];
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
      if (max < min) fail('a repeat range must not shrink');
    } else return undefined;
    if (peek() === '?') {
      i++;
      src += '?';
    }
    return { min, max, src };
  }

  function atom(): Node {
    const c = source[i]!;
    if (c === '(') {
      i++;
      if (peek() === '?') {
        if (source[i + 1] !== ':') fail('only (…) and (?:…) groups are supported');
        i += 2;
      }
      const inner = alt();
      if (peek() !== ')') fail('missing )');
      i++;
      return inner;
    }
    if (c === ')') fail('unmatched )');
    if (c === '[') return charClass();
    if (c === '.') {
      i++;
      return { t: 'any', src: '.' };
    }
    if (c === '^' || c === '$') {
      i++;
      return { t: 'assert', src: c };
    }
    if (c === '…') {
      i++;
      return { t: 'any', src: `.{0,${gap}}` };
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') fail('nothing to repeat');
    if (c === '\\') {
      const n = source[i + 1];
      if (n === undefined) fail('trailing backslash');
      if ('dDwWsS'.includes(n!)) {
        i += 2;
        return { t: 'any', src: `\\${n}` };
      }
      if (n === 'b' || n === 'B') {
        i += 2;
        return { t: 'assert', src: `\\${n}` };
      }
      if (n === 'p' || n === 'P') {
        const m = /^\\[pP](\{[A-Za-z_]+\}|[A-Za-z])/.exec(source.slice(i));
        if (!m) fail('bad \\p class');
        i += m![0].length;
        return { t: 'any', src: m![0] };
      }
      if (/[0-9A-Za-z]/.test(n!)) fail(`unsupported escape \\${n}`);
      i += 2;
      return { t: 'lit', s: foldChar(n!, options) };
    }
    const cp = source.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    i += ch.length;
    return { t: 'lit', s: foldChar(ch, options) };
  }

  function charClass(): Node {
    i++;
    let src = '[';
    const chars: string[] = [];
    let simple = true;
    if (peek() === '^') {
      src += '^';
      simple = false;
      i++;
    }
    let first = true;
    while (i < source.length && (peek() !== ']' || first)) {
      first = false;
      const c = source[i]!;
      if (c === '\\') {
        const n = source[i + 1];
        if (n === undefined) fail('trailing backslash');
        src += `\\${n}`;
        simple = false;
        i += 2;
        continue;
      }
      if (c === '-' && src.length > 1 && source[i + 1] !== ']') {
        src += '-';
        simple = false;
        i++;
        continue;
      }
      const ch = String.fromCodePoint(source.codePointAt(i)!);
      i += ch.length;
      const folded = foldChar(ch, options);
      if (folded.length !== 1) {
        // Folds to nothing or to several characters: the class keeps it as written.
        src += escapeMeta(ch);
        simple = false;
        continue;
      }
      src += /[\\\]^-]/.test(folded) ? `\\${folded}` : folded;
      chars.push(folded);
    }
    if (peek() !== ']') fail('missing ]');
    i++;
    return { t: 'set', src: `${src}]`, chars: simple && chars.length <= 16 ? chars : undefined };
  }

  const node = alt();
  if (i < source.length) fail('unmatched )');
  return node;
}

function emit(node: Node, options: NormalizeOptions): string {
  switch (node.t) {
    case 'lit':
      return escapeMeta(node.s);
    case 'set':
    case 'any':
    case 'assert':
      return node.src;
    case 'cat': {
      let out = '';
      for (const item of node.items) out += emit(item, options);
      // English separators fold to single spaces, as the text does.
      return options.separators === 'space' ? out.replace(/ {2,}/g, ' ') : out;
    }
    case 'alt':
      return `(?:${node.items.map((n) => emit(n, options)).join('|')})`;
    case 'rep':
      return `(?:${emit(node.node, options)})${node.src}`;
  }
}

/** The longest match of a node in UTF-16 units (a character may take two). */
function longest(node: Node): number {
  switch (node.t) {
    case 'lit':
      return node.s.length;
    case 'set':
      return 2;
    case 'any': {
      const gap = GAP.exec(node.src);
      return gap ? 2 * Number(gap[1]) : 2;
    }
    case 'assert':
      return 0;
    case 'cat':
      return node.items.reduce((n, item) => n + longest(item), 0);
    case 'alt':
      return Math.max(...node.items.map(longest));
    case 'rep':
      return node.max === 0 ? 0 : longest(node.node) * node.max;
  }
}

function usesAnchors(node: Node): boolean {
  switch (node.t) {
    case 'assert':
      return node.src === '^' || node.src === '$';
    case 'cat':
    case 'alt':
      return node.items.some(usesAnchors);
    case 'rep':
      return usesAnchors(node.node);
    default:
      return false;
  }
}

/** More strings than this and a pattern stays a regex (its automaton entries would outweigh it). */
const MAX_LITERALS = 1024;

/**
 * The strings a node matches when they are finitely many and at most `MAX_LITERALS` (no `.`, classes
 * other than plain character lists, assertions or open repeats), else undefined.
 */
function expand(node: Node): string[] | undefined {
  switch (node.t) {
    case 'lit':
      return [node.s];
    case 'set':
      return node.chars && node.chars.length > 0 ? [...new Set(node.chars)] : undefined;
    case 'any':
    case 'assert':
      return undefined;
    case 'alt': {
      const out = new Set<string>();
      for (const item of node.items) {
        const e = expand(item);
        if (!e) return undefined;
        for (const s of e) out.add(s);
      }
      return out.size <= MAX_LITERALS ? [...out] : undefined;
    }
    case 'cat': {
      let out: string[] = [''];
      for (const item of node.items) {
        const e = expand(item);
        if (!e || out.length * e.length > MAX_LITERALS) return undefined;
        out = concatenations(out, e);
      }
      return out;
    }
    case 'rep': {
      if (!Number.isFinite(node.max)) return undefined;
      const e = expand(node.node);
      if (!e) return undefined;
      const out = new Set<string>();
      let power: string[] = [''];
      for (let k = 0; k <= node.max; k++) {
        if (k >= node.min) for (const s of power) out.add(s);
        if (out.size > MAX_LITERALS) return undefined;
        if (k < node.max) {
          if (power.length * e.length > MAX_LITERALS) return undefined;
          power = concatenations(power, e);
        }
      }
      return [...out];
    }
  }
}

/** Every string of `heads` followed by one of `tails`, each once. */
function concatenations(heads: readonly string[], tails: readonly string[]): string[] {
  return [...new Set(heads.flatMap((a) => tails.map((b) => a + b)))];
}

/**
 * Alternatives one of which every match contains, and where: `pre` every match starts with one,
 * `suf` every match ends with one, `exact` every match is one. Only a set whose strings end where
 * the match ends may be glued to a next part, and only to one whose set starts where its match
 * starts: `(没有?|没)` requires 没 but also matches 没有, so 没 + 收到 is no anchor of `(没有?|没)收到`
 * (没有收到 lacks it), while `(事情?)` starts with 事 and `(这种)(事情?)` requires 这种事.
 */
interface Req {
  readonly set: string[];
  readonly pre: boolean;
  readonly suf: boolean;
  readonly exact: boolean;
}
type Required = Req | undefined;
/** Matches only the empty string (assertions, empty literals): transparent in a concatenation. */
const NEUTRAL: Req = { set: [], pre: true, suf: true, exact: true };
/** Alternatives an anchor set may hold, and how far adjacent parts may multiply. */
const MAX_ALTERNATIVES = 256;
const MAX_PRODUCT = 64;

const quality = (r: readonly string[]) => Math.min(...r.map((s) => s.length)) * 100 - r.length;

const whole = (set: string[]): Req => ({ set, pre: true, suf: true, exact: true });

function required(node: Node): Required {
  switch (node.t) {
    case 'lit':
      return node.s === '' ? NEUTRAL : whole([node.s]);
    case 'set':
      return node.chars && node.chars.length > 0 ? whole([...node.chars]) : undefined;
    case 'any':
      return undefined;
    case 'assert':
      return NEUTRAL;
    case 'rep': {
      if (node.min < 1) return undefined;
      const r = required(node.node);
      if (r === undefined || r === NEUTRAL) return r;
      // Exactly one of a set of strings, repeated at least `min` times: every match starts and ends
      // with `min` of them in a row ("e{3,}" requires "eee", which "he" in every "the" is not).
      if (r.exact && node.min > 1) {
        let set = r.set;
        let copies = 1;
        for (; copies < node.min && set.length * r.set.length <= MAX_PRODUCT; copies++)
          set = concatenations(set, r.set);
        return { set, pre: true, suf: true, exact: copies === node.min && node.max === node.min };
      }
      // Repeated, a match is several of the inner ones: it starts and ends like one, is none.
      return { ...r, exact: r.exact && node.max === 1 };
    }
    case 'alt': {
      const out: string[] = [];
      let pre = true;
      let suf = true;
      let exact = true;
      for (const item of node.items) {
        const r = required(item);
        if (r === undefined || r === NEUTRAL || r.set.length === 0) return undefined;
        out.push(...r.set);
        pre &&= r.pre;
        suf &&= r.suf;
        exact &&= r.exact;
      }
      return out.length <= MAX_ALTERNATIVES ? { set: [...new Set(out)], pre, suf, exact } : undefined;
    }
    case 'cat': {
      const runs = requiredRuns(node);
      let best: Required;
      for (const run of runs) if (!best || quality(run.set) > quality(best.set)) best = run;
      return best ?? (node.items.every((n) => required(n) === NEUTRAL) ? NEUTRAL : undefined);
    }
  }
}

/**
 * An optional part of a few whole strings (`(没有)?`), as those strings or none: glued into a run,
 * "还有(没有)?(可以|能)" requires 还有可以, 还有能, 还有没有可以 or 还有没有能 — far rarer than 还有 alone,
 * so the regex runs on fewer turns. Undefined for anything else (then `required` decides).
 */
function optional(node: Node): Req | undefined {
  if (node.t !== 'rep' || node.min !== 0 || node.max !== 1) return undefined;
  const r = required(node.node);
  if (r === undefined || r === NEUTRAL || !r.exact || r.set.length >= MAX_PRODUCT) return undefined;
  return { set: [...r.set, ''], pre: true, suf: true, exact: true };
}

/**
 * The literal sets a concatenation requires, in order; adjacent parts multiply ("还有" + (什么|其他))
 * when the first ends where its match ends and the second starts where its match starts.
 */
function requiredRuns(node: Extract<Node, { t: 'cat' }>): Req[] {
  const parts = node.items.map((n) => optional(n) ?? required(n)).filter((r) => r !== NEUTRAL);
  const runs: Req[] = [];
  let run: { set: string[]; from: number; first: Req; last: Req; n: number } | undefined;
  const close = (end: number) => {
    // A run of optional parts only may match nothing: it requires no string.
    if (!run || run.set.length === 0 || run.set.includes('')) return;
    const atStart = run.from === 0;
    const atEnd = end === parts.length;
    // Several parts glued: the first must be whole to start the match, the last whole to end it.
    const pre = atStart && (run.n === 1 ? run.first.pre : run.first.exact);
    const suf = atEnd && (run.n === 1 ? run.last.suf : run.last.exact);
    const exact = atStart && atEnd && run.n === parts.length && parts.every((r) => r?.exact);
    runs.push({ set: run.set, pre, suf, exact });
  };
  parts.forEach((r, k) => {
    if (r === undefined) {
      close(k);
      run = undefined;
      return;
    }
    // The run's strings end where the previous part's match ends only when that part is whole
    // (or alone and suffix-anchored).
    const open = run && (run.n === 1 ? run.last.suf : run.last.exact);
    if (run && open && r.pre && run.set.length * r.set.length <= MAX_PRODUCT) {
      run = { ...run, set: concatenations(run.set, r.set), last: r, n: run.n + 1 };
      return;
    }
    close(k);
    run = { set: r.set, from: k, first: r, last: r, n: 1 };
  });
  close(parts.length);
  return runs;
}

/**
 * Compiles a lexicon pattern. `anchors` given by the author replace the derived ones (for patterns
 * whose every literal is optional). Throws PatternError with a reason a QA manager can act on.
 */
export function compilePattern(
  source: string,
  options: NormalizeOptions,
  gap = 10,
  anchors?: readonly string[],
): CompiledPattern {
  const tree = parse(source, options, gap);
  const re2 = emit(tree, options);
  let regex: RE2JS;
  try {
    // Leftmost-longest, so the order of alternatives does not matter ("you|your" finds "your").
    regex = RE2JS.compile(re2, RE2JS.LONGEST_MATCH);
  } catch (err) {
    throw new PatternError((err as Error).message.replace(/^error parsing regexp: /, ''));
  }
  let found: readonly string[] | undefined;
  if (anchors && anchors.length > 0) {
    found = anchors.map((a) => normalize(a, options).text).filter((a) => a.length > 0);
  } else {
    const r = required(tree);
    found =
      r && r.set.length > 0 ? r.set.map((a) => (options.separators === 'space' ? a.trim() : a)) : undefined;
  }
  if (!found || found.length === 0 || found.some((a) => a.length === 0)) {
    throw new PatternError(
      'no literal text that every match contains; list some under `anchors` so the pattern runs only where they occur',
    );
  }
  // An anchor containing another is redundant: the shorter one already finds its turns.
  const unique = [...new Set(found)];
  const minimal = unique.filter((a) => !unique.some((b) => b !== a && a.includes(b)));
  const items = tree.t === 'cat' ? tree.items : [tree];
  const clean = (set: readonly string[]) => {
    const trimmed = [...new Set(set.map((a) => (options.separators === 'space' ? a.trim() : a)))];
    return trimmed.some((a) => a.length === 0)
      ? undefined
      : trimmed.filter((a) => !trimmed.some((b) => b !== a && a.includes(b)));
  };
  const sequences = orderedRuns(tree, clean) ?? [];
  // What every match contains, as found in the pattern: with the author's anchors too, these still
  // keep the regex from running where an anchor occurs without the rest ("if" in "verify").
  const derived = tree.t === 'cat' ? (sequences[0] ?? []) : [];
  const listed: string[][] =
    anchors && anchors.length > 0 ? [minimal, ...derived] : tree.t === 'cat' ? derived : [minimal];
  const sets = [...new Map(listed.map((set) => [set.join('\u0000'), set])).values()];
  if (!sets.some((set) => set.join('\u0000') === minimal.join('\u0000'))) sets.push(minimal);
  const firstRun = tree.t === 'cat' ? requiredRuns(tree)[0] : required(tree);
  // Untrimmed: the match starts exactly where one of these does.
  const startsWith =
    firstRun &&
    firstRun !== NEUTRAL &&
    firstRun.pre &&
    firstRun.set.length > 0 &&
    firstRun.set.every((a) => a.length > 0)
      ? firstRun.set
      : undefined;
  const atStart = items[0]?.t === 'assert' && items[0].src === '^';
  const atEnd =
    items.length > 1 && items.at(-1)?.t === 'assert' && (items.at(-1) as { src: string }).src === '$';
  const inner = items.slice(atStart ? 1 : 0, atEnd ? -1 : undefined);
  // The expansion stands for the regex only when it is exactly its language: English folds adjacent
  // spaces of the source into one (emit), so an expansion with two spaces in a row is not used; and
  // every string must contain an anchor, so that the regex would have run where it occurs.
  const expanded = expand(tree);
  const literals =
    expanded &&
    expanded.length > 0 &&
    expanded.every((s) => s.length > 0 && !s.includes('  ') && minimal.some((a) => s.includes(a)))
      ? expanded
      : undefined;
  const segments = literals || options.separators === 'space' ? undefined : gapSegments(tree);
  return {
    source,
    re2,
    regex,
    anchors: minimal,
    required: sets,
    sequences,
    ...(startsWith && { startsWith }),
    maxLength: longest(tree),
    atStart,
    atEnd,
    anchored: inner.some(usesAnchors),
    ...(literals && { literals }),
    ...(segments && { segments }),
  };
}

/** Strings a part of a gap pattern may match, at most (more: the regex runs as before). */
const MAX_PART_STRINGS = 128;

/**
 * The parts and gaps of a pattern that is literal parts separated by `…` gaps, starting and ending
 * with a part (see CompiledPattern.segments), else undefined.
 */
function gapSegments(tree: Node): CompiledPattern['segments'] {
  if (tree.t !== 'cat') return undefined;
  const parts: string[][] = [];
  const gaps: number[] = [];
  let group: Node[] = [];
  const close = (): boolean => {
    if (group.length === 0) return false;
    const strings = expand({ t: 'cat', items: group });
    if (!strings || strings.length > MAX_PART_STRINGS || strings.some((x) => x.length === 0)) return false;
    parts.push(strings);
    group = [];
    return true;
  };
  for (const item of tree.items) {
    const gap = item.t === 'any' ? GAP.exec(item.src) : null;
    if (gap) {
      if (!close()) return undefined;
      gaps.push(Number(gap[1]));
    } else group.push(item);
  }
  if (!close() || parts.length < 2) return undefined;
  return { parts, gaps };
}

/** Alternatives of an alternation given a sequence each, at most (more: no check). */
const MAX_SEQUENCES = 64;

/**
 * The literal sets of a node's consecutive parts, in order, per alternative (see `sequences`), or
 * undefined when some alternative has none. `clean` trims and dedupes a set (undefined: unusable).
 */
function orderedRuns(
  node: Node,
  clean: (set: readonly string[]) => string[] | undefined,
): string[][][] | undefined {
  if (node.t === 'alt') {
    const out: string[][][] = [];
    for (const item of node.items) {
      const runs = orderedRuns(item, clean);
      if (!runs) return undefined;
      out.push(...runs);
    }
    return out.length <= MAX_SEQUENCES ? out : undefined;
  }
  if (node.t === 'cat') {
    const runs = requiredRuns(node).flatMap((r) => {
      const c = clean(r.set);
      return c && c.length > 0 ? [c] : [];
    });
    return runs.length > 0 ? [runs] : undefined;
  }
  const r = required(node);
  const c = r && r !== NEUTRAL ? clean(r.set) : undefined;
  return c && c.length > 0 ? [[c]] : undefined;
}

/**
 * Whether, for one of the sequences (or with none), one string of each set occurs in the text in the
 * sets' order, each starting where or after the previous one ends: necessary for any match of a
 * pattern whose `sequences` these are. Taking the earliest end each time finds such an order
 * whenever one exists.
 */
export function sequencesOccur(
  sequences: ReadonlyArray<ReadonlyArray<readonly string[]>>,
  text: string,
): boolean {
  return sequences.length === 0 || sequences.some((q) => occursInOrder(q, text));
}

/** One sequence of `sequencesOccur`: each set in turn, from where the previous one's earliest occurrence ends. */
function occursInOrder(sequence: ReadonlyArray<readonly string[]>, text: string): boolean {
  let from = 0;
  for (const set of sequence) {
    let end = -1;
    for (const s of set) {
      const at = text.indexOf(s, from);
      if (at >= 0 && (end < 0 || at + s.length < end)) end = at + s.length;
    }
    if (end < 0) return false;
    from = end;
  }
  return true;
}

/**
 * What the regex finds (non-overlapping, leftmost-longest: findAll, findAround) from every
 * occurrence of a pattern's literals, overlapping ones included, sorted by start.
 */
export function leftmostLongest(spans: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = 0;
  for (let i = 0; i < spans.length; ) {
    const s = spans[i]![0];
    let e = spans[i]![1];
    let j = i + 1;
    for (; j < spans.length && spans[j]![0] === s; j++) if (spans[j]![1] > e) e = spans[j]![1];
    if (s >= from) {
      out.push([s, e]);
      from = e;
    }
    i = j;
  }
  return out;
}

/** Every non-overlapping, non-empty match in the text, as [start, end) pairs. */
export function findAll(pattern: CompiledPattern, text: string): Array<[number, number]> {
  return findIn(pattern, text, 0, []);
}

/**
 * Matches per text seen recently, per pattern: agents' template sentences recur in every
 * conversation, and a regex run costs far more than a lookup. Bounded; cleared when full.
 */
const recent = new WeakMap<CompiledPattern, Map<string, ReadonlyArray<readonly [number, number]>>>();
const RECENT_PER_PATTERN = 2_000;

function findIn(pattern: CompiledPattern, text: string, offset: number, out: Array<[number, number]>) {
  let cache = recent.get(pattern);
  if (!cache) {
    cache = new Map();
    recent.set(pattern, cache);
  }
  let found = cache.get(text);
  if (!found) {
    const list: Array<[number, number]> = [];
    const m = pattern.regex.matcher(text);
    while (m.find()) {
      const s = m.start();
      const e = m.end();
      if (e > s) list.push([s, e]);
    }
    if (cache.size >= RECENT_PER_PATTERN) cache.clear();
    cache.set(text, list);
    found = list;
  }
  for (const [s, e] of found) out.push([s + offset, e + offset]);
  return out;
}

/**
 * Matches that contain one of the given anchor occurrences: the pattern runs on a window of
 * `maxLength` around each (merged when they overlap), not on the whole text, unless it is
 * unbounded or uses `^`/`$`.
 */
export function findAround(
  pattern: CompiledPattern,
  text: string,
  occurrences: ReadonlyArray<readonly [number, number]>,
): Array<[number, number]> {
  const reach = pattern.maxLength;
  if (pattern.anchored) return findAll(pattern, text);
  if (!Number.isFinite(reach)) {
    if (!pattern.startsWith || pattern.atStart) return findAll(pattern, text);
    // Every match starts where one of `startsWith` does: nothing before the first can match. One
    // character more is kept so that `\b` at the slice's edge sees what the whole turn holds.
    let first = -1;
    for (const s of pattern.startsWith) {
      const at = text.indexOf(s);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    if (first < 0) return [];
    const from = Math.max(0, first - 1);
    return from === 0 ? findAll(pattern, text) : findIn(pattern, text.slice(from), from, []);
  }
  if (pattern.atStart || pattern.atEnd) {
    // A match lies within `reach` of the start (or end): nothing to do when no anchor is there.
    if (pattern.atStart && pattern.atEnd) return text.length <= reach ? findAll(pattern, text) : [];
    // A match of `^…` starts at 0, so with one of `startsWith` when the pattern has them.
    const near = pattern.atStart
      ? pattern.startsWith
        ? pattern.startsWith.some((s) => text.startsWith(s))
        : occurrences.some(([s]) => s < reach)
      : occurrences.some(([, e]) => e > text.length - reach);
    if (!near) return [];
    const from = pattern.atStart ? 0 : Math.max(0, text.length - reach);
    return findIn(pattern, text.slice(from, pattern.atStart ? reach : text.length), from, []);
  }
  const windows = occurrences
    .map(([s, e]): [number, number] => [Math.max(0, s - reach), Math.min(text.length, e + reach)])
    .sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  let [from, to] = windows[0] ?? [0, 0];
  for (let i = 1; i <= windows.length; i++) {
    const w = windows[i];
    if (w && w[0] <= to) {
      to = Math.max(to, w[1]);
      continue;
    }
    findIn(pattern, text.slice(from, to), from, out);
    if (w) [from, to] = w;
  }
  // Windows that touched may report one match twice.
  return out.filter((m, i) => i === 0 || m[0] >= out[i - 1]![1]);
}

/** Anchored regex runs findAligned may spend on near misses per call: a turn full of them stays linear. */
const REPAIR_BUDGET = 64;

/**
 * Matches that start and end on boundaries (`at(i)`: one lies before unit i), non-overlapping,
 * leftmost first, longest among the aligned ones from a start. The leftmost-longest matches are
 * kept where they align; where one does not, shorter matches from its start and later starts
 * inside it are tried (each an anchored run on at most `maxLength` characters), so an aligned
 * occurrence is found whenever one exists, up to `REPAIR_BUDGET` runs per call. No match starts
 * between two leftmost-longest ones, so nothing else needs looking at.
 */
export function findAligned(
  pattern: CompiledPattern,
  text: string,
  occurrences: ReadonlyArray<readonly [number, number]>,
  at: (i: number) => boolean,
): Array<[number, number]> {
  const base = findAround(pattern, text, occurrences);
  if (base.every(([s, e]) => at(s) && at(e))) return base;
  // `^`/`$` inside the pattern: a slice of the text would move them.
  if (pattern.anchored) return base.filter(([s, e]) => at(s) && at(e));
  let budget = REPAIR_BUDGET;
  const reach = pattern.maxLength;
  /** End of the longest match starting at p, or -1. */
  const longestFrom = (p: number): number => {
    if (pattern.atStart && p > 0) return -1;
    const to = pattern.atEnd || !Number.isFinite(reach) ? text.length : Math.min(text.length, p + reach);
    const m = pattern.regex.matcher(text.slice(p, to));
    return m.lookingAt() ? p + m.end() : -1;
  };
  /** The aligned match of the longest reach starting at a position in [from, to), if any. */
  const repair = (from: number, to: number): [number, number] | undefined => {
    for (let p = from; p < to && budget > 0; p++) {
      if (!at(p)) continue;
      budget--;
      const end = longestFrom(p);
      if (end <= p) continue;
      if (at(end)) return [p, end];
      // With `$` a shorter end is not the text's end.
      if (pattern.atEnd) continue;
      for (let q = end - 1; q > p && budget > 0; q--) {
        if (!at(q)) continue;
        budget--;
        if (pattern.regex.matcher(text.slice(p, q)).matches()) return [p, q];
      }
    }
    return undefined;
  };
  const out: Array<[number, number]> = [];
  let floor = 0;
  for (const [s, e] of base) {
    if (e <= floor) continue;
    if (s >= floor && at(s) && at(e)) {
      out.push([s, e]);
      floor = e;
      continue;
    }
    for (let from = Math.max(s, floor); from < e; ) {
      const found = repair(from, e);
      if (!found) break;
      out.push(found);
      floor = found[1];
      from = found[1];
    }
  }
  return out;
}
