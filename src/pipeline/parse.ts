import { type InlineTranscript, TRANSCRIPT_VERSION, Transcript } from '../domain/index.js';
import { issueLines, QaError, summariseIssues } from '../errors.js';

export type ParseResult = { ok: true; transcript: Transcript } | { ok: false; error: QaError };

const MAX_REPORTED_ISSUES = 5;

/**
 * Bytes → validated transcript, or the reason it was rejected. Never throws on bad input, and
 * the reason never quotes transcript text (it is logged and put in dead-letter headers).
 */
export function parseTranscript(input: string | Uint8Array, maxBytes: number): ParseResult {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > maxBytes) {
    return {
      ok: false,
      error: new QaError('QA_ERR_TRANSCRIPT_TOO_LARGE', `${size} bytes, limit ${maxBytes}`),
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(typeof input === 'string' ? input : Buffer.from(input).toString('utf8'));
  } catch (err) {
    return {
      ok: false,
      error: new QaError('QA_ERR_TRANSCRIPT_NOT_JSON', (err as Error).message.slice(0, 200)),
    };
  }
  if (data !== null && typeof data === 'object' && 'version' in data) {
    const version = (data as { version: unknown }).version;
    if (version !== TRANSCRIPT_VERSION) {
      return {
        ok: false,
        error: new QaError(
          'QA_ERR_TRANSCRIPT_VERSION',
          `got ${JSON.stringify(version)?.slice(0, 20)}, expected ${TRANSCRIPT_VERSION}`,
        ),
      };
    }
  }
  const result = Transcript.safeParse(data);
  if (result.success) return { ok: true, transcript: result.data };
  const issues = issueLines(result.error.issues);
  return {
    ok: false,
    error: new QaError('QA_ERR_TRANSCRIPT_INVALID', summariseIssues(issues, MAX_REPORTED_ISSUES), issues),
  };
}

export function hasTurns(t: Transcript): t is InlineTranscript {
  return t.turns !== undefined;
}
