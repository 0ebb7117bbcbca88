import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSettings, settingsTable } from '../../src/config/settings.js';
import type { QaError } from '../../src/errors.js';

function problems(env: Record<string, string>): string[] {
  try {
    parseSettings(env);
  } catch (err) {
    expect((err as QaError).code).toBe('QA_ERR_SETTINGS_INVALID');
    return [...(err as QaError).details];
  }
  return [];
}

describe('settings (one schema for every environment variable)', () => {
  it('applies the documented defaults and groups settings by the part that uses them', () => {
    const s = parseSettings({});
    expect(s.kafka).toMatchObject({ clientId: 'qa-screen', transactions: true, partitionsConcurrently: 2 });
    expect(s.kafka.brokers).toBeUndefined();
    expect(s.s3).toMatchObject({ region: 'us-east-1', forcePathStyle: false, checksums: 'when_supported' });
    expect(s.archive).toMatchObject({ prefix: 'qa-items', maxBytes: 8 * 1024 * 1024, maxAgeMs: 300_000 });
    expect(s.ops).toEqual({ metricsPort: 9464, metricsHost: '0.0.0.0', logLevel: 'info' });
  });

  it('derives S3 defaults for S3-compatible endpoints', () => {
    const s = parseSettings({ S3_ENDPOINT: 'http://127.0.0.1:9000', AWS_REGION: 'eu-west-1' });
    expect(s.s3).toMatchObject({ forcePathStyle: true, checksums: 'when_required', region: 'eu-west-1' });
  });

  it('reports every malformed variable at once, by name, never echoing secrets', () => {
    const found = problems({
      KAFKA_BROKERS: 'nohost',
      KAFKA_SESSION_TIMEOUT_MS: '10',
      ARCHIVE_MAX_BYTES: 'lots',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_PASSWORD: 'hunter2',
    });
    const text = found.join('\n');
    expect(text).toMatch(/KAFKA_BROKERS\.0: expected host:port/);
    expect(text).toMatch(/KAFKA_SESSION_TIMEOUT_MS: Too small/);
    expect(text).toMatch(/ARCHIVE_MAX_BYTES: /);
    expect(text).toMatch(/KAFKA_SASL_MECHANISM: needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
    expect(text).not.toContain('hunter2');
  });

  it('is frozen once parsed', () => {
    const s = parseSettings({ KAFKA_BROKERS: 'a:1' });
    expect(Object.isFrozen(s.kafka)).toBe(true);
    expect(() => {
      (s.kafka as { transactions: boolean }).transactions = false;
    }).toThrow(TypeError);
  });

  it('documents every variable in the README, generated from the schema', () => {
    expect(readFileSync('README.md', 'utf8')).toContain(settingsTable());
  });
});
