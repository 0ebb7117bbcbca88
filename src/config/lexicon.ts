import { z } from 'zod';
import { Language, Severity } from '../domain/index.js';

const Phrase = z.string().trim().min(1, 'a phrase must not be empty').max(200);

/** A phrase with its own exceptions or overrides. */
export const LexiconEntry = z.strictObject({
  phrase: Phrase,
  /** Longer phrases containing this one in which it is fine ("不知道您还有什么需要"). */
  exceptions: z.array(Phrase).default([]),
  severity: Severity.optional(),
  points: z.number().min(0).max(100).optional(),
  /** English: match word stems (Porter), so "apologize" also finds "apologizing". */
  stem: z.boolean().optional(),
  note: z.string().max(500).optional(),
});

export const LexiconCategory = z.strictObject({
  label: z.string().max(200).optional(),
  severity: Severity.default('minor'),
  points: z.number().min(0).max(100).default(0),
  /** Exceptions shared by every phrase of the category. */
  exceptions: z.array(Phrase).default([]),
  /** English: match word stems for every phrase of the category (Porter stemmer from `natural`). */
  stem: z.boolean().default(false),
  phrases: z.array(z.union([Phrase, LexiconEntry])).min(1, 'a category needs at least one phrase'),
});

/** A lexicon file: phrases grouped by category. Edited by QA managers, so strict and well reported. */
export const Lexicon = z.strictObject({
  lexicon: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lower-case id such as "forbidden-zh"')
    .max(100),
  language: Language,
  version: z.string().max(100).optional(),
  description: z.string().max(2000).optional(),
  categories: z.record(
    z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lower-case category id such as "shirking"'),
    LexiconCategory,
  ),
});
export type Lexicon = z.infer<typeof Lexicon>;
