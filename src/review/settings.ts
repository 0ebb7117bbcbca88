import { z } from 'zod';
import { issueLines, QaError } from '../errors.js';

const Bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Every environment variable the review service reads, validated once at start (README "Review service"). */
export const ReviewEnv = z.object({
  /** postgres://… ; unset: embedded PGlite in REVIEW_DATA_DIR. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected postgres://…').optional(),
  REVIEW_DATA_DIR: z.string().default('.qa-screen/review-db'),
  /** Folder of pipeline files, by pipeline id (item.pipeline.id): scores are recomputed with them. */
  REVIEW_PIPELINES: z.string().default('pipelines'),
  REVIEW_HOST: z.string().default('127.0.0.1'),
  REVIEW_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  REVIEW_LEASE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Seed 001: 20 calls a reviewer a day; shown, not enforced. */
  REVIEW_DAILY_QUOTA: z.coerce.number().int().min(0).max(10_000).default(20),
  REVIEW_APPEAL_WINDOW_DAYS: z.coerce.number().min(0).max(365).default(7),
  REVIEW_CALIBRATION_REVIEWERS: z.coerce.number().int().min(2).max(20).default(3),
  REVIEW_NOISY_WINDOW: z.coerce.number().int().min(1).max(100_000).default(50),
  REVIEW_NOISY_MIN_REVIEWED: z.coerce.number().int().min(1).max(100_000).default(20),
  REVIEW_NOISY_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
  REVIEW_SESSION_HOURS: z.coerce.number().min(0.01).max(24 * 30).default(12),
  REVIEW_COOKIE_SECURE: Bool.default(false),
  REVIEW_LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
  REVIEW_LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  REVIEW_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(256 * 1024),
  /** Lets Prometheus scrape /metrics with `Authorization: Bearer …` (else a supervisor/admin session). */
  REVIEW_METRICS_TOKEN: z.string().min(16).optional(),
  REVIEW_KAFKA_TOPIC: z.string().default('qa.items'),
  REVIEW_KAFKA_GROUP_ID: z.string().default('qa-screen-review'),
});
export type ReviewEnv = z.infer<typeof ReviewEnv>;

export interface ReviewSettings {
  databaseUrl: string | undefined;
  dataDir: string;
  pipelines: string;
  host: string;
  port: number;
  leaseSeconds: number;
  dailyQuota: number;
  appealWindowDays: number;
  calibrationReviewers: number;
  noisyWindow: number;
  noisyMinReviewed: number;
  noisyThreshold: number;
  sessionHours: number;
  cookieSecure: boolean;
  loginMaxAttempts: number;
  loginWindowSeconds: number;
  bodyLimitBytes: number;
  metricsToken: string | undefined;
  kafkaTopic: string;
  kafkaGroupId: string;
}

export function reviewSettings(env: NodeJS.ProcessEnv | Record<string, string | undefined>): ReviewSettings {
  const parsed = ReviewEnv.safeParse(env);
  if (!parsed.success) throw new QaError('QA_ERR_REVIEW_CONFIG', 'environment', issueLines(parsed.error.issues));
  const e = parsed.data;
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    dataDir: e.REVIEW_DATA_DIR,
    pipelines: e.REVIEW_PIPELINES,
    host: e.REVIEW_HOST,
    port: e.REVIEW_PORT,
    leaseSeconds: e.REVIEW_LEASE_SECONDS,
    dailyQuota: e.REVIEW_DAILY_QUOTA,
    appealWindowDays: e.REVIEW_APPEAL_WINDOW_DAYS,
    calibrationReviewers: e.REVIEW_CALIBRATION_REVIEWERS,
    noisyWindow: e.REVIEW_NOISY_WINDOW,
    noisyMinReviewed: e.REVIEW_NOISY_MIN_REVIEWED,
    noisyThreshold: e.REVIEW_NOISY_THRESHOLD,
    sessionHours: e.REVIEW_SESSION_HOURS,
    cookieSecure: e.REVIEW_COOKIE_SECURE,
    loginMaxAttempts: e.REVIEW_LOGIN_MAX_ATTEMPTS,
    loginWindowSeconds: e.REVIEW_LOGIN_WINDOW_SECONDS,
    bodyLimitBytes: e.REVIEW_BODY_LIMIT_BYTES,
    metricsToken: e.REVIEW_METRICS_TOKEN,
    kafkaTopic: e.REVIEW_KAFKA_TOPIC,
    kafkaGroupId: e.REVIEW_KAFKA_GROUP_ID,
  });
}
