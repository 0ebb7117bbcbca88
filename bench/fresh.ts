/**
 * Turns made new: the screener remembers recent clauses and pattern windows, and real traffic is not
 * the same conversations again, so benchmarks that reuse a corpus mark each turn with three
 * characters (a made-up word in other languages) that no bundled lexicon holds, 32,768 combinations
 * per language. The mark goes where the anchored entries do not look: Chinese openers are matched
 * at a turn's start (^亲…), English sign-offs at its end (…$). On JDDC 1 of 494 conversations gets
 * another finding with the mark, on the Twitter care threads 1 of 525 (at the other end: 28 and 8).
 */
const ZH = '山松草木林石云雪柏竹梅兰菊桃李杏柳枫荷江湖岛峰岩沙泉溪鹤燕鹭莺鸥';
const EN = 'bcdfghjklmnpqrstvwxzbcdfghjklmnp';

/** The turn's text with variant `v`'s mark: three characters after it (zh), a made-up word before it (others). */
export function freshText(text: string, v: number, language: string): string {
  const set = language === 'zh' ? ZH : EN;
  const three = set[v % 32]! + set[(v >> 5) % 32]! + set[(v >> 10) % 32]!;
  return language === 'zh' ? text + three : `zq${three} ${text}`;
}
