import { mkdirSync, readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.js';
import { acquireDataDirLock, type DataDirLock } from './lock.js';

export type Schema = typeof schema;
/** Both drivers expose the same query builder; typed once as the node-postgres flavour. */
export type Db = NodePgDatabase<Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** How many migrations ship with this code (drizzle-kit's journal). */
export function expectedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

/** Ready: the database answers and every migration of this code is applied. */
export async function isReady(db: Db): Promise<boolean> {
  try {
    const result = await db.execute(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
    return Number((result.rows[0] as { n: number }).n) >= expectedMigrationCount();
  } catch {
    return false;
  }
}

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** The raw PGlite instance, when embedded (used by tests and export). */
  pglite?: PGlite;
  pool?: pg.Pool;
}

export interface OpenOptions {
  databaseUrl: string | null;
  /** Directory of the embedded database; only with no databaseUrl. */
  pgliteDir?: string;
  /** Skip the single-process lock (tests open copies of a template). */
  noLock?: boolean;
  poolSize?: number;
}

/** Key of the session-level advisory lock that serialises migrations across processes. */
export const MIGRATION_LOCK_KEY = 0x64617368_626f61n; // "dashboa"

/**
 * Any number of processes may start at once on one PostgreSQL (issue 9, defect 5): each
 * migrates on one connection holding an advisory lock, so the second waits for the first
 * and then finds nothing left to apply. The lock dies with the connection if we crash.
 */
async function migrateUnderLock(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_DIR });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]).catch((err: Error) => { broken = err; });
    }
  } catch (err) {
    broken = err as Error;
    throw err;
  } finally {
    // A connection in an unknown state is closed, which also releases the lock.
    client.release(broken);
  }
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 20 });
    pool.on('error', () => { /* idle client errors surface on the next query */ });
    const db = drizzlePg(pool, { schema });
    return {
      db,
      kind: 'postgres',
      pool,
      migrate: () => migrateUnderLock(pool),
      close: () => pool.end(),
    };
  }
  const dir = opts.pgliteDir;
  if (!dir) throw new Error('pgliteDir is required without databaseUrl');
  mkdirSync(dir, { recursive: true });
  let lock: DataDirLock | null = null;
  if (!opts.noLock) lock = acquireDataDirLock(dir);
  const client = await PGlite.create({ dataDir: dir });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    pglite: client,
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR }),
    close: async () => {
      await client.close();
      lock?.release();
    },
  };
}
