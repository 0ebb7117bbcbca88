import { z } from 'zod';

/** Hard limits: transcripts are hostile input. */
export const TRANSCRIPT_LIMITS = {
  maxTurns: 5000,
  maxTurnChars: 20_000,
  maxIdChars: 256,
} as const;

export const TRANSCRIPT_VERSION = 1;

const Id = z.string().min(1).max(TRANSCRIPT_LIMITS.maxIdChars);
const IsoTime = z.iso.datetime({ offset: true });
const Ms = z.number().int().nonnegative();

export const Speaker = z.enum(['agent', 'customer', 'bot', 'system']);
export type Speaker = z.infer<typeof Speaker>;

export const Channel = z.enum(['chat', 'call']);
export type Channel = z.infer<typeof Channel>;

export const Language = z.enum(['zh', 'en']);
export type Language = z.infer<typeof Language>;

/** One utterance or message. Chat turns carry `at`; call turns carry ASR offsets. Extra fields are kept. */
export const Turn = z
  .looseObject({
    speaker: Speaker,
    text: z.string().max(TRANSCRIPT_LIMITS.maxTurnChars),
    at: IsoTime.optional(),
    startMs: Ms.optional(),
    endMs: Ms.optional(),
    confidence: z.number().min(0).max(1).optional(),
  })
  .refine((t) => t.startMs === undefined || t.endMs === undefined || t.endMs >= t.startMs, {
    message: 'endMs must not be before startMs',
    path: ['endMs'],
  });
export type Turn = z.infer<typeof Turn>;

export const Transcript = z
  .looseObject({
    version: z.number().int().positive().optional(),
    conversationId: Id,
    channel: Channel,
    language: Language,
    tenant: Id.optional(),
    agent: z.looseObject({
      id: Id,
      name: z.string().max(256).optional(),
      team: z.string().max(256).optional(),
      seat: z.string().max(256).optional(),
    }),
    customer: z.looseObject({ id: Id }).optional(),
    startedAt: IsoTime,
    endedAt: IsoTime.optional(),
    hangupBy: z.enum(['agent', 'customer', 'system']).optional(),
    answerDelayMs: Ms.optional(),
    turns: z.array(Turn).max(TRANSCRIPT_LIMITS.maxTurns).optional(),
    transcriptRef: z
      .string()
      .regex(/^s3:\/\/[^/\s]+\/\S+$/, 'expected an s3://bucket/key URI')
      .optional(),
  })
  .refine((t) => t.turns !== undefined || t.transcriptRef !== undefined, {
    message: 'either turns or transcriptRef is required',
    path: ['turns'],
  });
export type Transcript = z.infer<typeof Transcript>;

/** A transcript whose turns are present (inline, or fetched for a transcriptRef). */
export type InlineTranscript = Transcript & { turns: Turn[] };
