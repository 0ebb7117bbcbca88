/**
 * The one shape of every way transcripts (or items) come in: a factory returns a Source, which hands
 * batches of records to a callback. A batch is done when the callback resolves; where the source
 * keeps a position (consumer offsets), `commit` saves it — after the output is durable, or inside the
 * same transaction as the output for sinks that can (Kafka).
 */
export interface InputRecord {
  /** The raw bytes or text; undefined when the record was too large to read (`bytes` says how large). */
  readonly value: Buffer | string | undefined;
  readonly bytes: number;
  readonly key?: Buffer | string | null;
  readonly headers?: Readonly<Record<string, Buffer | string | undefined>>;
}

export interface InputBatch<R extends InputRecord = InputRecord> {
  readonly records: readonly R[];
  /** Saves the source's position through `upTo` (default: the whole batch). */
  commit(upTo?: R): Promise<void>;
}

export interface Source<R extends InputRecord = InputRecord> {
  readonly name: string;
  /**
   * Delivers batches, one at a time per partition, until the input ends (files: resolves then) or
   * `stop` is called (streams: resolves once consuming has started). A callback that throws an
   * error marked retriable gets the batch again; any other error stops the source.
   */
  run(onBatch: (batch: InputBatch<R>) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}
