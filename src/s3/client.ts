import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { issueLines, QaError } from '../errors.js';

const Bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** S3 settings from the environment; credentials come from the SDK's usual chain (AWS_ACCESS_KEY_ID, …). */
export const S3Env = z.object({
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().optional(),
  AWS_REGION: z.string().optional(),
  S3_FORCE_PATH_STYLE: Bool.optional(),
  /** `when_required` for S3-compatible servers that reject the SDK's default CRC32 checksums. */
  S3_CHECKSUMS: z.enum(['when_supported', 'when_required']).optional(),
  S3_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
  AWS_SESSION_TOKEN: z.string().optional(),
});

/**
 * The S3 client. With a custom endpoint (MinIO, S3Proxy, Ceph…) path-style addressing and
 * checksums "when required" are the defaults: since early 2025 the SDK sends CRC32 checksums on
 * uploads and asks for them on downloads, which S3Proxy answers with 501 NotImplemented (verified in
 * test/s3/client.int.test.ts). Against AWS itself the SDK defaults stay.
 */
export function createS3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  const parsed = S3Env.safeParse(env);
  if (!parsed.success) {
    throw new QaError('QA_ERR_WORKER_CONFIG', 'S3 settings', issueLines(parsed.error.issues));
  }
  const e = parsed.data;
  const compatible = e.S3_ENDPOINT !== undefined;
  const checksums = e.S3_CHECKSUMS ?? (compatible ? 'when_required' : 'when_supported');
  return new S3Client({
    ...(e.S3_ENDPOINT && { endpoint: e.S3_ENDPOINT }),
    region: e.S3_REGION ?? e.AWS_REGION ?? 'us-east-1',
    forcePathStyle: e.S3_FORCE_PATH_STYLE ?? compatible,
    requestChecksumCalculation: checksums === 'when_required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
    responseChecksumValidation: checksums === 'when_required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
    maxAttempts: e.S3_MAX_ATTEMPTS,
    // Keys in the given environment win; otherwise the SDK's chain (profiles, instance roles…).
    ...(e.AWS_ACCESS_KEY_ID &&
      e.AWS_SECRET_ACCESS_KEY && {
        credentials: {
          accessKeyId: e.AWS_ACCESS_KEY_ID,
          secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
          ...(e.AWS_SESSION_TOKEN && { sessionToken: e.AWS_SESSION_TOKEN }),
        },
      }),
  });
}

export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/\s]+)\/(\S+)$/.exec(uri);
  if (!m) throw new QaError('QA_ERR_TRANSCRIPT_REF_INVALID', 'expected s3://bucket/key');
  return { bucket: m[1]!, key: m[2]! };
}
