import type { Logger } from 'pino';
import { isQaError } from '../errors.js';
import { logEvent } from '../events.js';
import type { CompiledPipeline } from './compile.js';
import { loadPipelineWithFiles } from './load.js';
import { describeScreening } from './routing.js';
import type { ConfigStore, ReadText } from './store.js';

export interface PipelineWatch {
  stop(): void;
  /** One poll, now (tests; also what the timer runs). Resolves true when a new version was applied. */
  check(): Promise<boolean>;
}

/**
 * Hot reload: polls the fingerprints (ETag, mtime) of a pipeline and its lexicons; when one changes,
 * loads and compiles the new version and hands it to `apply`. A version that fails validation is
 * rejected with a clear log, and the one already serving goes on.
 */
export function watchPipeline(options: {
  location: string;
  store: ConfigStore;
  files: readonly string[];
  intervalMs: number;
  logger: Logger;
  apply: (pipeline: CompiledPipeline) => void;
}): PipelineWatch {
  return watchConfig({
    ...options,
    load: async (location, read) => {
      const { pipeline, files } = await loadPipelineWithFiles(location, read);
      return { value: pipeline, files };
    },
    describe: describeScreening,
  });
}

/**
 * Hot reload of any configuration made of files (a pipeline and its lexicons; a routing file, its
 * pipelines and theirs): when any file's fingerprint changes, the whole is loaded and validated
 * again and applied at once, or rejected with every problem listed while the old one keeps serving.
 */
export function watchConfig<T>(options: {
  location: string;
  store: ConfigStore;
  files: readonly string[];
  intervalMs: number;
  logger: Logger;
  load: (location: string, read: ReadText) => Promise<{ value: T; files: string[] }>;
  apply: (value: T) => void;
  /** The fields of the `config.reload` log line (ids and versions). */
  describe: (value: T) => Record<string, unknown>;
}): PipelineWatch {
  const { location, store, logger, apply } = options;
  let files = [...options.files];
  let seen: string | undefined;
  let running = false;

  const fingerprints = async (list: readonly string[]) =>
    (await Promise.all(list.map(async (f) => `${f}=${await store.fingerprint(f)}`))).join('\n');

  const ready = fingerprints(files).then((f) => {
    seen = f;
  });

  async function check(): Promise<boolean> {
    await ready;
    if (running) return false;
    running = true;
    try {
      const now = await fingerprints(files);
      if (now === seen) return false;
      seen = now;
      try {
        const loaded = await options.load(location, store.read);
        files = loaded.files;
        seen = await fingerprints(files);
        apply(loaded.value);
        logEvent(logger, 'info', 'config.reload', options.describe(loaded.value));
        return true;
      } catch (err) {
        // An unavailable store is not a bad configuration: look again at the next poll.
        if (!isQaError(err) || err.retriable) {
          seen = undefined;
          throw err;
        }
        logEvent(logger, 'error', 'config.reject', {
          code: err.code,
          detail: err.message,
          issues: err.details,
        });
        return false;
      }
    } catch (err) {
      logEvent(logger, 'warn', 'config.poll_error', {
        code: isQaError(err) ? err.code : undefined,
        err: (err as Error).message,
      });
      return false;
    } finally {
      running = false;
    }
  }

  const timer = setInterval(() => void check(), options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), check };
}
