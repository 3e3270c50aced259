/**
 * `npm run db:copy-to-postgres`: moves the embedded database (DATA_DIR) into the empty
 * PostgreSQL database of DATABASE_URL. Stop the server first (the embedded database is locked).
 */
import path from 'node:path';
import { loadConfig } from '../src/server/config.js';
import { openDatabase } from '../src/server/db/client.js';

const config = loadConfig(process.env, { serving: false });
if (!config.databaseUrl) {
  console.error('Set DATABASE_URL to the PostgreSQL database to copy into.');
  process.exit(2);
}
const source = await openDatabase({ databaseUrl: null, pgliteDir: path.join(config.dataDir, 'pglite') });
const target = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 2 });
try {
  await source.migrate();
  await target.migrate();
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
    const existing = await client.query('SELECT count(*)::int AS n FROM accounts');
    if (existing.rows[0].n > 0) throw new Error('The target database already holds Accounts; copy only into an empty database.');
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
    console.log('Done. Start the server with this DATABASE_URL.');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
} finally {
  await source.close();
  await target.close();
}
