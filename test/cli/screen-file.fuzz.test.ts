import { isUtf8 } from 'node:buffer';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { screenFile } from '../../src/cli/screen-file.js';
import { loadPipeline } from '../../src/config/load.js';
import { ScreenedItem } from '../../src/domain/index.js';
import { isQaError } from '../../src/errors.js';
import { pipelineDetector } from '../../src/rules/pii.js';
import { writeBundledPipelineWith } from '../helpers/pipelines.js';

/**
 * The whole `screen` path (config load → JSONL source → parse → data quality → rules → score →
 * bounds → sinks) on generated hostile transcripts and configs. Whatever comes in: no crash, every
 * non-blank input line is accounted for (items + rejects), items stay within the configured bounds,
 * the work per transcript is bounded by its size (findings ≤ rules × (characters + turns + 1)), and
 * no personal data the detectors find in a transcript appears in an item, a rejects `reason` or a
 * log line.
 */

const PIPELINES = [
  { name: 'chat-zh', channel: 'chat', language: 'zh' },
  { name: 'call-zh', channel: 'call', language: 'zh' },
  { name: 'chat-en', channel: 'chat', language: 'en' },
] as const;

/** Pieces a hostile transcript is made of: lexicon phrases, personal data in several writings, junk. */
const PHRASES = [
  '这是规定',
  '不知道',
  '啊',
  '呀',
  '您好',
  '再见',
  '身份证号',
  '家庭住址',
  '太慢了',
  '对不起',
  'sorry',
  'password',
  'ssn',
  'hello',
  'bye',
  'I dont know',
];
const PERSONAL = [
  '13812345678',
  '138 1234 5678',
  '１３８１２３４５６７８',
  '11010519491231002X',
  '6222021234567890128',
  'zhang.san@example.com',
  '4111111111111111',
];
const JUNK = [
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u0000',
  '\u001b[2J',
  '😀',
  '👨‍👩‍👧',
  '\ud800',
  '！？',
  ' ',
  '\n',
  '"',
  '\\',
  '__proto__',
];

const fragment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PHRASES) },
  { weight: 2, arbitrary: fc.constantFrom(...PERSONAL) },
  { weight: 2, arbitrary: fc.constantFrom(...JUNK) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
  // A long run of one filler: thousands of hits in one turn.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('咋', '啊', 'sorry ', '\u200b'), fc.integer({ min: 1, max: 3000 }))
      .map(([s, n]) => s.repeat(n)),
  },
);
// Glued: detections may overlap ("138 1234 5678zhang.san@example.com").
const text = fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join('').slice(0, 20_000));

const START = Date.parse('2026-11-02T01:00:00Z');

const turn = fc.record({
  speaker: fc.constantFrom('agent', 'customer', 'bot', 'system'),
  text,
  // Chat time in seconds (sometimes missing, out of order); call offsets in ms.
  at: fc.option(fc.integer({ min: -60, max: 3600 }), { nil: undefined }),
  startMs: fc.option(fc.integer({ min: 0, max: 3_600_000 }), { nil: undefined }),
  length: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: undefined }),
});

/** A generated line; a transcript's line is made in the test, where it gets its unique id. */
type Gen = { line: Buffer | ((id: string) => Buffer); turnsText: string[] };

