/**
 * The README promises that no personal data leaves qa-screen. Property: for generated transcripts
 * carrying personal data in every writing the detector supports, every injected value is detected,
 * and no emitted string — item fields (findings, bonuses, the masked conversation), rejects
 * `reason`s, the lines file mode logs, dead-letter headers — contains a detected span as written,
 * its digits, or the address. (The rejects file's `raw` and a dead letter's value keep the original
 * bytes by design; both are documented.)
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenFile } from '../../src/cli/screen-file.js';
import type { CompiledPipeline } from '../../src/config/compile.js';
import { loadPipeline } from '../../src/config/load.js';
import { screenMessage } from '../../src/pipeline/process.js';
import { createScreener } from '../../src/pipeline/screen.js';
import { pipelineDetector } from '../../src/rules/pii.js';
import { outgoingFor } from '../../src/sinks/kafka.js';
import type { KafkaRecord } from '../../src/sources/kafka.js';
import { BUSINESS_NUMBER_TYPES } from '../../src/text/pii-phone.js';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const luhnDigit = (body: string) => {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
};
const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Synthetic values that pass the real checks. */
// Some 1[3-9]… numbers are also North-American business numbers (1800…, 1900…, and e.g. 1809000…
// in the Dominican Republic's plan): the English pipelines read them as a business's number, which
// is not customer data (test/text/pii.test.ts covers that case), so the generator leaves out what
// the phone library itself types as a business number in North America.
const businessTypes = new Set<string>(BUSINESS_NUMBER_TYPES);
const isNorthAmericanBusiness = (v: string) => {
  const type = parsePhoneNumberFromString(v, 'US')?.getType();
  return type !== undefined && businessTypes.has(type.toLowerCase());
};
const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digits(9))
  .map(([second, rest]) => `1${second}${rest}`)
  .filter((v) => !isNorthAmericanBusiness(v));
const birth = fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }));
const id18 = fc
  .tuple(
    fc.constantFrom('110105', '310104', '440305', '510107'),
    fc.integer({ min: 1950, max: 2005 }),
    birth,
    digits(3),
  )
  .map(([region, year, [m, d], seq]) => {
    const body = `${region}${year}${pad(m)}${pad(d)}${seq}`;
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(body[i]) * ID_WEIGHTS[i]!;
    return body + '10X98765432'[sum % 11]!;
  });
const id15 = fc
  .tuple(fc.constantFrom('110105', '320102', '420106'), fc.integer({ min: 30, max: 99 }), birth, digits(3))
  .map(([region, year, [m, d], seq]) => `${region}${year}${pad(m)}${pad(d)}${seq}`);
const card = fc
  .tuple(fc.constantFrom('622202', '455600', '532100'), fc.constantFrom(9, 12))
  .chain(([iin, n]) => digits(n).map((rest) => iin + rest))
  .map((body) => body + luhnDigit(body));
const email = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9]{2,9}$/),
    fc.constantFrom('example.com', 'mail.example.org', 'example.cn'),
    fc.constantFrom('@', '＠'),
  )
  .map(([local, domain, at]) => ({ canonical: `${local}@${domain}`, written: `${local}${at}${domain}` }));

const SEPARATORS = ['', ' ', '  ', '.', '/', '-', '\u3000', '\u00a0', '\u200b', '\u200b\u200d'];
const FULL = '０１２３４５６７８９';
const CHINESE = ['〇零', '一幺', '二', '三', '四', '五', '六', '七', '八', '九'];

/** A number written in groups, with one separator, in ASCII, full-width or Chinese digits. */
const writing = (value: string, groups: number[]) =>
  fc
    .tuple(fc.constantFrom(...SEPARATORS), fc.constantFrom('ascii', 'full', 'chinese'), fc.nat())
    .map(([sep, script, seed]) => {
      const char = (d: string, i: number) => {
        if (d === 'X') return seed % 2 ? 'X' : 'x';
        if (script === 'full') return FULL[Number(d)]!;
        if (script === 'chinese') {
          const options = CHINESE[Number(d)]!;
          return options[(seed + i) % options.length]!;
        }
        return d;
      };
      let out = '';
      let at = 0;
      for (const [k, size] of groups.entries()) {
        if (k > 0) out += sep;
        out += [...value.slice(at, at + size)].map((d, i) => char(d, at + i)).join('');
        at += size;
      }
      return out;
    });

