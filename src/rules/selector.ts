import { z } from 'zod';

/** A reference to lexicon phrases: a lexicon id and optionally some of its categories. */
export const PhraseSelector = z
  .strictObject({
    lexicon: z.string().describe('lexicon id'),
    categories: z.array(z.string()).min(1).optional().describe('some of its categories (default: all)'),
  })
  .describe('`{lexicon, categories?}`: phrases of a lexicon');
export type PhraseSelector = z.infer<typeof PhraseSelector>;
