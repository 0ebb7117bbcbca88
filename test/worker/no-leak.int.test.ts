/**
 * The no-leak promise through the real worker process on a real broker: personal data in
 * transcripts, and in lines that are rejected, never reaches an item, a dead-letter header or a
 * log line (the dead letter's value keeps the original bytes, by design).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HEADER } from '../../src/sinks/kafka.js';
import { createTopics, produce, readCommitted, workerTopics } from '../helpers/kafka.js';
import { chatTranscript } from '../helpers/transcript.js';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process.js';

const running: WorkerProcess[] = [];
afterEach(async () => {
  for (const w of running.splice(0)) {
    w.child.kill('SIGTERM');
    await w.exited;
  }
});

// Synthetic: a mobile, a GB 11643 ID number, a Luhn-valid card, an address.
const SECRETS = ['13912345678', '11010519491231002X', '6222021234567890128', 'li.lei@example.com'];
const WRITTEN = [
  '139.1234.5678',
  '１１０１０５１９４９１２３１００２Ｘ',
  '6222 0212 3456 7890 128',
  'li.lei＠example.com',
];

const transcript = (id: string, text: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify(
    chatTranscript(
      id,
      [
        ['customer', text],
        ['agent', '您好，请提供您的身份证号'],
      ],
      extra,
    ),
  );

describe('worker: no personal data in items, dead-letter headers or logs', () => {
  it('masks what it screens and quotes nothing of what it rejects', async () => {
    const { t, env } = workerTopics('leak');
    await createTopics({ topic: t.input }, { topic: t.output }, { topic: t.dlq });
    const good = WRITTEN.map((w, i) => ({
      key: `ok-${i}`,
      value: transcript(`ok-${i}`, `我的信息：${w}，谢谢`),
    }));
    const bad = WRITTEN.flatMap((w, i) => [
      { key: `nj-${i}`, value: `张三 ${w} 请回电` },
      { key: `cut-${i}`, value: transcript(`cut-${i}`, `信息${w}`).slice(0, 140) },
      { key: `ver-${i}`, value: transcript(`ver-${i}`, '你好', { version: w }) },
      { key: `bad-${i}`, value: transcript(`bad-${i}`, w).replace('"customer"', `"${w}"`) },
    ]);
    await produce(t.input, [...good, ...bad]);
    const worker = await spawnWorker({ ...env, LOG_LEVEL: 'debug' });
    running.push(worker);

    const items = await readCommitted(t.output, good.length, { settleMs: 500 });
    const dead = await readCommitted(t.dlq, bad.length, { settleMs: 500 });
    expect(items).toHaveLength(good.length);
    expect(dead).toHaveLength(bad.length);
    worker.child.kill('SIGTERM');
    await worker.exited;
    running.splice(0);

    const forbidden = [...SECRETS, ...WRITTEN];
    const leaks = (where: string, text: string) =>
      forbidden.filter((f) => text.includes(f)).map((f) => `${where}: ${f}`);
    const found = [
      ...items.flatMap((m) => leaks(`item ${m.key}`, m.value!.toString())),
      ...dead.flatMap((m) =>
        Object.entries(m.headers ?? {}).flatMap(([k, v]) =>
          leaks(`dead letter ${m.key} header ${k}`, String(v)),
        ),
      ),
      ...leaks('worker log', worker.stderr()),
    ];
    expect(found).toEqual([]);
    // The dead letters still say why, by code and position.
    const reasons = dead.map((m) => String(m.headers?.[HEADER.errorReason]));
    expect(reasons.some((r) => /at character \d+/.test(r))).toBe(true);
    expect(reasons.some((r) => /version is a string/.test(r))).toBe(true);
    // And the items still flag the data, masked.
    const piiTexts = items.flatMap((m) =>
      JSON.parse(m.value!.toString())
        .findings.filter((f: { category: string }) => f.category === 'personal-data')
        .map((f: { text: string }) => f.text),
    );
    expect(piiTexts).toHaveLength(SECRETS.length);
  });
});
