/**
 * Matches of a gap pattern (`还有(什么|其他)…(帮|效劳)…(吗|呢)`) from the occurrences of its parts,
 * as the regex finds them: leftmost first, the longest from that start, non-overlapping, each part
 * starting 0 to `gaps[i]` characters after the previous one ends, with no line break between
 * (RE2's `.` does not match one). Given every occurrence of every part (a few string searches in a
 * short turn), this costs a few comparisons per occurrence instead of a regex run per window.
 */
export type Span = readonly [number, number];

/** Index of the first span whose start is ≥ `at` (spans sorted by start). */
export function lowerBound(spans: readonly Span[], at: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]![0] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every occurrence of each string in the text, overlapping ones included, sorted by start then end. */
export function occurrencesOf(text: string, strings: readonly string[]): Span[] {
  const spans: Array<[number, number]> = [];
  for (const x of strings)
    for (let i = text.indexOf(x); i >= 0; i = text.indexOf(x, i + 1)) spans.push([i, i + x.length]);
  return spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/**
 * `parts[i]`: every occurrence of a string of part i, sorted by start then end; `gaps[i]`: the
 * widest gap between part i and part i + 1.
 */
export function chainMatches(
  text: string,
  parts: ReadonlyArray<readonly Span[]>,
  gaps: readonly number[],
): Array<[number, number]> {
  // reach[j]: the furthest end a chain starting with occurrence j of the current part gets to, or -1.
  let after: Int32Array | undefined;
  for (let i = parts.length - 1; i >= 0; i--) {
    const spans = parts[i]!;
    const reach = new Int32Array(spans.length).fill(-1);
    for (let j = 0; j < spans.length; j++) {
      const end = spans[j]![1];
      if (!after) {
        reach[j] = end;
        continue;
      }
      const next = parts[i + 1]!;
      const max = gaps[i]!;
      // Code points between `end` and the next part's start, counted as the starts advance, so a
      // long turn full of occurrences costs the gap once per occurrence, not once per pair.
      let at = end;
      let points = 0;
      for (let m = lowerBound(next, end); m < next.length; m++) {
        const start = next[m]![0];
        // A line break ends the gap (RE2's "." does not match it); a low surrogate continues the
        // code point its high surrogate began.
        for (; at < start && points <= max; at++) {
          const c = text.charCodeAt(at);
          if (c === 10) points = max + 1;
          else if (c < 0xdc00 || c > 0xdfff) points++;
        }
        if (points > max) break;
        if (after[m]! > reach[j]!) reach[j] = after[m]!;
      }
    }
    after = reach;
  }
  const first = parts[0] ?? [];
  const out: Array<[number, number]> = [];
  let from = 0;
  for (let j = 0; j < first.length; ) {
    const start = first[j]![0];
    let end = -1;
    for (; j < first.length && first[j]![0] === start; j++) end = Math.max(end, after![j]!);
    if (start >= from && end > start) {
      out.push([start, end]);
      from = end;
    }
  }
  return out;
}
