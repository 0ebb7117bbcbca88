import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, produce, randomTopic, waitFor } from '../../helpers/kafka.js';
import { getJson, spawnQa, type WorkerProcess } from '../../helpers/worker-process.js';
import { freshPostgres, sampleItems, variant } from '../helpers.js';

/** Items for the topic: the samples under fresh conversation ids, keyed by conversation as the worker does. */
async function itemMessages(count: number, prefix: string) {
  const { items } = await sampleItems();
  return Array.from({ length: count }, (_, k) => {
    const item = variant(items[k % items.length]!, `${prefix}-${k}`);
    return { key: item.conversationId, value: JSON.stringify(item) };
  });
}

describe('review ingest: items topic → PostgreSQL, exactly once', () => {
  let url: string;
  let drop: () => Promise<void>;
  let client: pg.Client;
  beforeAll(async () => {
    ({ url, drop } = await freshPostgres('qa_review_ingest'));
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await drop();
  });

  const stored = async (group: string) =>
    Number(
      (
        await client
          .query(
            'SELECT coalesce(sum(next_offset), 0)::int AS n FROM kafka_offsets WHERE consumer_group = $1',
            [group],
          )
          .catch(() => ({ rows: [{ n: 0 }] }))
      ).rows[0].n,
    );

  async function waitStored(
    group: string,
    done: (n: number) => boolean,
    procs: WorkerProcess[],
    timeoutMs = 90_000,
    intervalMs = 200,
  ) {
    return waitFor(
      async () => {
        for (const p of procs) p.assertAlive();
        return done(await stored(group)) || undefined;
      },
      { timeoutMs, intervalMs, what: 'ingest progress' },
    );
  }

  it('kill -9 at random moments, restart: every item stored exactly once', async () => {
    const total = 4000;
    const topic = randomTopic('review-items');
    const group = randomTopic('review-g');
    await createTopics({ topic, partitions: 4 });
    await produce(topic, await itemMessages(total, 'eo'));
    const env = {
      DATABASE_URL: url,
      REVIEW_TOPIC: topic,
      REVIEW_GROUP_ID: group,
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      // Small fetches: many small transactions, so kills land between and inside them.
      KAFKA_PARTITION_FETCH_MAX_BYTES: String(32 * 1024),
      LOG_LEVEL: 'warn',
    };
    let seed = 20261123;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const killedAt: number[] = [];
    for (let round = 0; round < 5; round++) {
      const p = await spawnQa(['review', 'ingest'], env);
      // Kill at a stored count picked at random within the round's sixth of the stream, not after a
      // fixed time: on a fast machine a timed kill can come after everything is stored.
      const target = Math.floor((total * (round + 0.5 + random() * 0.5)) / 6);
      await waitStored(group, (n) => n >= target, [p], 90_000, 10);
      p.child.kill('SIGKILL');
      await p.exited;
      killedAt.push(await stored(group));
      if (killedAt.at(-1)! >= total) break;
    }
    expect(killedAt.filter((n) => n > 0 && n < total).length).toBeGreaterThanOrEqual(3);

    const last = await spawnQa(['review', 'ingest'], env);
    await waitStored(group, (n) => n === total, [last], 120_000);
    // The killed rounds may have stored everything already: then the last process is still
    // starting when the count is reached, so wait for it to report ready.
    await waitFor(
      async () => {
        last.assertAlive();
        return (await getJson(last.port, '/readyz').catch(() => ({ status: 0 }))).status === 200;
      },
      { what: 'the last ingest process to be ready' },
    );
    const metrics = await getJson(last.port, '/metrics');
    expect(metrics.body).toContain('qa_review_ingested_total');
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);

    const counts = (
      await client.query(`SELECT count(*)::int AS items, count(DISTINCT conversation_id)::int AS conversations,
          (SELECT count(*)::int FROM audit_log WHERE action = 'item.ingest') AS ingested,
          (SELECT count(*)::int FROM audit_log WHERE action = 'item.duplicate') AS duplicates,
          (SELECT count(*)::int FROM items WHERE conversation IS NOT NULL) AS with_conversation
        FROM items`)
    ).rows[0];
    expect(counts).toMatchObject({ items: total, conversations: total, ingested: total, duplicates: 0 });
    expect(counts.with_conversation).toBeGreaterThan(0);
    console.log(
      `review ingest exactly-once: ${total} items, killed at stored offsets ${killedAt.join(', ')}`,
    );
  });

  it('skips a bad record without stopping, and a producer-side duplicate is recorded, not stored twice', async () => {
    const topic = randomTopic('review-bad');
    const group = randomTopic('review-bad-g');
    await createTopics({ topic, partitions: 1 });
    const good = await itemMessages(3, 'bad');
    await produce(topic, [good[0]!, { key: 'x', value: 'not json' }, good[1]!, good[1]!, good[2]!]);
    const p = await spawnQa(['review', 'ingest'], {
      DATABASE_URL: url,
      REVIEW_TOPIC: topic,
      REVIEW_GROUP_ID: group,
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      LOG_LEVEL: 'warn',
    });
    await waitStored(group, (n) => n === 5, [p]);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    const rows = (
      await client.query(`SELECT conversation_id FROM items WHERE conversation_id LIKE 'bad-%' ORDER BY 1`)
    ).rows;
    expect(rows.map((r) => r.conversation_id)).toEqual(['bad-0', 'bad-1', 'bad-2']);
    const dup = (
      await client.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'item.duplicate'`)
    ).rows[0].n;
    expect(dup).toBe(1);
    const log = p.stderr();
    expect(log).toContain('"event":"ingest.invalid_item"');
    expect(log).toContain('"code":"QA_ERR_REVIEW_ITEM_INVALID"');
    expect(log).not.toContain('not json');
  });
});
