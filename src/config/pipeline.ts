import { z } from 'zod';
import { Channel, Language } from '../domain/index.js';
import { RuleConfig } from '../rules/registry.js';
import { Scoring } from '../scoring/scheme.js';

export const Id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lower-case id such as "chat-zh"');

export const Limits = z
  .strictObject({
    max_transcript_bytes: z
      .number()
      .int()
      .positive()
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    /** Findings listed per rule in an item; the rest are counted (and scored) in `omitted`. */
    max_findings_per_rule: z.number().int().positive().max(10_000).default(50),
    /** Findings listed per item, all rules together. */
    max_findings: z.number().int().positive().max(100_000).default(200),
    /**
     * The most an item may weigh, as JSON: above it the item leaves out its conversation, then its
     * listed findings; one that still does not fit is rejected (QA_ERR_ITEM_TOO_LARGE).
     */
    max_item_bytes: z
      .number()
      .int()
      .min(16 * 1024)
      .max(64 * 1024 * 1024)
      .default(900_000),
  })
  .prefault({});

const Outcome = z.enum(['review', 'reject']);

/**
 * What happens to a transcript whose data cannot support every rule: `reject` (with the reason), or
 * `review` (screened with the rules it can support; a `data-quality` finding names the problem and
 * the rules not judged, and routes the item to `queue`). Out-of-order turns are put in time order
 * (stable) first: `reorder` only says so in the item's stats.
 */
export const DataQuality = z
  .strictObject({
    empty_turns: Outcome.default('reject'),
    missing_times: Outcome.default('review'),
    out_of_order: z.enum(['reorder', 'review', 'reject']).default('reorder'),
    missing_answer_delay: Outcome.default('review'),
    ended_before_started: Outcome.default('reject'),
    queue: Id.default('data-quality'),
  })
  .prefault({});
export type DataQuality = z.infer<typeof DataQuality>;

export const Output = z
  .strictObject({
    /**
     * Whether items carry the conversation (turns with personal data masked, offsets intact) for the
     * review service: `review` on items routed to a review or calibration queue, `all`, or `none`.
     */
    conversation: z.enum(['review', 'all', 'none']).default('review'),
  })
  .prefault({});

const Topic = z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'expected a Kafka topic name');

/** Where the worker reads and writes; every field can be overridden by environment variables. */
export const KafkaSettings = z.strictObject({
  input_topics: z.array(Topic).min(1),
  output_topic: Topic,
  dead_letter_topic: Topic,
  /** When set, items routed to a review queue are also written to `<prefix><queue>`. */
  queue_topic_prefix: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{0,200}$/)
    .optional(),
  group_id: z.string().min(1).max(200).optional(),
});
export type KafkaSettings = z.infer<typeof KafkaSettings>;

/** A pipeline file: which transcripts, which lexicons, which rules, which scoring scheme. */
export const Pipeline = z.strictObject({
  pipeline: Id,
  version: z.string().max(100),
  description: z.string().max(2000).optional(),
  channel: Channel,
  language: Language,
  /** Lexicon files, relative to this pipeline file. */
  lexicons: z.array(z.string().min(1).max(1000)).max(100).default([]),
  limits: Limits,
  data_quality: DataQuality,
  output: Output,
  rules: z.array(RuleConfig).min(1, 'a pipeline needs at least one rule'),
  scoring: Scoring,
  kafka: KafkaSettings.optional(),
});
export type Pipeline = z.infer<typeof Pipeline>;
