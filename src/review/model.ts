import { z } from 'zod';
import { KEY_ACTIONS, type KeyAction, MOVABLE_KEY } from './keys.js';

/** API shapes: one zod schema each, types are z.infer of them (and the OpenAPI document is built from them). */

export const Role = z.enum(['reviewer', 'supervisor', 'agent', 'admin']);
export type Role = z.infer<typeof Role>;

export interface Actor {
  id: number;
  username: string;
  role: Role;
  agentId: string | null;
  team: string | null;
}

const IsoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO date or date-time');
const Id = z.coerce.number().int().positive();
export const IdParams = z.strictObject({ id: Id });
export const ReviewFindingParams = z.strictObject({ id: Id, findingId: Id });

export const LoginBody = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const NewUser = z.strictObject({
  username: z
    .string()
    .min(2)
    .max(64)
    .regex(/^[\w.@-]+$/, 'letters, digits, _ . @ -'),
  password: z.string().min(10, 'at least 10 characters').max(200),
  role: Role,
  agentId: z.string().min(1).max(200).optional(),
  team: z.string().min(1).max(200).optional(),
  displayName: z.string().min(1).max(200).optional(),
});
export type NewUser = z.infer<typeof NewUser>;

export const ItemFilters = z.strictObject({
  queue: z.string().max(200).optional(),
  status: z.enum(['pending', 'reviewed', 'superseded', 'archived', 'any']).optional(),
  team: z.string().max(200).optional(),
  agent: z.string().max(200).optional(),
  rule: z.string().max(200).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  calibration: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
export type ItemFilters = z.infer<typeof ItemFilters>;

export const ClaimBody = z.strictObject({
  queue: z.string().max(200).optional(),
  team: z.string().max(200).optional(),
  agent: z.string().max(200).optional(),
  rule: z.string().max(200).optional(),
});
export type ClaimBody = z.infer<typeof ClaimBody>;

const ActionKey = z
  .string()
  .regex(MOVABLE_KEY)
  .describe("one lower-case letter, a digit 0 or 7–9, or one of ; , . / [ ] ' - =");
/** A user's item-page keys (src/review/keys.ts): every movable action, each on a key of its own. */
export const KeymapBody = z
  .strictObject(
    Object.fromEntries(KEY_ACTIONS.map((a) => [a, ActionKey])) as Record<KeyAction, typeof ActionKey>,
  )
  .refine((m) => new Set(Object.values(m)).size === KEY_ACTIONS.length, {
    message: 'each action needs a key of its own',
  });
export type KeymapBody = z.infer<typeof KeymapBody>;

export const RejectReason = z.enum([
  'false_positive',
  'allowed_context',
  'transcription_error',
  'wrong_speaker',
  'policy_exception',
  'other',
]);

export const VerdictBody = z
  .strictObject({
    verdict: z.enum(['confirmed', 'rejected']),
    reason: RejectReason.optional(),
  })
  .refine((v) => v.verdict !== 'rejected' || v.reason !== undefined, {
    message: 'a rejection needs a reason code',
    path: ['reason'],
  });
export type VerdictBody = z.infer<typeof VerdictBody>;

export const AddFindingBody = z.strictObject({
  ruleId: z.string().min(1).max(200),
  turnIndex: z.number().int().min(0),
  start: z.number().int().min(0).optional(),
  end: z.number().int().min(0).optional(),
  note: z.string().max(2000).optional(),
});
export type AddFindingBody = z.infer<typeof AddFindingBody>;

export const CommentBody = z.strictObject({ body: z.string().min(1).max(5000) });

export const AppealBody = z.strictObject({ reason: z.string().min(1).max(5000) });

export const RulingBody = z.strictObject({
  decisions: z
    .array(
      z.strictObject({ findingId: z.number().int().positive(), decision: z.enum(['uphold', 'overturn']) }),
    )
    .max(1000),
  note: z.string().max(5000).optional(),
});
export type RulingBody = z.infer<typeof RulingBody>;

export const AppealFilters = z.strictObject({
  status: z.enum(['open', 'upheld', 'overturned', 'partial', 'any']).default('any'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const CalibrationBody = z.strictObject({
  itemId: z.number().int().positive(),
  reviewers: z.number().int().min(2).max(20).optional(),
});

export const Period = z.enum(['day', 'week', 'month']);
export type Period = z.infer<typeof Period>;

export const RangeQuery = z.strictObject({ from: IsoDate.optional(), to: IsoDate.optional() });

export const TimelineQuery = z.strictObject({
  period: Period.default('week'),
  rule: z.string().max(200).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});

export const ReportQuery = z.strictObject({
  by: z.enum(['agent', 'team', 'all']).default('agent'),
  period: Period.default('month'),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
export type ReportQuery = z.infer<typeof ReportQuery>;

export const AuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});
