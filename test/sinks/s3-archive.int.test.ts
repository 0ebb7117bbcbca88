import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { archiveKey } from '../../src/sinks/s3-archive.js';
import { committedOffsets, createTopics, produce, randomTopic, waitFor } from '../helpers/kafka.js';
import { freshBucket, s3, s3Env } from '../helpers/s3.js';
import { spawnQa, waitForCommitted } from '../helpers/worker-process.js';

describe('archive sink (real broker + real S3 server)', () => {
  it('names objects from their first record, so a rerun writes the same key', () => {
    const t = Date.parse('2026-11-23T07:45:10Z');
    expect(archiveKey('qa-items/', 'qa.items', 3, '1234', t)).toBe(
      'qa-items/dt=2026-11-23/hour=07/qa.items-3-00000000000000001234.jsonl.gz',
    );
  });

  it('kill -9 mid-stream, restart: every record is archived exactly once in gzip JSONL under dt=/hour=', async () => {
    const client = s3();
    const bucket = await freshBucket(client);
    const topic = randomTopic('arch');
    const group = randomTopic('arch-g');
    const total = 3000;
    await createTopics({ topic, partitions: 2 });
    await produce(
      topic,
      Array.from({ length: total }, (_, i) => ({
        key: `item-${i}`,
        value: JSON.stringify({ conversationId: `item-${i}`, score: i % 100, pad: 'x'.repeat(200) }),
      })),
    );
    const env = {
      ...s3Env(),
      ARCHIVE_GROUP_ID: group,
      ARCHIVE_MAX_BYTES: String(16 * 1024),
      ARCHIVE_MAX_SECONDS: '1',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
    };
    const args = ['archive', '--topic', topic, '--bucket', bucket, '--prefix', 'qa-items'];
    const killedAt: number[] = [];
    for (let round = 0; round < 3; round++) {
      const a = await spawnQa(args, env);
      const before = await committedOffsets(group, topic);
      await waitForCommitted(group, topic, (n) => n > before, [a], { what: 'archive progress' });
      await new Promise((r) => setTimeout(r, 50 + round * 70));
      a.child.kill('SIGKILL');
      await a.exited;
      killedAt.push(await committedOffsets(group, topic));
    }
    expect(killedAt.filter((c) => c > 0 && c < total).length).toBeGreaterThanOrEqual(2);
    const last = await spawnQa(args, env);
    await waitFor(async () => (await committedOffsets(group, topic)) === total, {
      what: 'everything archived',
      timeoutMs: 60_000,
    });
    // The rounds above may have archived everything already: stop the last one only once it has
    // started (a SIGTERM while node is still loading takes the default action, no exit code).
    await waitFor(() => last.stderr().includes('"event":"archive.start"'), {
      what: 'the last archiver started',
      timeoutMs: 60_000,
    });
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);

    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: 'qa-items/', ContinuationToken: token }),
      );
      // S3Proxy's filesystem backend also lists "directory" placeholders.
      keys.push(...(page.Contents ?? []).map((o) => o.Key!).filter((k) => !k.endsWith('/')));
      token = page.NextContinuationToken;
    } while (token);
    expect(keys.length).toBeGreaterThan(2);
    for (const key of keys)
      expect(key).toMatch(
        new RegExp(`^qa-items/dt=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/${topic}-[01]-\\d{20}\\.jsonl\\.gz$`),
      );
    const ids: string[] = [];
    for (const key of keys) {
      const obj = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const lines = gunzipSync(await obj.Body!.transformToByteArray())
        .toString('utf8')
        .trim()
        .split('\n');
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      expect(Number(head.Metadata!.records)).toBe(lines.length);
      ids.push(...lines.map((l) => JSON.parse(l).conversationId as string));
    }
    expect(new Set(ids).size).toBe(total);
    expect(ids.length).toBe(total);
    console.log(
      `archive: ${total} records, killed at committed offsets ${killedAt.join(', ')}; ${keys.length} objects, ${ids.length} records, ${new Set(ids).size} distinct`,
    );
  });
});
