import { loadPipelineWithFiles } from '../../config/load.js';
import { watchPipeline } from '../../config/reload.js';
import { logEvent } from '../../events.js';
import { startOpsServer } from '../../ops/http.js';
import { createLogger } from '../../ops/logger.js';
import { createMetrics } from '../../ops/metrics.js';
import { createS3Client } from '../../s3/client.js';
import { configStore } from '../../s3/config-store.js';
import { workerConfig } from '../../worker/config.js';
import { startWorker, type Worker } from '../../worker/worker.js';
import { type Command, required } from '../command.js';
import { untilSignal } from '../signals.js';

export const workerCommand: Command = {
  name: 'worker',
  summary:
    'Kafka worker: consume transcripts, screen, produce items exactly once (settings: the pipeline kafka: section and the environment).',
  options: {
    pipeline: { type: 'string', short: 'p', valueName: 'FILE|s3://…', help: 'pipeline file or object' },
  },
  async run(args, context) {
    const pipelinePath = required(args, 'pipeline');
    const settings = context.settings();
    const logger = createLogger({ level: settings.ops.logLevel });
    const usesS3 = pipelinePath.startsWith('s3://') || settings.worker.claimCheck === 's3';
    const s3 = usesS3 ? createS3Client(settings.s3) : undefined;
    const store = configStore(s3);
    const { pipeline, files } = await loadPipelineWithFiles(pipelinePath, store.read);
    const config = workerConfig(pipeline.id, pipeline.config.kafka, settings.kafka);
    const metrics = createMetrics();
    let worker: Worker | undefined;
    let stopping = false;
    const server = await startOpsServer(
      metrics.registry,
      { live: () => !stopping, ready: () => worker?.ready() ?? false },
      settings.ops.metricsPort,
      settings.ops.metricsHost,
    );
    logEvent(logger, 'info', 'ops.listen', { port: settings.ops.metricsPort });
    let fatal: ((err: Error) => void) | undefined;
    worker = await startWorker({
      pipeline,
      config,
      logger,
      metrics,
      s3: settings.worker.claimCheck === 's3' ? s3 : undefined,
      onFatal: (err) => fatal?.(err),
    });
    const watch =
      settings.worker.configPollSeconds > 0
        ? watchPipeline({
            location: pipelinePath,
            store,
            files,
            intervalMs: settings.worker.configPollSeconds * 1000,
            logger,
            apply: (next) => worker!.reload(next),
          })
        : undefined;

    const code = await untilSignal({
      logger,
      timeoutMs: settings.worker.shutdownTimeoutMs,
      onFatal: (handler) => {
        fatal = (err) => {
          logEvent(logger, 'fatal', 'worker.fatal', { err: err.message });
          handler();
        };
      },
      async stop() {
        stopping = true;
        watch?.stop();
        await worker!.stop();
        await new Promise<void>((done) => server.close(() => done()));
      },
    });
    // Exit explicitly: kafkajs reconnect timers would otherwise keep a stopped worker alive.
    process.exit(code);
  },
};
