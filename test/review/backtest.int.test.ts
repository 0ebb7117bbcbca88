import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPipeline } from '../../src/config/load.js';
import { backtest, formatBacktest } from '../../src/review/backtest.js';
import {
  BACKENDS,
  ingest,
  login,
  reviewNext,
  sampleItems,
  startApp,
  type TestApp,
  variant,
} from './helpers.js';

/** pipelines/chat-zh.yaml with an edit, in a temp folder (lexicon paths made absolute). */
function editedPipeline(dir: string, edit: (yaml: string) => string): string {
  let yaml = readFileSync('pipelines/chat-zh.yaml', 'utf8').replaceAll(
    '../lexicons/',
    `${resolve('lexicons')}/`,
  );
  yaml = edit(yaml);
  const file = join(dir, 'chat-zh-next.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe.each(BACKENDS)('backtest on %s', (backend) => {
  let app: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'qa-backtest-'));
  beforeAll(async () => {
    app = await startApp(backend);
    const { items } = await sampleItems();
    const queued = items.filter((i) => i.conversation);
    await ingest(
      app,
      queued.map((i) => variant(i, `bt-${i.conversationId}`, { queue: 'bt' })),
    );
    const reviewer = await login(app, `bt-rev-${backend}`, 'reviewer');
    // Reviewers rejected every forbidden-phrase finding and confirmed the rest.
    while (
      await reviewNext(reviewer, 'bt', (f) => (f.ruleId === 'forbidden-phrase' ? 'rejected' : 'confirmed'))
    ) {}
  });
  afterAll(async () => {
    await app.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the same pipeline changes nothing (personal-data rules are skipped: the store holds masked text)', async () => {
    const report = await backtest(app.db, await loadPipeline('pipelines/chat-zh.yaml'));
    expect(report.items).toBe((await sampleItems()).items.filter((i) => i.conversation).length);
    expect(report.rules.length).toBeGreaterThan(0);
    for (const r of report.rules) {
      expect(r.disappeared.total, r.ruleId).toBe(0);
      expect(r.appeared.total, r.ruleId).toBe(0);
    }
    expect(report.rules.map((r) => r.ruleId)).not.toContain('pii');
  });

  it('a new finding where reviewers had to add one is recall gained; others are unverified', async () => {
    // Make the stored version look as if it had missed one greeting finding, which a reviewer added:
    // the same pipeline now finds it again.
    const [f] = await app.db.query<{ id: number }>(
      `SELECT f.id FROM findings f JOIN items i ON i.id = f.item_id
        WHERE f.rule_id = 'greeting' AND f.origin = 'machine' AND i.conversation_id LIKE 'bt-%' ORDER BY f.id LIMIT 1`,
    );
    await app.db.query(`UPDATE findings SET origin = 'reviewer', final = 'confirmed' WHERE id = $1`, [f!.id]);
    try {
      const report = await backtest(app.db, await loadPipeline('pipelines/chat-zh.yaml'));
      const greeting = report.rules.find((r) => r.ruleId === 'greeting')!;
      expect(greeting.appeared).toEqual({ total: 1, matchesAdded: 1, unverified: 0 });
    } finally {
      await app.db.query(`UPDATE findings SET origin = 'machine' WHERE id = $1`, [f!.id]);
    }
  });

  it('per rule: removed rejected findings are precision gained, removed confirmed ones recall lost', async () => {
    // The next version drops forbidden-phrase (all rejected) and first-response (all confirmed).
    const next = editedPipeline(dir, (y) =>
      y
        .replace('    speakers: [agent]\n', '    speakers: [agent]\n    enabled: false\n')
        .replace('    max_seconds: 120\n', '    max_seconds: 120\n    enabled: false\n'),
    );
    // The edited copy lives in a temporary folder and names the repo's lexicons by absolute path,
    // so that folder is allowed as a lexicon root, as `--config-root` would.
    const report = await backtest(app.db, await loadPipeline(next, { roots: [resolve('lexicons')] }));
    const fp = report.rules.find((r) => r.ruleId === 'forbidden-phrase')!;
    expect(fp.kept).toBe(0);
    expect(fp.disappeared.total).toBeGreaterThan(0);
    expect(fp.disappeared).toMatchObject({ rejected: fp.disappeared.total, confirmed: 0 });
    expect(fp.precisionBefore).toBe(0);
    const first = report.rules.find((r) => r.ruleId === 'first-response')!;
    expect(first.disappeared).toMatchObject({ confirmed: first.disappeared.total, rejected: 0 });
    expect(first.disappeared.total).toBeGreaterThan(0);
    const greeting = report.rules.find((r) => r.ruleId === 'greeting')!;
    expect(greeting.disappeared.total).toBe(0);
    expect(report.scoreChanged).toBeGreaterThan(0);
    const text = formatBacktest(report);
    expect(text).toMatch(/forbidden-phrase\s+0\s+\d+\s+\d+\s+0/);
    expect(text).toContain('masked text');
  });
});
