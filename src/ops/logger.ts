import pino, { type Logger } from 'pino';

/**
 * pino JSON logs. Transcript text and personal data never belong in logs: call sites log ids,
 * counts and error codes only, and these redaction paths are a second line of defence.
 */
export const REDACT_PATHS = [
  'text',
  'turns',
  '*.text',
  '*.turns',
  'transcript',
  '*.transcript',
  'customer',
  '*.customer',
  'raw',
  '*.raw',
];

export function createLogger(options: { level?: string; destination?: number } = {}): Logger {
  return pino(
    {
      name: 'qa-screen',
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    pino.destination({ dest: options.destination ?? 2, sync: true }),
  );
}
