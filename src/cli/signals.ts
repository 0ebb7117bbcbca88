import type { Logger } from 'pino';
import { logEvent } from '../events.js';

type Signal = 'SIGTERM' | 'SIGINT';

/** SIGTERM/SIGINT as caught since `listenForSignals`, handed to whoever waits for them. */
export interface SignalListener {
  /**
   * Calls `handler` with the first signal: at once if one came already (`logged`: its shutdown line
   * is written), else when it comes.
   */
  next(handler: (signal: Signal, logged: boolean) => void): void;
}

/**
 * Catches SIGTERM/SIGINT from now on. A long-lived command calls it before it starts its service:
 * without it a signal that arrives while the service connects (an orchestrator stopping a pod that
 * is still starting) takes the default action and kills the process mid-start, exit code none. A
 * signal caught during the start is honoured by `untilSignal` as soon as the service is up; if the
 * start does not finish within `timeoutMs`, the process exits 1.
 */
export function listenForSignals(o: {
  logger: Logger;
  timeoutMs: number;
  /** Where the signals come from: the process, or a stand-in in unit tests. */
  source?: Pick<NodeJS.Process, 'once'>;
}): SignalListener {
  let caught: Signal | undefined;
  let handler: ((signal: Signal, logged: boolean) => void) | undefined;
  let deadline: NodeJS.Timeout | undefined;
  const on = (signal: Signal) => () => {
    if (handler) return handler(signal, false);
    if (caught) return;
    caught = signal;
    logEvent(o.logger, 'info', 'process.shutdown', { signal, starting: true });
    deadline = setTimeout(() => {
      logEvent(o.logger, 'error', 'process.shutdown_timeout', { timeoutMs: o.timeoutMs, starting: true });
      process.exit(1);
    }, o.timeoutMs);
  };
  const source = o.source ?? process;
  source.once('SIGTERM', on('SIGTERM'));
  source.once('SIGINT', on('SIGINT'));
  return {
    next(h) {
      handler = h;
      clearTimeout(deadline);
      if (caught) h(caught, true);
    },
  };
}

/**
 * Runs until SIGTERM/SIGINT (exit code 0 once `stop` completes, 1 if it fails or takes longer than
 * `timeoutMs`) or until the service reports a fatal error through the handler (exit code 1 after
 * `stop`), so an orchestrator restarts a process that can no longer work. `signals`: the listener
 * the command made before starting its service (one is made here otherwise).
 */
export function untilSignal(o: {
  logger: Logger;
  timeoutMs: number;
  stop: () => Promise<void>;
  onFatal?: (handler: () => void) => void;
  signals?: SignalListener;
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
    // A signal caught while starting was logged then: one shutdown line per signal.
    (o.signals ?? listenForSignals(o)).next((signal, logged) => finish(0, logged ? undefined : signal));
  });
}
