import type { InputBatch } from '../sources/source.js';

/**
 * The one shape of every way results go out: a factory returns a Sink, which writes what one input
 * batch produced. Sinks that can make the batch's position durable with their output (a Kafka
 * transaction) do so; the others leave committing to the caller, after `write` resolves.
 */
export interface Sink<T, B extends InputBatch = InputBatch> {
  write(batch: B, values: readonly T[]): Promise<void>;
  /** Flushes what is buffered and releases the target. */
  close(): Promise<void>;
}
