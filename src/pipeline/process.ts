import type { ScreenedItem } from '../domain/index.js';
import { isQaError, QaError } from '../errors.js';
import { hasTurns, parseTranscript } from './parse.js';
import type { Screener } from './screen.js';

export type Processed =
  | { ok: true; item: ScreenedItem }
  | { ok: false; error: QaError; conversationId?: string | undefined };

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
  try {
    return { ok: true, item: screener.screen(t) };
  } catch (err) {
    if (isQaError(err)) return { ok: false, error: err, conversationId: t.conversationId };
    throw err;
  }
}
