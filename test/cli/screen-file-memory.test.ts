import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import type { ScreenedItem } from '../../src/domain/index.js';
import { transcriptLines } from '../helpers/cli.js';

/** Every item screenFile produces, weakly: what is still alive shows what the run holds on to. */
const produced: Array<WeakRef<ScreenedItem>> = [];
const alive: number[] = [];
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

vi.mock('../../src/pipeline/process.js', async (original) => {
  const real = await original<typeof import('../../src/pipeline/process.js')>();
  return {
    ...real,
    screenMessage: (...args: Parameters<typeof real.screenMessage>) => {
      // Once per batch of 64, count the items of earlier batches still alive.
      if (produced.length > 0 && produced.length % 64 === 0) {
        gc();
        alive.push(produced.slice(0, -64).filter((r) => r.deref() !== undefined).length);
      }
      const result = real.screenMessage(...args);
      if (result.ok) produced.push(new WeakRef(result.item));
      return result;
    },
  };
});

describe('screen --agents keeps memory bounded', () => {
  it('holds no item of an earlier batch while it screens (the summary is per agent)', async () => {
    const { screenFile } = await import('../../src/cli/screen-file.js');
    const good = transcriptLines('samples/chat-zh.jsonl');
    const dir = mkdtempSync(join(tmpdir(), 'qa-memory-'));
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, `${Array.from({ length: 640 }, (_, i) => good[i % good.length]).join('\n')}\n`);
    const totals = await screenFile(
      {
        pipeline: 'pipelines/chat-zh.yaml',
        inputs: [input],
        output: join(dir, 'items.jsonl'),
        rejects: join(dir, 'rejects.jsonl'),
        agents: true,
        quiet: true,
      },
      () => {},
    );
    expect(totals.summary.items).toBe(640);
    expect(totals.summary.agents.length).toBeGreaterThan(1);
    expect(alive.length).toBeGreaterThanOrEqual(8);
    expect(alive.every((n) => n === 0)).toBe(true);
  });
});
