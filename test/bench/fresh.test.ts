import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freshText } from '../../bench/fresh.js';
import { loadPipeline } from '../../src/config/load.js';
import type { InlineTranscript } from '../../src/domain/index.js';
import { createScreener } from '../../src/pipeline/screen.js';

// Benchmarks make turns new with a mark (bench/fresh.ts); it must change what is cached, not what is found.
describe('fresh turns for benchmarks', () => {
  it.each([
    ['pipelines/chat-zh.yaml', 'samples/chat-zh.jsonl'],
    ['pipelines/chat-en.yaml', 'samples/chat-en.jsonl'],
  ])('a mark changes no finding of %s on %s', async (pipelineFile, samples) => {
    const screener = createScreener(await loadPipeline(pipelineFile), { now: () => new Date(0) });
    const transcripts = readFileSync(samples, 'utf8')
      .split('\n')
      .flatMap((l) => {
        try {
          const t = JSON.parse(l) as InlineTranscript;
          return typeof t.agent === 'object' ? [t] : [];
        } catch {
          return [];
        }
      });
    expect(transcripts.length).toBeGreaterThan(3);
    const found = (t: InlineTranscript) =>
      screener.screen(t).findings.map((f) => `${f.ruleId} ${f.turnIndex ?? '-'}`);
    for (const t of transcripts) {
      for (const v of [0, 1, 4097, 32767]) {
        const fresh = {
          ...t,
          turns: t.turns.map((turn, k) => ({ ...turn, text: freshText(turn.text, v + k, t.language) })),
        };
        expect(fresh.turns[0]!.text).not.toBe(t.turns[0]!.text);
        expect({ id: t.conversationId, v, found: found(fresh) }).toEqual({
          id: t.conversationId,
          v,
          found: found(t),
        });
      }
    }
  });
});
