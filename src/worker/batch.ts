import { processMessage, type ResolveRef } from '../pipeline/process.js';
import type { Screener } from '../pipeline/screen.js';
import { type Outgoing, outgoingFor, type Routing } from '../sinks/kafka.js';
import type { KafkaRecord } from '../sources/kafka.js';

export interface DeadLetter {
  code: string;
  offset: string;
  conversationId: string | undefined;
}

/** What a batch produced, for metrics and logs: nothing in it is transcript text. */
export interface BatchTally {
  queues: string[];
  deadLetters: DeadLetter[];
  /** Rule id of every finding. */
  findings: string[];
  /** Screening time per record, seconds. */
  seconds: number[];
}

/**
 * The worker's step, free of Kafka and metrics: records in, the messages to write (items and dead
 * letters, in input order) and a tally out. Only `resolve` does I/O (claim-check fetches); a
 * retriable failure there propagates so the whole batch is consumed again.
 */
export async function screenBatch(
  screener: Screener,
  records: readonly KafkaRecord[],
  routing: Routing,
  resolve: ResolveRef | undefined,
): Promise<{ outgoing: Outgoing[]; tally: BatchTally }> {
  const outgoing: Outgoing[] = [];
  const tally: BatchTally = { queues: [], deadLetters: [], findings: [], seconds: [] };
  for (const record of records) {
    const started = performance.now();
    const result = await processMessage(screener, record.value ?? Buffer.alloc(0), resolve);
    tally.seconds.push((performance.now() - started) / 1000);
    if (result.ok) {
      tally.queues.push(result.item.queue);
      for (const f of result.item.findings) tally.findings.push(f.ruleId);
    } else {
      tally.deadLetters.push({
        code: result.error.code,
        offset: record.offset,
        conversationId: result.conversationId,
      });
    }
    outgoing.push(...outgoingFor(record, result, routing));
  }
  return { outgoing, tally };
}
