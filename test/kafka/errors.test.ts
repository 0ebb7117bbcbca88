import { describe, expect, it } from 'vitest';
import { QaError } from '../../src/errors.js';
import { kafkaError } from '../../src/kafka/errors.js';

describe('Kafka errors mapped to the catalogue', () => {
  it('calls a broker rejection permanent, however deep kafkajs wrapped it', () => {
    const inner = Object.assign(new Error('too large'), { type: 'MESSAGE_TOO_LARGE', retriable: false });
    const wrapped = Object.assign(new Error('produce failed'), {
      errors: [Object.assign(new Error('x'), { cause: inner })],
    });
    const e = kafkaError(wrapped);
    expect(e).toBeInstanceOf(QaError);
    expect(e).toMatchObject({ code: 'QA_ERR_KAFKA_REJECTED', retriable: false });
    expect(e.message).toContain('MESSAGE_TOO_LARGE');
  });

  it('calls everything else unavailable and retriable (kafkajs calls a fenced epoch fatal; we consume again)', () => {
    const fenced = Object.assign(new Error('fenced'), { type: 'INVALID_PRODUCER_EPOCH', retriable: false });
    expect(kafkaError(fenced)).toMatchObject({ code: 'QA_ERR_KAFKA_UNAVAILABLE', retriable: true });
    expect(kafkaError(new Error('Connection error: ECONNREFUSED'))).toMatchObject({
      code: 'QA_ERR_KAFKA_UNAVAILABLE',
    });
  });

  it('leaves catalogue errors as they are', () => {
    const e = new QaError('QA_ERR_S3_UNAVAILABLE');
    expect(kafkaError(e)).toBe(e);
  });
});
