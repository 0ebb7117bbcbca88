import { processMessage, type ResolveRef } from '../pipeline/process.js';
import type { Router } from '../pipeline/route.js';
import type { Screener } from '../pipeline/screen.js';
import { type Outgoing, outgoingFor, type Routing } from '../sinks/kafka.js';
import type { KafkaRecord } from '../sources/kafka.js';

export interface DeadLetter {
  code: string;
  offset: string;
  conversationId: string | undefined;
  /** The pipeline the record was routed to, when it got that far. */
  pipeline?: string | undefined;
}

/** What a batch produced, for metrics and logs (labelled by pipeline): nothing in it is transcript text. */
export interface BatchTally {
  queues: Array<{ pipeline: string; queue: string }>;
  deadLetters: DeadLetter[];
  /** Rule id of every finding. */
  findings: Array<{ pipeline: string; rule: string }>;
  /** Screening time per record, seconds (pipeline undefined: rejected before routing). */
  seconds: Array<{ pipeline: string | undefined; seconds: number }>;
}

const YIELD_MS = 4;

/**
 * One batch screens at a time (per process): screening is CPU-bound, so batches of partitions
 * handled concurrently gain nothing from screening side by side, and would finish together and then
 * all wait on the broker together. In turn, one partition's produce and commit overlaps the next
 * partition's screening.
 */
export function screeningLane(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };
}

/**
 * The worker's step, free of Kafka and metrics: records in, the messages to write (items and dead
 * letters, in input order) and a tally out. Only `resolve` does I/O (claim-check fetches); a
 * retriable failure there propagates so the whole batch is consumed again.
 */
export async function screenBatch(
  screener: Screener | Router,
  records: readonly KafkaRecord[],
  routing: Routing,
  resolve: ResolveRef | undefined,
): Promise<{ outgoing: Outgoing[]; tally: BatchTally }> {
  const outgoing: Outgoing[] = [];
  const tally: BatchTally = { queues: [], deadLetters: [], findings: [], seconds: [] };
  let sinceYield = performance.now();
  for (const record of records) {
    const started = performance.now();
    // Screening is CPU work: every few milliseconds let I/O callbacks run, so another partition's
    // transaction (waiting on broker round trips) moves on while this batch screens.
    if (started - sinceYield > YIELD_MS) {
      await new Promise(setImmediate);
      sinceYield = performance.now();
    }
    const result = await processMessage(screener, record.value ?? Buffer.alloc(0), resolve);
    const seconds = (performance.now() - started) / 1000;
    const out = outgoingFor(record, result, routing);
    // An item can still become a dead letter here (too large for the broker).
    const dead = out.find((o) => o.deadLetter !== undefined);
    const pipeline = result.ok ? result.item.pipeline.id : result.pipeline;
    tally.seconds.push({ pipeline, seconds });
    if (dead) {
      tally.deadLetters.push({
        code: dead.deadLetter!,
        offset: record.offset,
        conversationId: result.ok ? result.item.conversationId : result.conversationId,
        pipeline,
      });
    } else if (result.ok) {
      tally.queues.push({ pipeline: result.item.pipeline.id, queue: result.item.queue });
      for (const f of result.item.findings)
        tally.findings.push({ pipeline: result.item.pipeline.id, rule: f.ruleId });
    }
    outgoing.push(...out);
  }
  return { outgoing, tally };
}
