/**
 * `npm run db:copy-to-postgres`: moves the embedded database (DATA_DIR) into the empty
 * PostgreSQL database of DATABASE_URL. Stop the server first (the embedded database is locked).
 * Every refusal is one sentence and exit code 2 (3 when the embedded database is in use).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/server/config.js';
import { openDatabase, type Database } from '../src/server/db/client.js';
import { acquireDataDirLock, type DataDirLock } from '../src/server/db/lock.js';
import { exitOnError } from '../src/server/exitCodes.js';

class Refusal extends Error {}

async function copy(): Promise<void> {
  const config = loadConfig(process.env, { serving: false });
  if (!config.databaseUrl) throw new Refusal('Set DATABASE_URL to the PostgreSQL database to copy into, e.g. DATABASE_URL=postgres://user@host:5432/dashboard.');
  const pgliteDir = path.join(config.dataDir, 'pglite');
  if (!existsSync(pgliteDir)) throw new Refusal(`There is no embedded database in DATA_DIR (${config.dataDir}); nothing to copy.`);
  // The lock first: a running server would keep writing while we copy.
  const lock: DataDirLock = acquireDataDirLock(pgliteDir);
  let source: Database | undefined;
  const target = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 2 });
  try {
    await target.migrate();
    const existing = await target.pool!.query('SELECT count(*)::int AS n FROM accounts');
    if (existing.rows[0].n > 0) {
      throw new Refusal(`The target database already holds ${existing.rows[0].n} Account(s); copy only into an empty database (create one with createdb, then set DATABASE_URL to it).`);
    }
    source = await openDatabase({ databaseUrl: null, pgliteDir, noLock: true });
    await source.migrate();
    await copyTables(source, target);
    console.log('Done. Start the server with this DATABASE_URL.');
  } finally {
    await source?.close();
    await target.close();
    lock.release();
  }
}

async function copyTables(source: Database, target: Database) {
  const lite = source.pglite!;
  const tables = (await lite.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r'`)).rows.map((r) => r.name);
  const deps = (await lite.query<{ child: string; parent: string }>(
    `SELECT cl.relname AS child, pa.relname AS parent FROM pg_constraint k
     JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid WHERE k.contype = 'f'`)).rows;
  // Parents before children, so foreign keys hold at every insert.
  const ordered: string[] = [];
  const visit = (t: string, seen = new Set<string>()) => {
    if (ordered.includes(t) || seen.has(t)) return;
    seen.add(t);
    deps.filter((d) => d.child === t && d.parent !== t).forEach((d) => visit(d.parent, seen));
    ordered.push(t);
  };
  tables.sort().forEach((t) => visit(t));

  const client = await target.pool!.connect();
  try {
    await client.query('BEGIN');
    for (const table of ordered.filter((t) => !t.startsWith('__drizzle'))) {
      const rows = (await lite.query<Record<string, unknown>>(`SELECT * FROM "${table}"`)).rows;
      for (let i = 0; i < rows.length; i += 200) {
        const batch = rows.slice(i, i + 200);
        const columns = Object.keys(batch[0]);
        const values: unknown[] = [];
        const tuples = batch.map((row) => `(${columns.map((c) => {
          const v = row[c];
          values.push(v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v);
          return `$${values.length}`;
        }).join(', ')})`);
        await client.query(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`, values);
      }
      console.log(`${table}: ${rows.length} rows`);
    }
    // bigserial sequences continue after the copied ids.
    const sequences = await client.query<{ tbl: string; col: string; seq: string }>(
      `SELECT t.relname AS tbl, a.attname AS col, pg_get_serial_sequence(quote_ident(t.relname), a.attname) AS seq
       FROM pg_class t JOIN pg_attribute a ON a.attrelid = t.oid JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = 'public' AND t.relkind = 'r' AND a.attnum > 0
         AND pg_get_serial_sequence(quote_ident(t.relname), a.attname) IS NOT NULL`);
    for (const s of sequences.rows) {
      await client.query(`SELECT setval($1, GREATEST(1, (SELECT COALESCE(MAX("${s.col}"), 0) FROM "${s.tbl}")))`, [s.seq]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

copy().catch(exitOnError({
  lockedHint: 'Stop the server first (Ctrl-C in its terminal): the copy must read a database that nothing else writes.',
  known: [{ is: (err) => err instanceof Refusal, code: 2 }],
}));
