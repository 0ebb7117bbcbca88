import { z } from 'zod';

/**
 * A labelled evaluation set: which rules a careful reviewer says must fire on each conversation
 * (an empty list: none of them). Ids and rule ids only, never conversation text.
 */
export const LabelSet = z.strictObject({
  dataset: z.string().min(1),
  split: z.string().min(1),
  source: z.string().optional(),
  rules: z.array(z.string().min(1)).min(1),
  labelled: z.string().optional(),
  labels: z.record(z.string().min(1), z.array(z.string().min(1))),
});
export type LabelSet = z.infer<typeof LabelSet>;
