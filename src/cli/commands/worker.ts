import { availableParallelism } from 'node:os';
import { watchConfig } from '../../config/reload.js';
import { describeScreening, kafkaSection, loadScreeningWithFiles } from '../../config/routing.js';
import { logEvent } from '../../events.js';
import { startOpsServer } from '../../ops/http.js';
import { createLogger } from '../../ops/logger.js';
import { createMetrics } from '../../ops/metrics.js';
import { createS3Client } from '../../s3/client.js';
import { configStore } from '../../s3/config-store.js';
import { workerConfig } from '../../worker/config.js';
import { isWorkerProcess, joinSupervisor, supervise } from '../../worker/processes.js';
import { startWorker, type Worker } from '../../worker/worker.js';
import { CONFIG_ROOT_OPTION, type Command, list, ROUTING_OPTION, screeningSource } from '../command.js';
import { listenForSignals, untilSignal } from '../signals.js';

export const workerCommand: Command = {
  name: 'worker',
  summary:
    'Kafka worker: consume transcripts, screen, produce items exactly once (settings: the pipeline or routing kafka: section and the environment).',
  options: {
    pipeline: { type: 'string', short: 'p', valueName: 'FILE|s3://…', help: 'pipeline file or object' },
    routing: { ...ROUTING_OPTION, valueName: 'FILE|s3://…' },
    'config-root': CONFIG_ROOT_OPTION,
  },
  async run(args, context) {
    const source = screeningSource(args);
    const settings = context.settings();
    const logger = createLogger({ level: settings.ops.logLevel });
    const processes = settings.worker.processes || availableParallelism();
    if (processes > 1 && !isWorkerProcess()) {
      process.exit(
        await supervise({
          processes,
          logger,
          metricsPort: settings.ops.metricsPort,
          metricsHost: settings.ops.metricsHost,
          shutdownTimeoutMs: settings.worker.shutdownTimeoutMs,
        }),
      );
    }
    // From here on a SIGTERM during the start (loading, connecting, warming up) stops cleanly.
    const signals = listenForSignals({ logger, timeoutMs: settings.worker.shutdownTimeoutMs });
    const usesS3 = source.location.startsWith('s3://') || settings.worker.claimCheck === 's3';
    const s3 = usesS3 ? createS3Client(settings.s3) : undefined;
    const store = configStore(s3);
    const roots = list(args, 'config-root');
    const { value: screening, files } = await loadScreeningWithFiles(source, store.read, roots);
    const config = workerConfig(screening.id, kafkaSection(screening), settings.kafka);
    const metrics = createMetrics();
    let worker: Worker | undefined;
    let stopping = false;
    const health = { live: () => !stopping, ready: () => worker?.ready() ?? false };
    // A worker process of several reports to the primary, which serves the ops endpoints.
    const server = isWorkerProcess()
      ? undefined
      : await startOpsServer(metrics.registry, health, settings.ops.metricsPort, settings.ops.metricsHost);
    if (server) logEvent(logger, 'info', 'ops.listen', { port: settings.ops.metricsPort });
    else joinSupervisor(metrics.registry, health.ready);
    let fatal: ((err: Error) => void) | undefined;
    worker = await startWorker({
      pipeline: screening,
      config,
      logger,
      metrics,
      s3: settings.worker.claimCheck === 's3' ? s3 : undefined,
      onFatal: (err) => fatal?.(err),
    });
    const watch =
      settings.worker.configPollSeconds > 0
        ? watchConfig({
            location: source.location,
            store,
            files,
            intervalMs: settings.worker.configPollSeconds * 1000,
            logger,
            load: (location, read) => loadScreeningWithFiles({ ...source, location }, read, roots),
            apply: (next) => worker!.reload(next),
            describe: describeScreening,
          })
        : undefined;

    const code = await untilSignal({
      logger,
      timeoutMs: settings.worker.shutdownTimeoutMs,
      signals,
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
        if (server) await new Promise<void>((done) => server.close(() => done()));
      },
    });
    // Exit explicitly: kafkajs reconnect timers would otherwise keep a stopped worker alive.
    process.exit(code);
  },
};
