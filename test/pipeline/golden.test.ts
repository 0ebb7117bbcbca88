import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadPipeline } from '../../src/config/load.js';
import { type InlineTranscript, ScreenedItem } from '../../src/domain/index.js';
import { createScreener } from '../../src/pipeline/screen.js';

interface GoldenCase {
  name: string;
  turns: unknown[][];
  answerDelayMs?: number;
  hangupBy?: string;
  expect: {
    findings?: Array<Record<string, unknown>>;
    absent_texts?: string[];
    score?: number;
    passed?: boolean;
    fatal?: boolean;
    queue?: string;
  };
}

const dir = join(import.meta.dirname, '..', 'golden');
const START = Date.parse('2026-11-02T09:00:00+08:00');

function transcript(
  channel: 'chat' | 'call',
  language: 'zh' | 'en',
  c: GoldenCase,
  defaults: Record<string, unknown>,
  i: number,
): InlineTranscript {
  const turns =
    channel === 'chat'
      ? c.turns.map(([sec, speaker, text]) => ({
          speaker,
          text,
          at: new Date(START + Number(sec) * 1000).toISOString(),
        }))
      : c.turns.map(([startMs, endMs, speaker, text]) => ({ speaker, text, startMs, endMs }));
  return {
    conversationId: `golden-${i}`,
    channel,
    language,
    agent: { id: 'a-1' },
    startedAt: new Date(START).toISOString(),
    turns,
    ...defaults,
    ...(c.answerDelayMs !== undefined && { answerDelayMs: c.answerDelayMs }),
    ...(c.hangupBy !== undefined && { hangupBy: c.hangupBy }),
  } as InlineTranscript;
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
  const golden = parse(readFileSync(join(dir, file), 'utf8')) as {
    pipeline: string;
    defaults?: Record<string, unknown>;
    cases: GoldenCase[];
  };
  describe(`golden ${file}`, async () => {
    const pipeline = await loadPipeline(golden.pipeline);
    const screener = createScreener(pipeline, { now: () => new Date(0) });
    golden.cases.forEach((c, i) => {
      it(c.name, () => {
        const t = transcript(pipeline.channel, pipeline.language, c, golden.defaults ?? {}, i);
        const item = ScreenedItem.parse(screener.screen(t));
        const e = c.expect;
        if (process.env.GOLDEN_DEBUG)
          console.log(
            c.name,
            JSON.stringify(item.findings.map((f) => [f.ruleId, f.category, f.text, f.points])),
          );
        if (e.findings) {
          // Every expected finding is present (matching the listed fields), and nothing else is.
          const actual = item.findings;
          for (const want of e.findings) {
            expect(actual, `missing ${JSON.stringify(want)}`).toContainEqual(expect.objectContaining(want));
          }
          expect(item.findings.map((f) => f.ruleId).sort()).toEqual(e.findings.map((f) => f.ruleId).sort());
        }
        for (const text of e.absent_texts ?? []) expect(item.findings.map((f) => f.text)).not.toContain(text);
        if (e.score !== undefined) expect(item.score).toBe(e.score);
        if (e.passed !== undefined) expect(item.passed).toBe(e.passed);
        if (e.fatal !== undefined) expect(item.fatal).toBe(e.fatal);
        if (e.queue !== undefined) expect(item.queue).toBe(e.queue);
        // Spans index the original text exactly.
        for (const f of item.findings) {
          if (f.start === undefined || f.type === 'pii') continue;
          const turnText = (t.turns[f.turnIndex!] as { text: string }).text;
          expect(turnText.slice(f.start, f.end)).toBe(f.text);
        }
      });
    });
  });
}
