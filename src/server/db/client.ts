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

interface PgLikeError { code?: string; message?: string; cause?: unknown; errors?: unknown[] }

/** The first error in a cause chain (Drizzle wraps pg's) that carries a code. */
function rootCode(err: unknown, depth = 0): PgLikeError | null {
  if (!err || typeof err !== 'object' || depth > 5) return null;
  const e = err as PgLikeError;
  if (typeof e.code === 'string') return e;
  return rootCode(e.cause, depth + 1) ?? (Array.isArray(e.errors) ? rootCode(e.errors[0], depth + 1) : null);
}

/**
 * A sentence for the PostgreSQL failures an operator meets at start (a missing database,
 * nothing listening, a wrong password), or null for anything else.
 */
export function describeDatabaseError(err: unknown, databaseUrl: string | undefined | null): string | null {
  if (!databaseUrl) return null;
  const root = rootCode(err);
  if (!root) return null;
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return null;
  }
  const host = url.hostname || 'localhost';
  const port = url.port || '5432';
  const user = decodeURIComponent(url.username) || 'postgres';
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || user;
  const at = `${host}:${port}`;
  switch (root.code) {
    case '3D000':
      return `The PostgreSQL database "${database}" does not exist on ${at}; create it with \`createdb -h ${host} -p ${port} -U ${user} ${database}\`, then start again (DATABASE_URL names it).`;
    case '28P01':
    case '28000':
      return `PostgreSQL on ${at} refused the user "${user}" (${root.message}); check the user name and password in DATABASE_URL.`;
    case '42501':
      return `The PostgreSQL user "${user}" may not create tables in "${database}" (${root.message}); grant it the rights, or use the database's owner in DATABASE_URL.`;
    case 'ECONNREFUSED':
      return `Nothing answers at ${at} (DATABASE_URL): is PostgreSQL running, and on that port?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host "${host}" of DATABASE_URL does not resolve; check DATABASE_URL.`;
    case 'ETIMEDOUT':
      return `PostgreSQL at ${at} (DATABASE_URL) did not answer in time; check the address and the network.`;
    default:
      return null;
  }
}