interface Secret {
  canonical: string;
  written: string;
}
const secret: fc.Arbitrary<Secret> = fc.oneof(
  mobile.chain((v) =>
    fc.oneof(writing(v, [3, 4, 4]), writing(v, [11])).map((w) => ({ canonical: v, written: w })),
  ),
  id18.chain((v) => writing(v, [6, 8, 4]).map((w) => ({ canonical: v, written: w }))),
  id15.chain((v) => writing(v, [15]).map((w) => ({ canonical: v, written: w }))),
  card.chain((v) =>
    writing(v, v.length === 16 ? [4, 4, 4, 4] : [4, 4, 4, 4, 3]).map((w) => ({ canonical: v, written: w })),
  ),
  email,
);

// Context words contain no digits, numerals, letters that could glue to a number, or '@'.
const ZH_WORDS = [
  '您好',
  '请问',
  '我的',
  '号码是',
  '谢谢',
  '好的',
  '，',
  '。',
  '：',
  '请提供您的身份证号',
  '卡号',
];
const EN_WORDS = ['Hello', 'please', 'my number is', 'thanks', ',', '.', ':', 'DM us your password', 'card'];

interface Generated {
  turns: Array<{ speaker: 'agent' | 'customer'; text: string }>;
  /** Where each injected value was written: turn, offsets; a split number has two places. */
  places: Array<{ secret: Secret; at: Array<[number, number, number]> }>;
}

const transcript = (words: string[]) =>
  fc
    .array(
      fc.record({
        speaker: fc.constantFrom('agent' as const, 'customer' as const),
        before: fc.constantFrom(...words),
        secret: fc.option(secret, { freq: 2 }),
        glue: fc.constantFrom(' ', '：', '☎️', ' \u200b'),
        after: fc.constantFrom(...words),
        split: fc.boolean(),
      }),
      { minLength: 1, maxLength: 6 },
    )
    .map((specs): Generated => {
      const turns: Generated['turns'] = [];
      const places: Generated['places'] = [];
      for (const s of specs) {
        if (!s.secret) {
          turns.push({ speaker: s.speaker, text: `${s.before} ${s.after}` });
          continue;
        }
        const head = `${s.before}${s.glue}`;
        const w = s.secret.written;
        const splittable = /^\d{11}$/.test(w) && s.split;
        if (splittable) {
          // The customer sends the number in two messages: "…138" then "12345678 …".
          turns.push({ speaker: 'customer', text: head + w.slice(0, 3) });
          turns.push({ speaker: 'customer', text: `${w.slice(3)} ${s.after}` });
          places.push({
            secret: s.secret,
            at: [
              [turns.length - 2, head.length, head.length + 3],
              [turns.length - 1, 0, w.length - 3],
            ],
          });
        } else {
          turns.push({ speaker: s.speaker, text: `${head}${w} ${s.after}` });
          places.push({ secret: s.secret, at: [[turns.length - 1, head.length, head.length + w.length]] });
        }
      }
      return { turns, places };
    });

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** Fails naming the leak when an emitted string carries a detected span, its digits or the address. */
function assertNoLeak(emitted: readonly string[], forbidden: readonly string[], where: string) {
  for (const s of emitted) {
    for (const f of forbidden) {
      if (s.includes(f)) throw new Error(`${where} leaks ${JSON.stringify(f)} in ${JSON.stringify(s)}`);
    }
  }
}

function lineOf(language: 'zh' | 'en', g: Generated, id: string): string {
  return JSON.stringify({
    conversationId: id,
    channel: 'chat',
    language,
    agent: { id: 'a-1' },
    startedAt: '2026-11-02T01:00:00Z',
    turns: g.turns.map((t, i) => ({
      ...t,
      at: new Date(Date.parse('2026-11-02T01:00:00Z') + i * 10_000).toISOString(),
    })),
  });
}

/** What must never be emitted: detected spans as written (long enough to be data) and canonical values. */
function forbiddenOf(pipeline: CompiledPipeline, g: Generated): string[] {
  const found = pipelineDetector(pipeline.config).scan(g.turns);
  const spans = found.flatMap((ms, i) => ms.map((m) => g.turns[i]!.text.slice(m.start, m.end)));
  return [
    ...spans.filter((s) => s.replace(/\s/g, '').length >= 7),
    ...g.places.map((p) => p.secret.canonical),
  ];
}

