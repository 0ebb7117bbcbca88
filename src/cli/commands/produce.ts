import { QaError } from '../../errors.js';
import { createKafka } from '../../kafka/client.js';
import { kafkaError } from '../../kafka/errors.js';
import { createLogger } from '../../ops/logger.js';
import { openInput, readJsonl } from '../../sources/jsonl.js';
import { type Command, optional, readablePaths, required, usageError } from '../command.js';

/** The conversation id, when the line is a JSON object that has one; bad lines are sent unkeyed. */
function conversationKey(text: string): string | null {
  try {
    const id = (JSON.parse(text) as { conversationId?: unknown }).conversationId;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

export const produceCommand: Command = {
  name: 'produce',
  summary: 'Load JSONL transcripts into a topic, keyed by conversation id (for demos and benches).',
  positionals: 'FILE|-',
  options: {
    topic: { type: 'string', short: 't', valueName: 'TOPIC', help: 'target topic' },
    brokers: { type: 'string', short: 'b', valueName: 'HOST:PORT,…', help: 'default: KAFKA_BROKERS' },
  },
  async run(args, context) {
    if (args.positionals.length !== 1) usageError('produce needs one input file (or - for stdin)');
    const topic = required(args, 'topic');
    const settings = context.settings().kafka;
    const brokers =
      optional(args, 'brokers')
        ?.split(',')
        .map((b) => b.trim()) ?? settings.brokers;
    if (!brokers?.length) throw new QaError('QA_ERR_SETTINGS_INVALID', 'set KAFKA_BROKERS or --brokers');
    const logger = createLogger({ level: 'warn' });
    const kafka = createKafka({ ...settings, brokers, clientId: `${settings.clientId}-produce` }, logger);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const input = args.positionals[0]!;
    readablePaths([input]);
    let batch: Array<{ key: string | null; value: string | Buffer }> = [];
    let sent = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await producer.send({ topic, messages: batch, acks: -1 });
      sent += batch.length;
      batch = [];
    };
    try {
      await producer.connect();
      for await (const line of readJsonl(openInput(input), 64 * 1024 * 1024)) {
        if ('oversized' in line) continue;
        // Bytes that are not UTF-8 go as they are: the worker dead-letters them with the reason.
        if ('notUtf8' in line) batch.push({ key: null, value: line.notUtf8 });
        else batch.push({ key: conversationKey(line.text), value: line.text });
        if (batch.length >= 1000) await flush();
      }
      await flush();
    } catch (err) {
      throw kafkaError(err);
    } finally {
      await producer.disconnect();
    }
    process.stderr.write(`produced ${sent} record(s) to ${topic}\n`);
    return 0;
  },
};
