import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** src/review/migrations, whether running from src (tests) or dist/src (built CLI). */
export function migrationsDir(): string {
  const candidates = [join(HERE, 'migrations'), join(HERE, '..', '..', '..', 'src', 'review', 'migrations')];
  const found = candidates.find((d) => existsSync(d));
  if (!found) throw new Error(`migrations folder not found (looked in ${candidates.join(', ')})`);
  return found;
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** NNN_name.sql files, in order; numbers must be unique. */
export function loadMigrations(dir = migrationsDir()): Migration[] {
  const out = readdirSync(dir)
    .filter((f) => /^\d+_[\w-]+\.sql$/.test(f))
    .map((f) => ({
      version: Number.parseInt(f, 10),
      name: f,
      sql: readFileSync(join(dir, f), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
  out.forEach((m, i) => {
    if (i > 0 && out[i - 1]!.version === m.version) throw new Error(`two migrations numbered ${m.version}`);
  });
  return out;
}

/**
 * Applies pending migrations in one transaction, recorded in schema_migrations. An advisory lock
 * serialises several processes starting at once; the second sees the first's work and does nothing.
 */
export async function migrate(db: Db, migrations = loadMigrations()): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7364201)');
    await tx.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
    );
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
