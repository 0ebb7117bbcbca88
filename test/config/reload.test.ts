import { cpSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localStore } from '../../src/config/file-store.js';
import { watchConfig } from '../../src/config/reload.js';
import { describeScreening, loadScreeningWithFiles, type Screening } from '../../src/config/routing.js';
import { createLogger } from '../../src/ops/logger.js';

describe('hot reload of a routing', () => {
  it('reloads every pipeline of a routing when one of its lexicons changes, and keeps serving on a bad edit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-reload-'));
    cpSync('pipelines', join(dir, 'pipelines'), { recursive: true });
    cpSync('lexicons', join(dir, 'lexicons'), { recursive: true });
    const source = { kind: 'routing' as const, location: join(dir, 'pipelines', 'routing.yaml') };
    const store = localStore;
    const first = await loadScreeningWithFiles(source, store.read);
    const applied: Screening[] = [];
    const watch = watchConfig({
      location: source.location,
      store,
      files: first.files,
      intervalMs: 3_600_000,
      logger: createLogger({ level: 'silent' }),
      load: (location, read) => loadScreeningWithFiles({ ...source, location }, read),
      apply: (next) => applied.push(next),
      describe: describeScreening,
    });
    const touch = (file: string, text: string) => {
      writeFileSync(file, text);
      const later = new Date(Date.now() + 5000 * (applied.length + 1));
      utimesSync(file, later, later);
    };
    expect(await watch.check()).toBe(false);
    const lexicon = join(dir, 'lexicons', 'en', 'forbidden.yaml');
    const text = readFileSync(lexicon, 'utf8');
    touch(lexicon, text.replace(/^version: .*$/m, 'version: "2099.1.1"'));
    expect(await watch.check()).toBe(true);
    const next = describeScreening(applied[0]!) as { pipelines: Array<{ id: string; version: string }> };
    expect(next.pipelines.map((p) => p.id)).toEqual(['chat-zh', 'call-zh', 'chat-en', 'social-en']);
    const routing = applied[0]! as Extract<Screening, { kind: 'routing' }>;
    expect(routing.pipelines.get('chat-en')!.lexicons).toContainEqual(
      expect.objectContaining({ id: 'forbidden-en', version: expect.stringMatching(/^2099\.1\.1\+/) }),
    );
    // A broken routing file is rejected; the one serving stays.
    touch(source.location, 'routing: bundled\npipelines: []\n');
    expect(await watch.check()).toBe(false);
    expect(applied).toHaveLength(1);
    watch.stop();
  });
});
