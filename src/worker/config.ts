import type { KafkaSettings as PipelineKafka } from '../config/pipeline.js';
import type { KafkaSettings } from '../config/settings.js';
import { QaError } from '../errors.js';

/** The worker's Kafka settings with its topics and group resolved: the pipeline's, overridden by the environment. */
export type WorkerConfig = Omit<
  KafkaSettings,
  | 'brokers'
  | 'groupId'
  | 'inputTopics'
  | 'outputTopic'
  | 'deadLetterTopic'
  | 'queueTopicPrefix'
  | 'transactionalIdPrefix'
> & {
  brokers: string[];
  groupId: string;
  inputTopics: string[];
  outputTopic: string;
  deadLetterTopic: string;
  queueTopicPrefix: string | undefined;
  transactionalIdPrefix: string;
};

/** Pipeline `kafka:` settings, overridden by the environment's; every missing piece reported at once. */
export function workerConfig(
  pipelineId: string,
  pipeline: PipelineKafka | undefined,
  env: KafkaSettings,
): WorkerConfig {
  const inputTopics = env.inputTopics ?? pipeline?.input_topics ?? [];
  const outputTopic = env.outputTopic ?? pipeline?.output_topic;
  const deadLetterTopic = env.deadLetterTopic ?? pipeline?.dead_letter_topic;
  const problems: string[] = [];
  if (!env.brokers) problems.push('no brokers: set KAFKA_BROKERS');
  if (inputTopics.length === 0)
    problems.push('no input topics: set kafka.input_topics in the pipeline or KAFKA_INPUT_TOPICS');
  if (!outputTopic) problems.push('no output topic: set kafka.output_topic or KAFKA_OUTPUT_TOPIC');
  if (!deadLetterTopic) problems.push('no dead-letter topic: set kafka.dead_letter_topic or KAFKA_DLQ_TOPIC');
  if (problems.length > 0 || !env.brokers || !outputTopic || !deadLetterTopic) {
    throw new QaError('QA_ERR_SETTINGS_INVALID', pipelineId, problems);
  }
  const groupId = env.groupId ?? pipeline?.group_id ?? `qa-screen-${pipelineId}`;
  return {
    ...env,
    brokers: env.brokers,
    groupId,
    inputTopics,
    outputTopic,
    deadLetterTopic,
    queueTopicPrefix: env.queueTopicPrefix ?? pipeline?.queue_topic_prefix,
    transactionalIdPrefix: env.transactionalIdPrefix ?? groupId,
  };
}
