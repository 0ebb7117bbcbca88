import { z } from 'zod';

export const Severity = z.enum(['fatal', 'major', 'minor', 'info']);
export type Severity = z.infer<typeof Severity>;

export const SEVERITY_RANK: Record<Severity, number> = { fatal: 3, major: 2, minor: 1, info: 0 };

/** Evidence for one thing a rule noticed. Offsets index the ORIGINAL turn text (UTF-16 units). */
export const Finding = z.object({
  ruleId: z.string(),
  type: z.string(),
  category: z.string(),
  severity: Severity,
  points: z.number(),
  turnIndex: z.number().int().optional(),
  start: z.number().int().optional(),
  end: z.number().int().optional(),
  text: z.string().optional(),
  atMs: z.number().optional(),
  durationMs: z.number().optional(),
  /** In English; `messageId` and `params` give it in another language (src/domain/messages.ts). */
  message: z.string(),
  /** The message's template id (`qa-screen schema item` lists them); absent on items from before 2026-11-25. */
  messageId: z.string().optional(),
  /** The template's parameters: the facts the message states (no personal data: quoted words are masked). */
  params: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]))
    .optional(),
});
export type Finding = z.infer<typeof Finding>;

/** A bonus the scheme awarded. Its text is the pipeline's (`scoring.bonuses[].message`); item version 1 copied it. */
export const Bonus = z.object({ id: z.string(), points: z.number(), message: z.string().optional() });
export type Bonus = z.infer<typeof Bonus>;

export const VersionRef = z.object({ id: z.string(), version: z.string() });

/**
 * The item contract's version. 2 (issue 12): lean — no lexicon version list (one digest in
 * `pipeline.lexicons`), bonuses by id, one Kafka header, queue topics carry a reference.
 * Items without `itemVersion` are version 1.
 */
export const ITEM_VERSION = 2;

/** Which configuration screened the item: pipeline id and version, and a digest of its lexicons' versions. */
export const PipelineRef = z.object({
  id: z.string(),
  version: z.string(),
  /** 12 hex digits over the lexicons' `id@version` list (`qa-screen validate` prints both). */
  lexicons: z.string().optional(),
});

/**
 * The conversation as a reviewer sees it: every turn with personal data masked character for
 * character ("138****5678"), so the lengths and the findings' start/end offsets stay valid.
 */
export const MaskedConversation = z.object({
  startedAt: z.string(),
  endedAt: z.string().optional(),
  hangupBy: z.enum(['agent', 'customer', 'system']).optional(),
  answerDelayMs: z.number().optional(),
  turns: z.array(
    z.object({
      speaker: z.enum(['agent', 'customer', 'bot', 'system']),
      text: z.string(),
      at: z.string().optional(),
      startMs: z.number().optional(),
      endMs: z.number().optional(),
    }),
  ),
});
export type MaskedConversation = z.infer<typeof MaskedConversation>;

/**
 * What an item leaves out to stay bounded (pipeline `limits`): findings past the per-rule and
 * per-item caps, counted per rule with the points they deducted (already in the score), and the
 * conversation when the item would otherwise be over `max_item_bytes`.
 */
export const Omitted = z.object({
  findings: z.number().int(),
  rules: z.array(z.object({ ruleId: z.string(), count: z.number().int(), points: z.number() })),
  conversation: z.boolean().optional(),
});
export type Omitted = z.infer<typeof Omitted>;

const itemFields = {
  conversationId: z.string(),
  tenant: z.string().optional(),
  channel: z.string(),
  language: z.string(),
  agentId: z.string(),
  agentTeam: z.string().optional(),
  score: z.number().min(0).max(100),
  passed: z.boolean(),
  fatal: z.boolean(),
  findings: z.array(Finding),
  omitted: Omitted.optional(),
  bonuses: z.array(Bonus),
  deducted: z.number(),
  priority: z.number(),
  queue: z.string(),
  sampled: z.boolean(),
  scheme: z.string(),
  stats: z.object({
    turns: z.number().int(),
    durationMs: z.number().optional(),
    /** Rules judged (seed 004's opportunities): rules the data could not support are left out. */
    opportunities: z.number().int(),
    nonFatalErrors: z.number().int(),
    /** True when the turns arrived out of time order: they were judged, and are listed, in time order. */
    reordered: z.boolean().optional(),
  }),
  screenedAt: z.string(),
  /** Present on items routed for review (pipeline `output.conversation`): what the reviewer reads. */
  conversation: MaskedConversation.optional(),
};

/** The pre-scored item a reviewer's queue receives, one per conversation (contract version 2). */
export const ScreenedItem = z.object({
  itemVersion: z.literal(ITEM_VERSION),
  ...itemFields,
  pipeline: PipelineRef,
});
export type ScreenedItem = z.infer<typeof ScreenedItem>;

/** Version 1 (before issue 12): no `itemVersion`, every lexicon's version and every bonus's text copied in. */
export const ScreenedItemV1 = z.object({
  itemVersion: z.literal(1).optional(),
  ...itemFields,
  bonuses: z.array(Bonus.required()),
  pipeline: VersionRef,
  lexicons: z.array(VersionRef),
});
export type ScreenedItemV1 = z.infer<typeof ScreenedItemV1>;

/** What consumers read: an item of either version (review ingest, report). */
export const AnyScreenedItem = z.union([ScreenedItem, ScreenedItemV1]);
export type AnyScreenedItem = z.infer<typeof AnyScreenedItem>;

/**
 * What a review-queue topic (`queue_topic_prefix`) receives since item version 2: a reference to
 * the item on the items topic (same key, the conversation id), with what ranks it, not a copy.
 */
export const QueueRef = z.object({
  itemVersion: z.literal(ITEM_VERSION),
  conversationId: z.string(),
  /** The items topic that holds the whole item under the same key. */
  topic: z.string(),
  queue: z.string(),
  priority: z.number(),
  score: z.number(),
  fatal: z.boolean(),
  pipeline: VersionRef,
});
export type QueueRef = z.infer<typeof QueueRef>;
