// Long-lived commands (worker, archive, review serve/ingest) stop on SIGTERM/SIGINT with exit code 0,
// also when the signal comes while they are still starting: before, a signal during the start took
// the default action and killed the process with no exit code (seen as a flaky kill -9 test, whose
// final SIGTERM landed while the archiver was still joining its group).
import { EventEmitter } from 'node:events';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listenForSignals, untilSignal } from '../../src/cli/signals.js';

const logger = pino({ level: 'silent' });
const source = () => new EventEmitter() as EventEmitter & Pick<NodeJS.Process, 'once'>;

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('listenForSignals and untilSignal', () => {
  it('honours a SIGTERM that came while the service was starting, once it is up', async () => {
    const signals = source();
    const listener = listenForSignals({ logger, timeoutMs: 5_000, source: signals });
    signals.emit('SIGTERM'); // the service is still starting
    const stop = vi.fn(async () => {});
    await expect(untilSignal({ logger, timeoutMs: 5_000, stop, signals: listener })).resolves.toBe(0);
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('logs one shutdown line for a signal, whether it came while starting or after', async () => {
    const lines: Array<{ event?: string }> = [];
    const recording = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const shutdowns = () => lines.filter((l) => l.event === 'process.shutdown').length;
    const early = source();
    const listener = listenForSignals({ logger: recording, timeoutMs: 5_000, source: early });
    early.emit('SIGTERM');
    await untilSignal({ logger: recording, timeoutMs: 5_000, stop: async () => {}, signals: listener });
    expect(shutdowns()).toBe(1);
    const late = source();
    const done = untilSignal({
      logger: recording,
      timeoutMs: 5_000,
      stop: async () => {},
      signals: listenForSignals({ logger: recording, timeoutMs: 5_000, source: late }),
    });
    late.emit('SIGTERM');
    await done;
    expect(shutdowns()).toBe(2);
  });

  it('stops on a signal that comes after the start, and only once for two signals', async () => {
    const signals = source();
    const listener = listenForSignals({ logger, timeoutMs: 5_000, source: signals });
    const stop = vi.fn(async () => {});
    const done = untilSignal({ logger, timeoutMs: 5_000, stop, signals: listener });
    expect(stop).not.toHaveBeenCalled();
    signals.emit('SIGINT');
    signals.emit('SIGTERM');
    await expect(done).resolves.toBe(0);
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('exits 1 when the start does not finish within the timeout after a signal', () => {
    vi.useFakeTimers();
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const signals = source();
    listenForSignals({ logger, timeoutMs: 1_000, source: signals });
    signals.emit('SIGTERM');
    vi.advanceTimersByTime(999);
    expect(exit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('does not exit on its own once the service is up and waiting', async () => {
    vi.useFakeTimers();
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const signals = source();
    const listener = listenForSignals({ logger, timeoutMs: 1_000, source: signals });
    signals.emit('SIGTERM');
    const done = untilSignal({ logger, timeoutMs: 1_000, stop: async () => {}, signals: listener });
    await expect(done).resolves.toBe(0);
    vi.advanceTimersByTime(5_000);
    expect(exit).not.toHaveBeenCalled();
  });

  it('gives exit code 1 when the service reports a fatal error, and when stopping fails', async () => {
    const fatal = untilSignal({
      logger,
      timeoutMs: 5_000,
      stop: async () => {},
      signals: listenForSignals({ logger, timeoutMs: 5_000, source: source() }),
      onFatal: (handler) => handler(),
    });
    await expect(fatal).resolves.toBe(1);
    const signals = source();
    const failing = untilSignal({
      logger,
      timeoutMs: 5_000,
      stop: async () => {
        throw new Error('cannot leave the group');
      },
      signals: listenForSignals({ logger, timeoutMs: 5_000, source: signals }),
    });
    signals.emit('SIGTERM');
    await expect(failing).resolves.toBe(1);
  });
});
