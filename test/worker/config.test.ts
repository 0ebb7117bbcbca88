import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/config/settings.js';
import type { QaError } from '../../src/errors.js';
import { workerConfig } from '../../src/worker/config.js';

const pipelineKafka = { input_topics: ['in'], output_topic: 'out', dead_letter_topic: 'dlq' };
const kafkaEnv = (env: Record<string, string>) => parseSettings(env).kafka;

describe('worker configuration', () => {
  it('takes topics from the pipeline and lets the environment override them', () => {
    const c = workerConfig(
      'chat-zh',
      pipelineKafka,
      kafkaEnv({ KAFKA_BROKERS: 'a:9092, b:9093', KAFKA_OUTPUT_TOPIC: 'items' }),
    );
    expect(c).toMatchObject({
      brokers: ['a:9092', 'b:9093'],
      inputTopics: ['in'],
      outputTopic: 'items',
      groupId: 'qa-screen-chat-zh',
      transactions: true,
      partitionsConcurrently: 2,
    });
    expect(c.transactionalIdPrefix).toBe('qa-screen-chat-zh');
  });

  it('reports every missing piece of the topology at once', () => {
    try {
      workerConfig('p', undefined, kafkaEnv({}));
      expect.unreachable();
    } catch (err) {
      expect((err as QaError).code).toBe('QA_ERR_SETTINGS_INVALID');
      expect((err as QaError).details).toEqual([
        'no brokers: set KAFKA_BROKERS',
        'no input topics: set kafka.input_topics in the pipeline or KAFKA_INPUT_TOPICS',
        'no output topic: set kafka.output_topic or KAFKA_OUTPUT_TOPIC',
        'no dead-letter topic: set kafka.dead_letter_topic or KAFKA_DLQ_TOPIC',
      ]);
    }
  });
});