/** One transcript line for the pipeline's channel and language (sometimes another's). */
const transcriptLine = (channel: string, language: string) =>
  fc
    .record({
      agent: fc.constantFrom('a-1', 'a-2', 'a-3'),
      team: fc.option(fc.constantFrom('t-1', 't-2'), { nil: undefined }),
      turns: fc.array(turn, { maxLength: 25 }),
      mismatch: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      endedAfter: fc.option(fc.integer({ min: -600, max: 7200 }), { nil: undefined }),
      answerDelayMs: fc.option(fc.integer({ min: 0, max: 90_000 }), { nil: undefined }),
      hangupBy: fc.option(fc.constantFrom('agent', 'customer', 'system'), { nil: undefined }),
      version: fc.constantFrom(undefined, undefined, undefined, 1, 2),
      bom: fc.boolean(),
      // Keys that pollute prototypes when copied carelessly, written literally.
      extra: fc.constantFrom('', '"__proto__":{"polluted":true},', '"constructor":{"prototype":{"x":1}},'),
    })
    .map((g): Gen => {
      const t = (id: string) => ({
        ...(g.version !== undefined && { version: g.version }),
        conversationId: id,
        channel: g.mismatch ? (channel === 'chat' ? 'call' : 'chat') : channel,
        language,
        agent: { id: g.agent, ...(g.team && { team: g.team }) },
        startedAt: new Date(START).toISOString(),
        ...(g.endedAfter !== undefined && { endedAt: new Date(START + g.endedAfter * 1000).toISOString() }),
        ...(g.answerDelayMs !== undefined && { answerDelayMs: g.answerDelayMs }),
        ...(g.hangupBy !== undefined && { hangupBy: g.hangupBy }),
        turns: g.turns.map((x) => ({
          speaker: x.speaker,
          text: x.text,
          ...(channel === 'chat' &&
            x.at !== undefined && { at: new Date(START + x.at * 1000).toISOString() }),
          ...(channel === 'call' && x.startMs !== undefined && { startMs: x.startMs }),
          ...(channel === 'call' &&
            x.startMs !== undefined &&
            x.length !== undefined && { endMs: x.startMs + x.length }),
        })),
      });
      return {
        line: (id) =>
          Buffer.from(`${g.bom ? '\ufeff' : ''}${JSON.stringify(t(id)).replace(/^\{/, `{${g.extra}`)}`),
        turnsText: g.turns.map((x) => x.text),
      };
    });

/** Lines that are not transcripts: cut transcripts (personal data in them), junk, other encodings, huge. */
const brokenLine = (channel: string, language: string) =>
  fc.oneof(
    transcriptLine(channel, language).chain((g) =>
      fc.nat().map(
        (cut): Gen => ({
          line: (id) => {
            const full = (g.line as (id: string) => Buffer)(id);
            return full.subarray(0, 1 + (cut % (full.length - 1)));
          },
          turnsText: g.turnsText,
        }),
      ),
    ),
    fc.constantFrom('', '   ', '\r').map((s): Gen => ({ line: Buffer.from(s), turnsText: [] })),
    fc
      .constantFrom(
        '{"conversationId":',
        '[1,2',
        'null',
        '42',
        '{"turns":[]}',
        `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
        '{"version":"x"}',
      )
      .map((s): Gen => ({ line: Buffer.from(s), turnsText: [] })),
    // Not UTF-8 (GBK bytes, lone continuation bytes).
    fc
      .uint8Array({ minLength: 1, maxLength: 40 })
      .map((b) =>
        Buffer.concat([
          Buffer.from('{"t":"'),
          Buffer.from([0xd5, 0xe2, 0xff]),
          Buffer.from(b.filter((x) => x !== 0x0a && x !== 0x0d)),
        ]),
      )
      .map((line): Gen => ({ line, turnsText: [] })),
    // Over the hard limit (twice the pipeline's max_transcript_bytes): streamed to the rejects file.
    fc.integer({ min: 1, max: 3 }).map(
      (k): Gen => ({
        line: Buffer.from(`{"x":"${'y'.repeat(k * 70_000)}"}`),
        turnsText: [],
      }),
    ),
  );

/** A pipeline variant: bounds, data-quality outcomes, conversation output, sometimes a hostile extra lexicon. */
const config = fc.record({
  pipeline: fc.constantFrom(...PIPELINES),
  maxTranscriptBytes: fc.integer({ min: 4096, max: 65_536 }),
  perRule: fc.integer({ min: 1, max: 60 }),
  perItem: fc.integer({ min: 1, max: 300 }),
  maxItemBytes: fc.integer({ min: 16_384, max: 200_000 }),
  outcomes: fc.record({
    empty_turns: fc.constantFrom('review', 'reject'),
    missing_times: fc.constantFrom('review', 'reject'),
    out_of_order: fc.constantFrom('reorder', 'review', 'reject'),
    missing_answer_delay: fc.constantFrom('review', 'reject'),
    ended_before_started: fc.constantFrom('review', 'reject'),
  }),
  conversation: fc.constantFrom('review', 'all', 'none'),
  extraPhrases: fc.option(
    fc.array(
      fc.oneof(fc.constantFrom(...PHRASES, '😀', '\u200b', '！'), fc.string({ minLength: 1, maxLength: 8 })),
      { minLength: 1, maxLength: 6 },
    ),
    { nil: undefined },
  ),
});

/** Non-overlapping occurrences of `part` in `text`. */
function occurrences(text: string, part: string): number {
  let n = 0;
  for (let i = text.indexOf(part); i !== -1; i = text.indexOf(part, i + part.length)) n++;
  return n;
}

type Config = typeof config extends fc.Arbitrary<infer T> ? T : never;

function pipelineFor(c: Config) {
  const sections = {
    limits: [
      `max_transcript_bytes: ${c.maxTranscriptBytes}`,
      `max_findings_per_rule: ${c.perRule}`,
      `max_findings: ${c.perItem}`,
      `max_item_bytes: ${c.maxItemBytes}`,
    ].join('\n'),
    data_quality: Object.entries(c.outcomes)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
    output: `conversation: ${c.conversation}`,
  };
  if (!c.extraPhrases) return writeBundledPipelineWith(c.pipeline.name, sections);
  const lexicon = `lexicon: fuzz-extra\nlanguage: ${c.pipeline.language}\ncategories:\n  extra:\n    severity: minor\n    points: 1\n    phrases:\n${c.extraPhrases.map((p) => `      - ${JSON.stringify(p)}`).join('\n')}\n`;
  return writeBundledPipelineWith(c.pipeline.name, sections, { 'extra.yaml': lexicon }, [
    '{ id: extra, type: phrase, match: { lexicon: fuzz-extra }, speakers: [agent, customer] }',
  ]);
}

describe('screen, fuzzed with hostile transcripts and configs', () => {
  it('never crashes, accounts for every line, stays bounded and leaks no personal data', async () => {
    const scenario = config.chain((c) =>
      fc.tuple(
        fc.constant(c),
        fc.array(
          fc.oneof(
            { weight: 3, arbitrary: transcriptLine(c.pipeline.channel, c.pipeline.language) },
            { weight: 1, arbitrary: brokenLine(c.pipeline.channel, c.pipeline.language) },
          ),
          { minLength: 1, maxLength: 12 },
        ),
      ),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ([c, generated]) => {
        const dir = mkdtempSync(join(tmpdir(), 'qa-fuzz-'));
        const input = join(dir, 'in.jsonl');
        const id = (i: number) => `c-${i}`;
        const bytes = generated.map((g, i) => (typeof g.line === 'function' ? g.line(id(i)) : g.line));
        writeFileSync(input, Buffer.concat(bytes.flatMap((b) => [b, Buffer.from('\n')])));
        /**
         * What the pipeline's own detector finds in a line's turns, each turn on its own; values of
         * 8 characters or more (shorter ones, parts of split numbers, also occur in ids and times).
         */
        const secretsOf = (g: Gen) =>
          g.turnsText.flatMap((t) =>
            detector
              .find(t)
              .map((m) => t.slice(m.start, m.end))
              .filter((v) => v.length >= 8),
          );
        const output = join(dir, 'items.jsonl');
        const rejects = join(dir, 'rejects.jsonl');
        const logs: string[] = [];
        const { location, roots } = pipelineFor(c);
        let totals: Awaited<ReturnType<typeof screenFile>>;
        try {
          totals = await screenFile(
            {
              pipeline: location,
              inputs: [input],
              output,
              rejects,
              agents: true,
              quiet: true,
              configRoots: roots,
            },
            (l) => logs.push(l),
          );
        } catch (err) {
          // A hostile config may be refused, as a config error, and only when it has extra phrases.
          expect(
            isQaError(err) && err.code.startsWith('QA_ERR_CONFIG_') && c.extraPhrases !== undefined,
            String(err),
          ).toBe(true);
          return;
        }

        const detector = pipelineDetector((await loadPipeline(location, { roots })).config);
        const itemsText = readFileSync(output, 'utf8');
        const items = itemsText
          .split('\n')
          .filter(Boolean)
          .map((l) => ScreenedItem.parse(JSON.parse(l)));
        const rejected =
          totals.rejected > 0
            ? readFileSync(rejects, 'utf8')
                .split('\n')
                .filter(Boolean)
                .map((l) => JSON.parse(l))
            : [];
        // Every non-blank line is an item or a rejection.
        // Blank as the reader sees it: UTF-8 with nothing but white space (a lone BOM too).
        const lines = bytes.filter((b) => !(isUtf8(b) && b.toString('utf8').trim() === '')).length;
        expect(totals.lines).toBe(lines);
        expect(items.length + rejected.length).toBe(lines);
        expect(totals.summary.items).toBe(items.length);

        const ruleCount = 20;
        for (const item of items) {
          const source = generated[Number(item.conversationId.slice(2))]!;
          expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThanOrEqual(c.maxItemBytes);
          expect(item.findings.length).toBeLessThanOrEqual(c.perItem + 5);
          const perRule = new Map<string, number>();
          for (const f of item.findings) perRule.set(f.ruleId, (perRule.get(f.ruleId) ?? 0) + 1);
          for (const [rule, n] of perRule)
            if (rule !== 'data-quality') expect(n).toBeLessThanOrEqual(c.perRule);
          // The work is bounded by the transcript's size: no rule finds more than a finding per
          // character or turn.
          const chars = source.turnsText.reduce((n, t) => n + t.length, 0);
          expect(item.findings.length + (item.omitted?.findings ?? 0)).toBeLessThanOrEqual(
            ruleCount * (chars + source.turnsText.length + 1),
          );
          // Personal data the detectors find is masked wherever they found it: the item holds a
          // detected value no more often than it is also written where they do not find it.
          const emitted = JSON.stringify(item);
          for (const secret of new Set(secretsOf(source))) {
            const written = source.turnsText.reduce((n, t) => n + occurrences(t, secret), 0);
            const detected = secretsOf(source).filter((x) => x === secret).length;
            expect(occurrences(emitted, secret), `item leaked ${secret}`).toBeLessThanOrEqual(
              written - detected,
            );
          }
        }

        // Reasons and log lines never quote transcripts (the rejects file keeps raw lines by design).
        const secrets = new Set(generated.flatMap(secretsOf));
        const told = [...rejected.map((r) => String(r.reason)), ...logs].join('\n');
        for (const secret of secrets) expect(told, `reason or log leaked ${secret}`).not.toContain(secret);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 100), interruptAfterTimeLimit: 240_000 },
    );
  }, 300_000);
});
