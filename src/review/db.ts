import { mkdirSync } from 'node:fs';
import pg from 'pg';

/** What the review service needs from a database: parameterised queries and scripts. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * One adapter for both back ends: PostgreSQL through `pg` (DATABASE_URL) and the embedded PGlite
 * (a local data folder). The same SQL runs on both; `transaction` gives a single connection.
 */
export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite only: the data folder as a tarball (to clone a migrated template in tests). */
  dump?: () => Promise<Blob | File>;
}

export interface DbOptions {
  /** postgres://… selects a server; otherwise PGlite. */
  url?: string | undefined;
  /** PGlite data folder; 'memory://' (or undefined) keeps it in memory. */
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL. */
  max?: number;
  /** PGlite: start from this dumped data folder (tests clone a migrated template this way). */
  loadDataDir?: Blob;
}

// count(*) and bigserial come back as int8: numbers here (ids and counts stay far below 2^53;
// Kafka offsets are read as ::text). PGlite already returns numbers.
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export async function openDb(options: DbOptions): Promise<Db> {
  return options.url
    ? openPostgres(options.url, options.max ?? 10)
    : openPglite(options.dataDir, options.loadDataDir);
}

function openPostgres(url: string, max: number): Db {
  const pool = new pg.Pool({ connectionString: url, max, types });
  // An idle client losing its server is reported here; the next query reconnects.
  pool.on('error', () => undefined);
  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R>(sql: string, params?: readonly unknown[]) {
      return (await c.query(sql, params as unknown[] | undefined)).rows as R[];
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  const memory = dataDir === undefined || dataDir.startsWith('memory://');
  if (!memory) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({
    ...(!memory && { dataDir }),
    ...(loadDataDir && { loadDataDir }),
  });
  type Tx = Pick<typeof db, 'query' | 'exec'>;
  const wrap = (c: Tx): Queryable => ({
    async query<R>(sql: string, params?: readonly unknown[]) {
      return (await c.query<R>(sql, params as unknown[] | undefined)).rows;
    },
    async exec(sql: string) {
      await c.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...wrap(db),
    // PGlite is one connection: its transaction() queues every other query until it ends.
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
    dump: () => db.dumpDataDir('none'),
  };
}
