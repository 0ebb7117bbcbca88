import { isUtf8 } from 'node:buffer';
import { type InlineTranscript, TRANSCRIPT_VERSION, Transcript } from '../domain/index.js';
import { issueLines, QaError, summariseIssues } from '../errors.js';
import { jsonSyntaxProblem } from './json-syntax.js';

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
  // Bytes that are not UTF-8 (GBK, Latin-1…) would decode into U+FFFD and forbidden phrases vanish.
  if (typeof input !== 'string' && !isUtf8(input)) {
    return {
      ok: false,
      error: new QaError('QA_ERR_TRANSCRIPT_NOT_UTF8', `${size} bytes, not valid UTF-8`),
    };
  }
  let text =
    typeof input === 'string'
      ? input
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  // A UTF-8 byte order mark (editors on Windows write one) is not part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Never V8's message: it quotes the start of the line.
    return { ok: false, error: new QaError('QA_ERR_TRANSCRIPT_NOT_JSON', jsonSyntaxProblem(text)) };
  }
  if (data !== null && typeof data === 'object' && 'version' in data) {
    const version = (data as { version: unknown }).version;
    if (version !== TRANSCRIPT_VERSION) {
      return {
        ok: false,
        error: new QaError(
          'QA_ERR_TRANSCRIPT_VERSION',
          `version is ${describeVersion(version)}, expected ${TRANSCRIPT_VERSION}`,
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

/** The type of an unsupported version, never its value (it may be anything the producer sent). */
function describeVersion(version: unknown): string {
  if (version === null) return 'null';
  if (Array.isArray(version)) return 'an array';
  if (typeof version === 'number') return Number.isInteger(version) ? 'another number' : 'a fraction';
  return typeof version === 'object' ? 'an object' : `a ${typeof version}`;
}

export function hasTurns(t: Transcript): t is InlineTranscript {
  return t.turns !== undefined;
}
