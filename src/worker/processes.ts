import cluster, { type Worker as ClusterWorker } from 'node:cluster';
import type { Logger } from 'pino';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { logEvent } from '../events.js';
import { startOpsServer } from '../ops/http.js';

/**
 * Both cores: one `qa-screen worker` runs N worker processes (node:cluster), each a full worker and
 * consumer-group member with its own partitions, transactional producers and hot reload, so the
 * Kafka client's work (decoding, encoding, CRC) scales with the screening, and exactly-once holds
 * per partition as it does across machines. The primary only supervises: it serves /metrics
 * (every process's metrics, aggregated), /healthz and /readyz (ready when every process is), passes
 * SIGTERM/SIGINT on and waits, and exits 1 when a process dies so the orchestrator restarts the lot.
 * Chosen over a screening thread pool by measurement (npm run bench:kafka, CPU per transcript):
 * screening is ~85% of the worker's CPU and the Kafka client ~15%; processes split both, copy
 * nothing between threads, and a second process costs ~5% more CPU per transcript.
 */
const READY = 'qa-screen:ready';

/** In a worker process: answer the primary's metrics requests and report readiness. */
export function joinSupervisor(registry: Registry, ready: () => boolean): void {
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry(); // installs prom-client's listener for the primary's metrics requests
  let last: boolean | undefined;
  const report = () => {
    const now = ready();
    if (now !== last && process.connected) process.send?.({ type: READY, ready: now });
    last = now;
  };
  setInterval(report, 250).unref();
  // The primary is gone (killed): stop as on SIGTERM, finishing the batch in flight.
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

export async function supervise(o: {
  processes: number;
  logger: Logger;
  metricsPort: number;
  metricsHost: string;
  shutdownTimeoutMs: number;
}): Promise<number> {
  const registry = new AggregatorRegistry();
  const ready = new Map<number, boolean>();
  let stopping = false;
  const server = await startOpsServer(
    {
      metrics: () => registry.clusterMetrics(),
      contentType: registry.contentType as Registry['contentType'],
    },
    {
      live: () => !stopping,
      ready: () => !stopping && ready.size === o.processes && [...ready.values()].every(Boolean),
    },
    o.metricsPort,
    o.metricsHost,
  );
  logEvent(o.logger, 'info', 'ops.listen', { port: o.metricsPort, processes: o.processes });
  cluster.on('message', (worker: ClusterWorker, message: { type?: string; ready?: boolean }) => {
    if (message?.type === READY) ready.set(worker.id, message.ready === true);
  });
  const workers = Array.from({ length: o.processes }, () => cluster.fork());
  const exits = workers.map(
    (w) =>
      new Promise<number>((resolve) => {
        w.once('exit', (code, signal) => {
          ready.delete(w.id);
          if (!stopping) {
            logEvent(o.logger, 'fatal', 'worker.fatal', { process: w.process.pid, code, signal });
            void stop(1);
          }
          resolve(code ?? 1);
        });
      }),
  );
  let result: Promise<number> | undefined;
  function stop(code: number): Promise<number> {
    result ??= (async () => {
      stopping = true;
      for (const w of workers) if (!w.isDead()) w.process.kill('SIGTERM');
      const timeout = new Promise<number[]>((resolve) => {
        setTimeout(() => {
          logEvent(o.logger, 'error', 'process.shutdown_timeout', { timeoutMs: o.shutdownTimeoutMs });
          for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL');
          resolve([1]);
        }, o.shutdownTimeoutMs + 1000).unref();
      });
      const codes = await Promise.race([Promise.all(exits), timeout]);
      await new Promise<void>((done) => server.close(() => done()));
      return Math.max(code, ...codes);
    })();
    return result;
  }
  return new Promise<number>((resolve) => {
    const onSignal = (signal: string) => {
      logEvent(o.logger, 'info', 'process.shutdown', { signal });
      void stop(0).then(resolve);
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
    void Promise.all(exits).then(() => stop(1).then(resolve));
  });
}

export const isWorkerProcess = () => cluster.isWorker;
