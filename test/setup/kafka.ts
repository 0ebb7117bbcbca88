import { spawnSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    /** True when the broker is ours (scripts/kafka.sh), so a test may stop and restart it. */
    kafkaManaged: boolean;
  }
}

/**
 * Starts the single-node KRaft broker (scripts/kafka.sh) unless KAFKA_BROKERS points at one.
 * A broker that cannot be started fails the run: integration tests never skip silently.
 */
export default function setup(project: TestProject) {
  let brokers = process.env.KAFKA_BROKERS;
  const managed = !brokers;
  // Stop the broker afterwards only if this run started it (a developer's running broker stays up).
  const wasRunning =
    managed && spawnSync('bash', ['scripts/kafka.sh', 'status'], { stdio: 'ignore' }).status === 0;
  if (!brokers) {
    const started = spawnSync('bash', ['scripts/kafka.sh', 'start'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 300_000,
    });
    if (started.status !== 0) {
      throw new Error(
        `could not start the Kafka broker for integration tests (scripts/kafka.sh exited ${started.status})`,
      );
    }
    brokers = started.stdout.trim().split('\n').at(-1)!;
  }
  project.provide('kafkaBrokers', brokers);
  project.provide('kafkaManaged', managed);
  return () => {
    if (managed && !wasRunning) spawnSync('bash', ['scripts/kafka.sh', 'stop'], { stdio: 'inherit' });
  };
}
