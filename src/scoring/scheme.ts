import { z } from 'zod';

const Id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lower-case id such as "low-score"');

const QueueCondition = z
  .strictObject({
    fatal: z.boolean().optional(),
    score_below: z.number().min(0).max(101).optional(),
    /** Any finding of these rule ids. */
    rules: z.array(z.string()).min(1).optional(),
    /** Any finding with at least this severity. */
    min_severity: z.enum(['major', 'minor', 'info']).optional(),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), {
    message: 'expected at least one condition',
  });

export const Scoring = z.strictObject({
  scheme: Id,
  base: z.number().positive().max(1000).default(100),
  pass_mark: z.number().min(0).max(100).default(80),
  /** 扣完为止: the most a category can deduct, whatever the number of findings. */
  category_caps: z.record(z.string(), z.number().nonnegative()).default({}),
  /** 一票否决: a fatal finding fails the item whatever its score. */
  fatal_veto: z.boolean().default(true),
  bonuses: z
    .array(
      z.strictObject({
        id: Id,
        points: z.number().positive().max(100),
        message: z.string().max(500),
        /** Awarded when none of these rules found anything. */
        when_clean: z.array(z.string()).min(1),
      }),
    )
    .default([]),
  routing: z
    .strictObject({
      /** First matching queue wins. */
      queues: z.array(z.strictObject({ queue: Id, when: QueueCondition })).default([]),
      default_queue: Id.default('clean'),
      calibration_queue: Id.default('calibration'),
      /** Share of clean items sampled for calibration (seed 000 samples 1%). */
      calibration_rate: z.number().min(0).max(1).default(0.01),
      calibration_salt: z.string().max(100).default(''),
    })
    .prefault({}),
});
export type Scoring = z.infer<typeof Scoring>;
