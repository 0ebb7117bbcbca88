import type { ScreenedItem } from '../domain/index.js';
import { type InlineTranscript, Transcript } from '../domain/index.js';
import { isQaError, issueLines, QaError, summariseIssues } from '../errors.js';
import { hasTurns, parseTranscript } from './parse.js';
import type { Screener } from './screen.js';

export type Processed =
  | { ok: true; item: ScreenedItem }
  | { ok: false; error: QaError; conversationId?: string | undefined };

/** Fetches the body a `transcriptRef` points to (an adapter: S3). Throws QaError for permanent problems. */
export type ResolveRef = (uri: string, maxBytes: number) => Promise<Uint8Array>;

function screenInline(screener: Screener, t: InlineTranscript): Processed {
  try {
    return { ok: true, item: screener.screen(t) };
  } catch (err) {
    if (isQaError(err)) return { ok: false, error: err, conversationId: t.conversationId };
    throw err;
  }
}

/**
 * One message in, one item or one rejection out: the unit of work shared by file mode and the
 * Kafka worker. Bad input is returned, never thrown, so a stream never stops on it.
 */
export function processMessage(screener: Screener, input: string | Uint8Array): Processed {
  const parsed = parseTranscript(input, screener.pipeline.config.limits.max_transcript_bytes);
  if (!parsed.ok) return parsed;
  const t = parsed.transcript;
  if (!hasTurns(t)) {
    return {
      ok: false,
      error: new QaError('QA_ERR_TRANSCRIPT_REF_UNSUPPORTED'),
      conversationId: t.conversationId,
    };
  }
  return screenInline(screener, t);
}

/**
 * As processMessage, and a claim-checked transcript (`transcriptRef`) is fetched through `resolve`
 * and screened as if inline: the event's fields are authoritative, the object supplies the turns
 * (it may be a whole transcript or just `{ "turns": [...] }`). Transient fetch errors propagate
 * (the caller retries); permanent ones become rejections with their reason.
 */
export async function processMessageAsync(
  screener: Screener,
  input: string | Uint8Array,
  resolve: ResolveRef | undefined,
): Promise<Processed> {
  const limit = screener.pipeline.config.limits.max_transcript_bytes;
  const parsed = parseTranscript(input, limit);
  if (!parsed.ok) return parsed;
  const event = parsed.transcript;
  if (hasTurns(event)) return screenInline(screener, event);
  if (!resolve) {
    return {
      ok: false,
      error: new QaError('QA_ERR_TRANSCRIPT_REF_UNSUPPORTED'),
      conversationId: event.conversationId,
    };
  }
  const conversationId = event.conversationId;
  let body: Uint8Array;
  try {
    body = await resolve(event.transcriptRef!, limit);
  } catch (err) {
    if (isQaError(err)) return { ok: false, error: err, conversationId };
    throw err;
  }
  let object: unknown;
  try {
    object = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return {
      ok: false,
      error: new QaError('QA_ERR_TRANSCRIPT_REF_INVALID', 'object is not JSON'),
      conversationId,
    };
  }
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    return {
      ok: false,
      error: new QaError('QA_ERR_TRANSCRIPT_REF_INVALID', 'object is not a JSON object'),
      conversationId,
    };
  }
  const merged = Transcript.safeParse({ ...object, ...event, turns: (object as { turns?: unknown }).turns });
  if (!merged.success || !hasTurns(merged.data)) {
    const reason = merged.success ? 'object has no turns' : summariseIssues(issueLines(merged.error.issues));
    return { ok: false, error: new QaError('QA_ERR_TRANSCRIPT_REF_INVALID', reason), conversationId };
  }
  return screenInline(screener, merged.data);
}
