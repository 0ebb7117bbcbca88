import { parseSettings, type Settings } from '../config/settings.js';

/** The review service's part of the one settings schema (src/config/settings.ts, `REVIEW_*` and DATABASE_URL). */
export type ReviewSettings = Settings['review'];

/** The review settings from an environment (tests pass a plain object). */
export function reviewSettings(env: Record<string, string | undefined>): ReviewSettings {
  return parseSettings(env as NodeJS.ProcessEnv).review;
}
