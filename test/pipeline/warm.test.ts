import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readLocalFile } from '../../src/config/file-store.js';
import { loadPipeline } from '../../src/config/load.js';
import { loadRoutingWithFiles } from '../../src/config/routing.js';
import { screenMessage } from '../../src/pipeline/process.js';
import { createRouter } from '../../src/pipeline/route.js';
import { warmUp } from '../../src/pipeline/warm.js';
import { wordBoundariesLoaded } from '../../src/text/segment.js';

const withoutTime = (json: string) => JSON.parse(json, (k, v) => (k === 'screenedAt' ? undefined : v));

describe('warmUp', () => {
  // Order matters in this file: the segmenter is module state, loaded once per test file.
  it('an English pipeline screens its rounds and leaves the Chinese segmenter unloaded', async () => {
    const router = createRouter(await loadPipeline('pipelines/social-en.yaml'));
    expect(warmUp(router, 5)).toBe(5);
    expect(wordBoundariesLoaded()).toBe(false);
  });

  it('a Chinese pipeline loads the word boundaries before any real turn asks for them', async () => {
    const router = createRouter(await loadPipeline('pipelines/chat-zh.yaml'));
    expect(wordBoundariesLoaded()).toBe(false);
    expect(warmUp(router, 3)).toBe(3);
    expect(wordBoundariesLoaded()).toBe(true);
  });

  it('screens every pipeline of a routing', async () => {
    const { routing } = await loadRoutingWithFiles('pipelines/routing.yaml', readLocalFile);
    const router = createRouter(routing);
    expect(warmUp(router, 4)).toBe(4 * router.screeners.size);
    expect(router.screeners.size).toBe(4);
  });

  it('leaves no trace: real conversations screen the same after a warm-up as without one', async () => {
    const pipeline = await loadPipeline('pipelines/chat-zh.yaml');
    const cold = createRouter(pipeline);
    const warm = createRouter(pipeline);
    warmUp(warm, 50);
    const lines = readFileSync('samples/chat-zh.jsonl', 'utf8').split('\n').filter(Boolean);
    let compared = 0;
    for (const line of lines) {
      const a = screenMessage(cold, line);
      const b = screenMessage(warm, line);
      // Rejected lines (the samples hold broken ones on purpose) are rejected the same way.
      expect(b.ok).toBe(a.ok);
      if (!a.ok || !b.ok) continue;
      expect(withoutTime(b.json)).toEqual(withoutTime(a.json));
      compared++;
    }
    expect(compared).toBeGreaterThan(3);
  });
});
