import { S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from '../config/settings.js';
import { QaError } from '../errors.js';

/**
 * The S3 client. With a custom endpoint (MinIO, S3Proxy, Ceph…) path-style addressing and
 * checksums "when required" are the defaults (see S3Settings): since early 2025 the SDK sends CRC32
 * checksums on uploads and asks for them on downloads, which S3Proxy answers with 501 NotImplemented
 * (verified in test/s3/client.int.test.ts). Against AWS itself the SDK defaults stay.
 */
export function createS3Client(s: S3Settings): S3Client {
  const when = s.checksums === 'when_required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
  return new S3Client({
    ...(s.endpoint && { endpoint: s.endpoint }),
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    requestChecksumCalculation: when,
    responseChecksumValidation: when,
    maxAttempts: s.maxAttempts,
    // Keys in the settings win; otherwise the SDK's chain (profiles, instance roles…). A copy: the
    // settings are frozen and the SDK annotates the credentials object it is given.
    ...(s.credentials && { credentials: { ...s.credentials } }),
  });
}

export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/\s]+)\/(\S+)$/.exec(uri);
  if (!m) throw new QaError('QA_ERR_TRANSCRIPT_REF_INVALID', 'expected s3://bucket/key');
  return { bucket: m[1]!, key: m[2]! };
}
