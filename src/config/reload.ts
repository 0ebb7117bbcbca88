import type { Logger } from 'pino';
import { isQaError } from '../errors.js';
import { logEvent } from '../events.js';
import type { CompiledPipeline } from './compile.js';
import { loadPipelineWithFiles } from './load.js';
import type { ConfigStore } from './store.js';

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
        const loaded = await loadPipelineWithFiles(location, store.read);
        files = loaded.files;
        seen = await fingerprints(files);
        apply(loaded.pipeline);
        logEvent(logger, 'info', 'config.reload', {
          pipeline: loaded.pipeline.id,
          version: loaded.pipeline.version,
          lexicons: loaded.pipeline.lexicons,
        });
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
