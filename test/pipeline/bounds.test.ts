import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledPipeline } from '../../src/config/compile.js';
import { loadPipeline } from '../../src/config/load.js';
import { type InlineTranscript, ScreenedItem } from '../../src/domain/index.js';
import { QaError } from '../../src/errors.js';
import { capFindings, fitItem, jsonBytes } from '../../src/pipeline/bounds.js';
import { createScreener } from '../../src/pipeline/screen.js';
import { bundledPipelineWith } from '../helpers/pipelines.js';

let callZh: CompiledPipeline;
beforeAll(async () => {
  callZh = await loadPipeline('pipelines/call-zh.yaml');
});

/** A call whose agent turns are 20,000 characters of one filler word, each a forbidden-phrase hit. */
function fillerCall(turns: number): InlineTranscript {
  return {
    conversationId: 'filler',
    channel: 'call',
    language: 'zh',
    agent: { id: 'b-1' },
    startedAt: '2026-11-02T10:00:00+08:00',
    endedAt: '2026-11-02T10:03:00+08:00',
    answerDelayMs: 1000,
    turns: Array.from({ length: turns }, (_, i) => ({
      speaker: i % 2 === 0 ? ('agent' as const) : ('customer' as const),
      text: i % 2 === 0 ? '咋'.repeat(20_000) : '嗯',
      startMs: i * 1000,
      endMs: i * 1000 + 900,
    })),
  } as InlineTranscript;
}

const finding = (ruleId: string, points: number) => ({
  ruleId,
  type: 'phrase',
  category: 'c',
  severity: 'minor' as const,
  points,
  message: 'm',
});

describe('findings are capped per rule and per item, the rest counted', () => {
  it('lists the first findings of each rule and counts the rest with their points', () => {
    const list = [
      ...Array.from({ length: 5 }, () => finding('a', 1)),
      ...Array.from({ length: 3 }, () => finding('b', 0.5)),
    ];
    const { listed, omitted } = capFindings(list, 2, 3);
    expect(listed.map((f) => f.ruleId)).toEqual(['a', 'a', 'b']);
    expect(omitted).toEqual([
      { ruleId: 'a', count: 3, points: 3 },
      { ruleId: 'b', count: 2, points: 1 },
    ]);
  });

  it('one transcript of filler makes a bounded item: 50 findings per rule listed, the rest counted and scored', () => {
    const t = fillerCall(3);
    const item = createScreener(callZh).screen(t);
    expect(ScreenedItem.parse(item)).toEqual(item);
    const listed = item.findings.filter((f) => f.ruleId === 'forbidden-phrase');
    expect(listed).toHaveLength(50);
    expect(item.omitted).toMatchObject({
      findings: 2 * 20_000 - 50,
      rules: [{ ruleId: 'forbidden-phrase', count: 2 * 20_000 - 50 }],
    });
    expect(jsonBytes(item)).toBeLessThanOrEqual(callZh.config.limits.max_item_bytes);
    // The score counts every finding: the filler category is capped, not the list.
    const uncapped = createScreener(callZh).screen({ ...t, turns: t.turns.slice(0, 1) });
    expect(item.deducted).toBeGreaterThanOrEqual(uncapped.deducted);
  });

  it('an item over max_item_bytes leaves out its conversation first, then findings; both say so', async () => {
    const small = await bundledPipelineWith('call-zh', {
      limits: 'max_item_bytes: 20000\nmax_findings_per_rule: 1000\nmax_findings: 5000',
      output: 'conversation: all',
    });
    const item = createScreener(small).screen(fillerCall(3));
    expect(item.conversation).toBeUndefined();
    expect(item.omitted?.conversation).toBe(true);
    expect(jsonBytes(item)).toBeLessThanOrEqual(20_000);
    const listed = item.findings.filter((f) => f.ruleId === 'forbidden-phrase').length;
    const counted = item.omitted!.rules.find((r) => r.ruleId === 'forbidden-phrase')!.count;
    expect(listed).toBeGreaterThan(0);
    expect(listed + counted).toBe(40_000);
  });

  it('rejects an item that cannot fit even with nothing listed', () => {
    const item = createScreener(callZh).screen(fillerCall(1));
    const err = (() => {
      try {
        fitItem(item, 100);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(QaError);
    expect((err as QaError).code).toBe('QA_ERR_ITEM_TOO_LARGE');
  });
});
