import HKVariantsRev from 'opencc-js/dict/HKVariantsRev';
import TSCharacters from 'opencc-js/dict/TSCharacters';
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';

/**
 * Traditional → simplified at character level, built once from OpenCC's own dictionaries
 * (via opencc-js). Character level keeps one code point in, one code point out, so offsets
 * survive; converting whole strings through opencc-js costs ~20× more (`npm run bench` measures it) and
 * its phrase rules only pick between simplified spellings, which lexicons can list anyway.
 */
function parseDict(dict: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const entry of dict.split('|')) {
    const [from, to] = entry.split(' ');
    if (!from || !to) continue;
    // Only single-code-point → single-code-point pairs keep the mapping 1:1.
    if ([...from].length === 1 && [...to].length === 1) pairs.push([from, to]);
  }
  return pairs;
}

function buildTable(): Map<number, number> {
  const table = new Map<number, number>();
  // Regional variants (TW/HK) → OpenCC traditional first, then traditional → simplified.
  const variants = new Map<number, number>();
  for (const [from, to] of [...parseDict(TWVariantsRev), ...parseDict(HKVariantsRev)]) {
    variants.set(from.codePointAt(0)!, to.codePointAt(0)!);
  }
  const ts = new Map<number, number>();
  for (const [from, to] of parseDict(TSCharacters)) ts.set(from.codePointAt(0)!, to.codePointAt(0)!);
  for (const [from, to] of ts) table.set(from, to);
  // A regional variant counts only when its standard form converts: "么 → 幺" in TWVariantsRev
  // must not turn the simplified 么 of 什么 into 幺.
  for (const [from, to] of variants) {
    const simplified = ts.get(to);
    if (simplified !== undefined && !table.has(from)) table.set(from, simplified);
  }
  return table;
}

let table: Map<number, number> | undefined;

export function toSimplifiedCodePoint(cp: number): number {
  table ??= buildTable();
  return table.get(cp) ?? cp;
}
