import type { Logger } from 'pino';
import { logEvent } from '../events.js';

/**
 * Runs until SIGTERM/SIGINT (exit code 0 once `stop` completes, 1 if it fails or takes longer than
 * `timeoutMs`) or until the service reports a fatal error through the handler (exit code 1 after
 * `stop`), so an orchestrator restarts a process that can no longer work.
 */
export function untilSignal(o: {
  logger: Logger;
  timeoutMs: number;
  stop: () => Promise<void>;
  onFatal?: (handler: () => void) => void;
}): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const finish = (code: number, signal?: string) => {
      if (stopping) return;
      stopping = true;
      if (signal) logEvent(o.logger, 'info', 'process.shutdown', { signal });
      const timer = setTimeout(() => {
        logEvent(o.logger, 'error', 'process.shutdown_timeout', { timeoutMs: o.timeoutMs });
        resolve(1);
      }, o.timeoutMs);
      timer.unref();
      o.stop()
        .then(() => {
          clearTimeout(timer);
          resolve(code);
        })
        .catch((err: Error) => {
          logEvent(o.logger, 'error', 'process.shutdown_error', { err: err.message });
          resolve(1);
        });
    };
    o.onFatal?.(() => finish(1));
    process.once('SIGTERM', () => finish(0, 'SIGTERM'));
    process.once('SIGINT', () => finish(0, 'SIGINT'));
  });
}