/** Lines that are rejected, each carrying the personal data in its text. */
const brokenLines = (line: string, g: Generated, cut: number) => {
  const value = g.places[0]?.secret.written ?? '13812345678';
  return [
    line.slice(0, Math.max(1, cut % line.length)),
    `张三手机${value}请回电`,
    line.replace('"channel":"chat"', `"version":${JSON.stringify(value)},"channel":"chat"`),
    line.replace('"speaker":"', '"speaker":"x'),
    `{"text":"${value}" "x":1}`,
  ];
};

const routing = {
  outputTopic: 'items',
  deadLetterTopic: 'dlq',
  queueTopicPrefix: 'review.',
  defaultQueue: () => 'clean',
  deadLetterMaxBytes: 1_000_000,
  maxMessageBytes: 1_000_000,
};

describe.each([
  ['zh', 'pipelines/chat-zh.yaml', ZH_WORDS],
  ['en', 'pipelines/chat-en.yaml', EN_WORDS],
] as const)('no personal data leaks (%s)', (language, file, words) => {
  let pipeline: CompiledPipeline;
  beforeAll(async () => {
    const loaded = await loadPipeline(file);
    // Every item carries its conversation, so the masked turns are checked too.
    pipeline = {
      ...loaded,
      config: { ...loaded.config, output: { ...loaded.config.output, conversation: 'all' } },
    };
  });

  it('detects every injected value in every writing, and no item, reason or dead-letter header carries it', () => {
    const screener = createScreener(pipeline);
    fc.assert(
      fc.property(transcript([...words]), fc.nat(), (g, cut) => {
        const found = pipelineDetector(pipeline.config).scan(g.turns);
        for (const p of g.places) {
          for (const [turn, start, end] of p.at) {
            const hit = found[turn]!.some((m) => m.start < end && m.end > start);
            if (!hit) throw new Error(`missed ${JSON.stringify(g.turns[turn]!.text.slice(start, end))}`);
          }
        }
        const forbidden = forbiddenOf(pipeline, g);
        const line = lineOf(language, g, 'c-1');
        const result = screenMessage(screener, line);
        if (!result.ok) throw new Error(`rejected: ${result.error.message}`);
        assertNoLeak(strings(result.item), forbidden, 'item');
        for (const [k, broken] of brokenLines(line, g, cut).entries()) {
          const r = screenMessage(screener, broken);
          if (r.ok) continue;
          assertNoLeak([r.error.message], forbidden, `reason of broken line ${k}`);
          const record = {
            value: Buffer.from(broken),
            bytes: broken.length,
            key: null,
            topic: 'in',
            partition: 0,
            offset: '7',
            timestamp: 0,
          } satisfies KafkaRecord;
          const [dead] = outgoingFor(record, r, routing);
          const headers = Object.values(dead!.message.headers ?? {}).map(String);
          assertNoLeak(headers, forbidden, `dead-letter headers of broken line ${k}`);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('file mode: no log line or rejects reason carries it, and the rejects file is owner-only', async () => {
    const samples = fc.sample(fc.tuple(transcript([...words]), fc.nat()), { numRuns: 15, seed: 42 });
    const dir = mkdtempSync(join(tmpdir(), 'qa-no-leak-'));
    const input = join(dir, 'in.jsonl');
    const lines: string[] = [];
    const forbidden: string[] = [];
    samples.forEach(([g, cut], i) => {
      const line = lineOf(language, g, `c-${i}`);
      lines.push(line, ...brokenLines(line, g, cut));
      forbidden.push(...forbiddenOf(pipeline, g));
    });
    writeFileSync(input, `${lines.join('\n')}\n`);
    const log: string[] = [];
    const options = {
      pipeline: file,
      inputs: [input],
      output: join(dir, 'items.jsonl'),
      rejects: join(dir, 'rejects.jsonl'),
      agents: false,
      quiet: true,
    };
    const totals = await screenFile(options, (l) => log.push(l));
    expect(totals.summary.items + totals.rejected).toBe(lines.length);
    expect(totals.rejected).toBeGreaterThan(0);
    assertNoLeak(log, forbidden, 'log line');
    const rejects = readFileSync(options.rejects, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assertNoLeak(
      rejects.map((r) => r.reason),
      forbidden,
      'rejects reason',
    );
    expect(statSync(options.rejects).mode & 0o777).toBe(0o600);
    const items = readFileSync(options.output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assertNoLeak(strings(items), forbidden, 'item');
  });
});
