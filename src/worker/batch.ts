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
  for (const record of records) {
    const started = performance.now();
    const result = await processMessage(screener, record.value ?? Buffer.alloc(0), resolve);
    const seconds = (performance.now() - started) / 1000;
    if (result.ok) {
      const pipeline = result.item.pipeline.id;
      tally.seconds.push({ pipeline, seconds });
      tally.queues.push({ pipeline, queue: result.item.queue });
      for (const f of result.item.findings) tally.findings.push({ pipeline, rule: f.ruleId });
    } else {
      tally.seconds.push({ pipeline: result.pipeline, seconds });
      tally.deadLetters.push({
        code: result.error.code,
        offset: record.offset,
        conversationId: result.conversationId,
        pipeline: result.pipeline,
      });
    }
    outgoing.push(...outgoingFor(record, result, routing));
  }
  return { outgoing, tally };
}
