import { logLevel } from 'kafkajs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { kafkaLogCreator } from '../../src/kafka/client.js';

/** A pino logger writing JSON lines into an array. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => lines.push(JSON.parse(s)) });
  return { lines, log: kafkaLogCreator(logger)() };
}

const entry = (level: logLevel, message: string, extra: Record<string, unknown> = {}) => ({
  namespace: 'Connection',
  level,
  label: 'ERROR',
  log: { timestamp: 'now', logger: 'kafkajs', message, ...extra },
});

describe('kafkajs log bridge', () => {
  it('logs a broker error kafkajs will retry as a warning, marked retried', () => {
    const { lines, log } = capture();
    log(
      entry(logLevel.ERROR, 'Response AddPartitionsToTxn(key: 24, version: 1)', {
        error:
          'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing',
        correlationId: 7,
      }),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, module: 'kafkajs', retried: true, correlationId: 7 });
    expect(lines[0]).not.toHaveProperty('timestamp');
    // The producer's retry loop says the same in its message.
    log({
      namespace: 'Producer',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: {
        timestamp: 'now',
        logger: 'kafkajs',
        message:
          'Failed to send messages: The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing',
        retryCount: 0,
        retryTime: 18,
      },
    });
    expect(lines[1]).toMatchObject({ level: 40, namespace: 'Producer', retried: true, retryCount: 0 });
    // A heartbeat answered "rebalancing" while a worker joins: the member rejoins.
    log(
      entry(logLevel.ERROR, 'Response Heartbeat(key: 12, version: 3)', {
        error: 'The group is rebalancing, so a rejoin is needed',
      }),
    );
    expect(lines[2]).toMatchObject({ level: 40, retried: true });
  });

  it('keeps a non-retriable broker error, and any other error, at error level', () => {
    const { lines, log } = capture();
    log(
      entry(logLevel.ERROR, 'Response Produce(key: 0, version: 7)', {
        error: 'The request included a message larger than the max message size the server will accept',
      }),
    );
    log(entry(logLevel.ERROR, 'Connection error: ECONNREFUSED'));
    log(entry(logLevel.ERROR, 'Failed to send messages: Connection error: ECONNREFUSED', { retryCount: 2 }));
    expect(lines.map((l) => l.level)).toEqual([50, 50, 50]);
    expect(lines.every((l) => !('retried' in l))).toBe(true);
  });

  it('passes warnings and info through at their level', () => {
    const { lines, log } = capture();
    log(entry(logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees'));
    log(entry(logLevel.INFO, 'Starting'));
    expect(lines.map((l) => l.level)).toEqual([40, 30]);
  });
});
