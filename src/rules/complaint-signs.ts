import { z } from 'zod';

/**
 * Signs of annoyance that live on the surface of a message and that normalisation drops before the
 * lexicons see it: a frowning emoji, "??" or "!!", shouting in capitals. None of them is a
 * complaint by itself except a negative emoji (negative emotion, as a reviewer reads it); together
 * with a weak phrase ("tried everything", "怎么办") they are. Pure functions on the original text.
 *
 * The expressions are fixed here (never user input) and have no nested or overlapping repetition,
 * so V8 runs them in linear time.
 */
export const SignKind = z.enum(['negative-emoji', 'repeated-marks', 'shouting']);
export type SignKind = z.infer<typeof SignKind>;

export interface Sign {
  readonly kind: SignKind;
  /** Offsets in the original text. */
  readonly start: number;
  readonly end: number;
}

const EXPRESSIONS: Readonly<Record<SignKind, RegExp>> = {
  // Frowning, crying, angry, eye-rolling, sceptical faces and text emoticons (:( :-( :'( >:( T_T -_-).
  // Not ":/" (every URL has one) and not laughing faces (😂 is as often fun as exasperation).
  'negative-emoji':
    /[😡😠🤬😤😒🙄😩😫😢😭😞😔😣😖😟☹🙁😕🤨😑💢👎😿😾]|(?<![\w:]):'?-?\(+|>:-?\(|(?<![\w])(?:T_T|T\.T|-_-|=\()/u,
  // "??", "? ?", "!!", "?!", "!?", and a row of Chinese full stops "。。" (trailing off in disbelief).
  'repeated-marks': /[?？!！](?:\s?[?？!！])+|。{2,}/u,
  // Three or more words in capitals in a row, or an intensifier in capitals ("I REALLY need…"):
  // a single capitalised word is mostly an acronym or a product name.
  shouting:
    /(?<![\w@#])[A-Z]{2,}'?[A-Z]*(?:[ \t]+[A-Z]{2,}'?[A-Z]*){2,}(?![\w])|(?<![\w@#])(?:REALLY|PLEASE|NEVER|NOT|STILL|AGAIN|NOTHING|NOBODY|EVERY|ALWAYS|ANY|ALL|DIDN'T|DON'T|CAN'T|WON'T|DIDN’T|DON’T|CAN’T|WON’T)(?![\w'’])/u,
};

/** Masks what is not the customer's own words: links, handles and placeholders such as "[数字x]". */
const NOT_WORDS = /https?:\/\/\S+|www\.\S+|[@#][\w.]+|\[[^\]\n]{0,40}\]/gu;

function blank(text: string): string {
  return text.replace(NOT_WORDS, (m) => ' '.repeat(m.length));
}

/** The first sign of each requested kind in the text, in the order of `kinds`. */
export function surfaceSigns(text: string, kinds: readonly SignKind[]): Sign[] {
  if (kinds.length === 0) return [];
  const words = blank(text);
  const signs: Sign[] = [];
  for (const kind of kinds) {
    const m = EXPRESSIONS[kind].exec(words);
    if (m) signs.push({ kind, start: m.index, end: m.index + m[0].length });
  }
  return signs;
}
