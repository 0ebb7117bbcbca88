import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** `docker compose config` parses and validates without a Docker engine; v1's docker-compose too. */
function composeCommand(): string[] | undefined {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0)
    return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  return undefined;
}

describe('docker-compose.yml', () => {
  it('is a valid Compose file with kafka, an S3 store and the worker', () => {
    const cmd = composeCommand();
    if (!cmd) {
      // CI installs docker-compose (.ci/run); elsewhere a machine without it cannot check this.
      expect(process.env.CI, 'docker compose is required in CI').toBeFalsy();
      return;
    }
    const r = spawnSync(cmd[0]!, [...cmd.slice(1), '-f', 'docker-compose.yml', 'config'], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\s{2}kafka:$/m);
    expect(r.stdout).toMatch(/^\s{2}minio:$/m);
    expect(r.stdout).toMatch(/^\s{2}worker:$/m);
    expect(r.stdout).toContain('KAFKA_BROKERS: kafka:9092');
    expect(r.stdout).toMatch(/^\s{2}archive:$/m);
    expect(r.stdout).toContain('S3_ENDPOINT: http://minio:9000');
    expect(r.stdout).toMatch(/^\s{2}postgres:$/m);
    expect(r.stdout).toMatch(/^\s{2}review:$/m);
    expect(r.stdout).toMatch(/^\s{2}review-ingest:$/m);
    expect(r.stdout).toContain('DATABASE_URL: postgres://qa:qa-review-secret@postgres:5432/qa_review');
  });
});
