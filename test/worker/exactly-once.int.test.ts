import { describe, expect, it } from 'vitest';
import {
  committedOffsets,
  createTopics,
  produce,
  readCommitted,
  waitFor,
  workerTopics,
} from '../helpers/kafka.js';
import { getJson, spawnWorker, transcripts, waitForCommitted } from '../helpers/worker-process.js';

describe('exactly-once on a real broker', () => {
  it('kill -9 at random moments, restart: every conversation is in the committed output exactly once', async () => {
    const total = 10_000;
    const { t, env: base } = workerTopics('eo');
    await createTopics(
      { topic: t.input, partitions: 4 },
      { topic: t.output, partitions: 4 },
      { topic: t.dlq },
    );
    await produce(t.input, transcripts(total, 'eo'));
    // Small fetches: many small transactions, so kills land between and inside them. A killed
    // worker's partitions move after the session timeout (6 s, the broker's minimum, in base).
    const env = { ...base, KAFKA_PARTITION_FETCH_MAX_BYTES: String(48 * 1024) };

    const killedAt: number[] = [];
    let seed = 20261123;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 4; round++) {
      const w = await spawnWorker(env);
      // Wait for progress beyond the last kill, then kill -9 at a random moment after it.
      const before = await committedOffsets(t.group, t.input);
      await waitForCommitted(t.group, t.input, (n) => n > before, [w]);
      await new Promise((r) => setTimeout(r, 100 + random() * 600));
      w.child.kill('SIGKILL');
      await w.exited;
      killedAt.push(await committedOffsets(t.group, t.input));
      if (killedAt.at(-1)! >= total) break;
    }
    // The kills happened mid-stream, not after the work was done.
    expect(killedAt.filter((c) => c > 0 && c < total).length).toBeGreaterThanOrEqual(3);

    const last = await spawnWorker(env);
    await waitFor(async () => (await committedOffsets(t.group, t.input)) === total, {
      timeoutMs: 120_000,
      what: 'all offsets committed',
    });
    expect((await getJson(last.port, '/readyz')).status).toBe(200);
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);

    const out = await readCommitted(t.output, total, { settleMs: 3000 });
    const keys = out.map((m) => m.key!.toString());
    const distinct = new Set(keys);
    expect(distinct.size).toBe(total);
    expect(keys.length).toBe(total);
    console.log(
      `exactly-once: ${total} transcripts, killed at committed offsets ${killedAt.join(', ')}; output ${keys.length} records, ${distinct.size} distinct`,
    );
  });
});
