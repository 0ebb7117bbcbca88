import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 120_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts'],
          // Projects do not inherit the root timeouts; the CLI tests spawn node, slow on a busy machine.
          testTimeout: 20_000,
        },
      },
      {
        // Against a real Apache Kafka broker and a real S3-API server (S3Proxy), both started by the
        // global setup unless KAFKA_BROKERS / S3_ENDPOINT are set; review ingest also needs PostgreSQL.
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          exclude: ['test/review/*.int.test.ts'],
          globalSetup: ['test/setup/kafka.ts', 'test/setup/s3.ts', 'test/setup/postgres.ts'],
          testTimeout: 240_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // The review service against a real PostgreSQL server (a fresh database per file) and PGlite.
        test: {
          name: 'review',
          include: ['test/review/*.int.test.ts'],
          globalSetup: ['test/setup/postgres.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
