import { describe, expect, it } from 'vitest';
import { s3Error } from '../../src/s3/errors.js';

const codes = {
  notFound: 'QA_ERR_TRANSCRIPT_REF_NOT_FOUND',
  denied: 'QA_ERR_TRANSCRIPT_REF_DENIED',
} as const;
const sdk = (name: string, status?: number) =>
  Object.assign(new Error(name), { name, $metadata: status === undefined ? {} : { httpStatusCode: status } });

describe('S3 errors mapped to the catalogue', () => {
  it("names missing and refused objects with the caller's codes", () => {
    expect(s3Error(sdk('NoSuchKey', 404), codes, 'x').code).toBe('QA_ERR_TRANSCRIPT_REF_NOT_FOUND');
    expect(s3Error(sdk('NoSuchBucket'), codes, 'x').code).toBe('QA_ERR_TRANSCRIPT_REF_NOT_FOUND');
    expect(s3Error(sdk('AccessDenied', 403), codes, 'x').code).toBe('QA_ERR_TRANSCRIPT_REF_DENIED');
    expect(s3Error(sdk('SignatureDoesNotMatch'), codes, 'x').retriable).toBe(false);
  });

  it('makes network errors, 5xx and throttling retriable', () => {
    for (const e of [
      sdk('TimeoutError'),
      sdk('InternalError', 500),
      sdk('SlowDown', 503),
      new Error('ECONNREFUSED'),
    ]) {
      expect(s3Error(e, codes, 'x')).toMatchObject({ code: 'QA_ERR_S3_UNAVAILABLE', retriable: true });
    }
  });
});
