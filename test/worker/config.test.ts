import { describe, expect, it } from 'vitest';
import { QaError } from '../../src/errors.js';
import { workerConfig } from '../../src/worker/config.js';

const settings = { input_topics: ['in'], output_topic: 'out', dead_letter_topic: 'dlq' };

describe('worker configuration', () => {
  it('takes topics from the pipeline and lets the environment override them', () => {
    const c = workerConfig('chat-zh', settings, {
      KAFKA_BROKERS: 'a:9092, b:9093',
      KAFKA_OUTPUT_TOPIC: 'items',
    });
    expect(c).toMatchObject({
      brokers: ['a:9092', 'b:9093'],
      inputTopics: ['in'],
      outputTopic: 'items',
      groupId: 'qa-screen-chat-zh',
      transactions: true,
    });
    expect(c.transactionalIdPrefix).toBe('qa-screen-chat-zh');
  });

  it('reports every missing or invalid setting at once', () => {
    try {
      workerConfig('p', undefined, { KAFKA_BROKERS: 'a:9092', KAFKA_SASL_MECHANISM: 'plain' });
      expect.unreachable();
    } catch (err) {
      expect((err as QaError).code).toBe('QA_ERR_WORKER_CONFIG');
      expect((err as QaError).details).toEqual([
        'no input topics: set kafka.input_topics in the pipeline or KAFKA_INPUT_TOPICS',
        'no output topic: set kafka.output_topic or KAFKA_OUTPUT_TOPIC',
        'no dead-letter topic: set kafka.dead_letter_topic or KAFKA_DLQ_TOPIC',
        'KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD',
      ]);
    }
  });

  it('rejects malformed environment values with the variable name', () => {
    expect(() =>
      workerConfig('p', settings, { KAFKA_BROKERS: 'nohost', KAFKA_SESSION_TIMEOUT_MS: '10' }),
    ).toThrow(QaError);
    try {
      workerConfig('p', settings, { KAFKA_BROKERS: 'nohost', KAFKA_SESSION_TIMEOUT_MS: '10' });
    } catch (err) {
      expect((err as QaError).details.join('\n')).toMatch(/KAFKA_BROKERS\.0: expected host:port/);
      expect((err as QaError).details.join('\n')).toMatch(/KAFKA_SESSION_TIMEOUT_MS: Too small/);
    }
  });
});
