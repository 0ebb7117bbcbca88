import type { ScreenedItem } from '../domain/index.js';
import { type InlineTranscript, Transcript } from '../domain/index.js';
import { isQaError, issueLines, QaError, summariseIssues } from '../errors.js';
import { hasTurns, parseTranscript } from './parse.js';
import { type Router, routerOf } from './route.js';
import type { Screener } from './screen.js';

export type Processed =
  | { ok: true; item: ScreenedItem /** The item's JSON text, as written. */; json: string }
  | { ok: false; error: QaError; conversationId?: string | undefined; pipeline?: string | undefined };

/** Fetches the body a `transcriptRef` points to (an adapter: S3). Throws QaError for permanent problems. */
export type ResolveRef = (uri: string, maxBytes: number) => Promise<Uint8Array>;

function screenInline(screener: Screener, t: InlineTranscript): Processed {
  try {
    return { ok: true, ...screener.screenJson(t) };
  } catch (err) {
    if (isQaError(err))
      return { ok: false, error: err, conversationId: t.conversationId, pipeline: screener.pipeline.id };
    throw err;
  }
}

/**
 * Parses, picks the pipeline (routing), and, when the turns are inline, screens; a `transcriptRef`
 * event is handed back with its screener to resolve.
 */
function begin(
  screening: Screener | Router,
  input: string | Uint8Array,
): Processed | { ref: Transcript; screener: Screener } {
  const router = routerOf(screening);
  const parsed = parseTranscript(input, router.maxTranscriptBytes);
  if (!parsed.ok) return parsed;
  const t = parsed.transcript;
  const screener = router.route(t);
  if (isQaError(screener)) return { ok: false, error: screener, conversationId: t.conversationId };
  const limit = screener.pipeline.config.limits.max_transcript_bytes;
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > limit) {
    const error = new QaError(
      'QA_ERR_TRANSCRIPT_TOO_LARGE',
      `${size} bytes, limit ${limit} (${screener.pipeline.id})`,
    );
    return { ok: false, error, conversationId: t.conversationId, pipeline: screener.pipeline.id };
  }
  return hasTurns(t) ? screenInline(screener, t) : { ref: t, screener };
}

const refUnsupported = (event: Transcript): Processed => ({
  ok: false,
  error: new QaError('QA_ERR_TRANSCRIPT_REF_UNSUPPORTED'),
  conversationId: event.conversationId,
});

/**
 * One message in, one item or one rejection out: the unit of work of file mode (no object store,
 * so a `transcriptRef` is rejected). Bad input is returned, never thrown, so a stream never stops on it.
 */
export function screenMessage(screening: Screener | Router, input: string | Uint8Array): Processed {
  const begun = begin(screening, input);
  return 'ref' in begun ? refUnsupported(begun.ref) : begun;
}

/**
 * As screenMessage, and a claim-checked transcript (`transcriptRef`) is fetched through `resolve`
 * and screened as if inline: the event's fields are authoritative, the object supplies the turns
 * (a whole transcript or just `{ "turns": [...] }`). Errors from `resolve` that the catalogue marks
 * retriable propagate (the caller consumes the message again); permanent ones become rejections.
 */
export async function processMessage(
  screening: Screener | Router,
  input: string | Uint8Array,
  resolve: ResolveRef | undefined,
): Promise<Processed> {
  const begun = begin(screening, input);
  if (!('ref' in begun)) return begun;
  const { ref: event, screener } = begun;
  if (!resolve) return refUnsupported(event);
  const conversationId = event.conversationId;
  let body: Uint8Array;
  try {
    body = await resolve(event.transcriptRef!, screener.pipeline.config.limits.max_transcript_bytes);
  } catch (err) {
    if (isQaError(err) && !err.retriable)
      return { ok: false, error: err, conversationId, pipeline: screener.pipeline.id };
    throw err;
  }
  const merged = mergeClaimCheck(event, body);
  return merged.ok
    ? screenInline(screener, merged.transcript)
    : { ...merged, conversationId, pipeline: screener.pipeline.id };
}

/** The event with its claim-checked object's turns (and fields the event lacks). */
function mergeClaimCheck(
  event: Transcript,
  body: Uint8Array,
): { ok: true; transcript: InlineTranscript } | { ok: false; error: QaError } {
  const invalid = (reason: string) => ({
    ok: false as const,
    error: new QaError('QA_ERR_TRANSCRIPT_REF_INVALID', reason),
  });
  let object: unknown;
  try {
    object = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return invalid('object is not JSON');
  }
  if (object === null || typeof object !== 'object' || Array.isArray(object))
    return invalid('object is not a JSON object');
  const merged = Transcript.safeParse({ ...object, ...event, turns: (object as { turns?: unknown }).turns });
  if (!merged.success) return invalid(summariseIssues(issueLines(merged.error.issues)));
  if (!hasTurns(merged.data)) return invalid('object has no turns');
  return { ok: true, transcript: merged.data };
}
