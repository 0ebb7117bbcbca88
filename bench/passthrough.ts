/**
 * The fair baseline of `npm run bench:kafka`: a kafkajs consume → produce passthrough built from the
 * worker's own Kafka source and sink (same consumer settings, fetch sizes, partition concurrency,
 * produce chunking, producer pool, and commit strategy: one transaction per batch with the offsets,
 * or produce-then-commit), with screening replaced by copying each record's key and value to the
 * output topic. What the worker does beyond this is screening. Run by bench/kafka.ts as its own
 * process, configured by the worker's environment variables; /readyz says when it joined.
 */
import { parseSettings } from '../src/config/settings.js';
import { createKafka } from '../src/kafka/client.js';
import { startOpsServer } from '../src/ops/http.js';
import { createLogger } from '../src/ops/logger.js';
import { createMetrics } from '../src/ops/metrics.js';
import type { Outgoing } from '../src/sinks/kafka.js';
import { workerConfig } from '../src/worker/config.js';
import { kafkaEnds } from '../src/worker/worker.js';

const settings = parseSettings(process.env);
const config = workerConfig('passthrough', undefined, settings.kafka);
const logger = createLogger({ level: settings.ops.logLevel });
const kafka = createKafka(config, logger);
const { source, sink } = kafkaEnds(kafka, config);
await source.run(async (batch) => {
  const outgoing: Outgoing[] = batch.records.map((r) => ({
    topic: config.outputTopic,
    message: { key: r.key, value: r.value ?? null },
  }));
  await sink.write(batch, outgoing);
});
const server = await startOpsServer(
  createMetrics().registry,
  { live: () => true, ready: () => source.joined() },
  settings.ops.metricsPort,
  settings.ops.metricsHost,
);
process.once('SIGTERM', async () => {
  await source.stop();
  await sink.close();
  server.close();
  process.exit(0);
});
