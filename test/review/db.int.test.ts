import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lexiconsDigest } from '../../src/config/compile.js';
import { openDb } from '../../src/review/db.js';
import { loadMigrations, migrate } from '../../src/review/migrate.js';
import { BACKENDS, openTestDb } from './helpers.js';

describe.each(BACKENDS)('storage on %s', (backend) => {
  it('applies the numbered migrations once, in one transaction, recorded in schema_migrations', async () => {
    const { db, cleanup } = await openTestDb(backend, { migrated: false });
    try {
      const all = loadMigrations().map((m) => m.version);
      expect(await migrate(db)).toEqual(all);
      expect(await migrate(db)).toEqual([]);
      const rows = await db.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(rows.map((r) => r.version)).toEqual(all);
      // Concurrent starts: the advisory lock makes the second a no-op.
      const again = await Promise.all([migrate(db), migrate(db)]);
      expect(again).toEqual([[], []]);
    } finally {
      await cleanup();
    }
  });

  it("002 backfills each stored item's lexicons digest: the one it carries, or the same digest of its version list", async () => {
    const { db, cleanup } = await openTestDb(backend, { migrated: false });
    try {
      const [first, ...rest] = loadMigrations();
      expect(rest[0]!.name).toBe('002_item_lexicons.sql');
      await migrate(db, [first!]);
      const list = [
        { id: 'zh-service', version: '2026.11.5' },
        { id: 'zh-forbidden', version: '2026.11.2' },
      ];
      const row = (id: string, item: unknown) =>
        db.query(
          `INSERT INTO items (conversation_id, version, pipeline_id, pipeline_version, channel, language, agent_id,
             queue, status, machine_score, machine_passed, fatal, priority, opportunities, screened_at, item)
           VALUES ($1, 1, 'p', '1', 'chat', 'zh', 'a', 'q', 'pending', 100, true, false, 0, 1, now(), $2)`,
          [id, JSON.stringify(item)],
        );
      await row('v1', { pipeline: { id: 'p', version: '1' }, lexicons: list });
      await row('v2', { pipeline: { id: 'p', version: '1', lexicons: 'abcdef012345' } });
      await row('none', { pipeline: { id: 'p', version: '1' } });
      await migrate(db);
      const got = await db.query<{ conversation_id: string; lexicons: string }>(
        'SELECT conversation_id, lexicons FROM items ORDER BY conversation_id',
      );
      expect(got).toEqual([
        { conversation_id: 'none', lexicons: '' },
        { conversation_id: 'v1', lexicons: lexiconsDigest(list) },
        { conversation_id: 'v2', lexicons: 'abcdef012345' },
      ]);
    } finally {
      await cleanup();
    }
  });

  it('rolls back a failing migration whole', async () => {
    const { db, cleanup } = await openTestDb(backend, { migrated: false });
    try {
      const bad = [
        { version: 1, name: '001_ok.sql', sql: 'CREATE TABLE a (x int);' },
        { version: 2, name: '002_bad.sql', sql: 'CREATE TABLE b (x int); SELECT nope_no_such_function();' },
      ];
      await expect(migrate(db, bad)).rejects.toThrow();
      const tables = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('a', 'b', 'schema_migrations')`,
      );
      expect(tables[0]!.n).toBe(0);
    } finally {
      await cleanup();
    }
  });

  it('keeps the audit log append-only', async () => {
    const { db, cleanup } = await openTestDb(backend);
    try {
      await migrate(db);
      await db.query(`INSERT INTO audit_log (action, entity, entity_id) VALUES ('x', 'y', '1')`);
      await expect(db.query(`UPDATE audit_log SET action = 'z'`)).rejects.toThrow(/append-only/);
      await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      expect((await db.query<{ action: string }>('SELECT action FROM audit_log'))[0]!.action).toBe('x');
    } finally {
      await cleanup();
    }
  });

  it('transactions commit together or not at all', async () => {
    const { db, cleanup } = await openTestDb(backend);
    try {
      await db.exec('CREATE TABLE t (x int PRIMARY KEY)');
      await expect(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES (1)');
          await tx.query('INSERT INTO t VALUES (1)');
        }),
      ).rejects.toThrow();
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (2)');
      });
      expect(await db.query('SELECT x FROM t')).toEqual([{ x: 2 }]);
    } finally {
      await cleanup();
    }
  });
});

describe('embedded PGlite in a data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qa-review-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('persists across a restart (no database server needed)', async () => {
    const first = await openDb({ dataDir: join(dir, 'db') });
    expect(first.kind).toBe('pglite');
    await migrate(first);
    await first.query(`INSERT INTO audit_log (action, entity, entity_id) VALUES ('kept', 'x', '1')`);
    await first.close();
    const second = await openDb({ dataDir: join(dir, 'db') });
    expect(await migrate(second)).toEqual([]);
    expect((await second.query<{ action: string }>('SELECT action FROM audit_log'))[0]!.action).toBe('kept');
    await second.close();
  });
});
