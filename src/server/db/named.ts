import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { DbOrTx } from './client.js';

interface PgClientLike { query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }> }
interface PgliteLike { query(text: string, params: unknown[]): Promise<{ rows: unknown[] }> }

/** The driver's client behind a Drizzle database or transaction: pg's Pool or PoolClient, or PGlite (or its transaction). */
function driverOf(db: DbOrTx): PgClientLike | PgliteLike {
  return (db as unknown as { session: { client: PgClientLike | PgliteLike } }).session.client;
}

function isPg(client: unknown): client is PgClientLike {
  return client instanceof pg.Pool || client instanceof pg.Client;
}

/**
 * A fixed hot query sent as a named prepared statement (issue 14): PostgreSQL parses and
 * plans it once per connection, the SQL text is not rebuilt per request, and the rows come
 * back as plain objects without per-row ORM mapping. Works on `db` (any pooled connection)
 * and inside a transaction (`tx`: its own connection, so locks and visibility are the
 * transaction's). On PGlite, one process and no network, it is an ordinary parameterised
 * query. Column types are the driver's defaults (timestamps as `Date`, JSON parsed), which
 * are also what Drizzle returns for this schema's columns.
 */
export async function namedQuery<R>(db: DbOrTx, name: string, text: string, values: unknown[]): Promise<R[]> {
  const client = driverOf(db);
  if (isPg(client)) return (await client.query({ name, text, values })).rows as R[];
  return (await (client as PgliteLike).query(text, values)).rows as R[];
}

/** An unnamed parameterised statement on the same client (for texts that vary, e.g. a write batch of a new shape). */
export async function plainQuery<R>(db: DbOrTx, text: string, values: unknown[]): Promise<R[]> {
  const client = driverOf(db);
  if (isPg(client)) return (await client.query({ text, values })).rows as R[];
  return (await (client as PgliteLike).query(text, values)).rows as R[];
}

/**
 * The select list of a whole table row under `alias`, each column named by its TypeScript
 * key (`a."company_id" AS "companyId"`), so a named statement returns the row in the shape
 * of `typeof table.$inferSelect`. Built from the schema, so a new column is not forgotten.
 * With `prefix`, the keys are prefixed (`app_companyId`) to select two tables in one row.
 */
export function rowColumns(table: PgTable, alias: string, prefix = ''): string {
  return Object.entries(getTableColumns(table)).map(([key, column]) => `${alias}."${column.name}" AS "${prefix}${key}"`).join(', ');
}

const keysOf = new WeakMap<PgTable, string[]>();

/** The columns of a row read with `rowColumns(table, alias, prefix)`, taken back out of a wider row. */
export function pickRow<T>(table: PgTable, row: Record<string, unknown>, prefix: string): T {
  let keys = keysOf.get(table);
  if (!keys) keysOf.set(table, keys = Object.keys(getTableColumns(table)));
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = row[`${prefix}${key}`];
  return out as T;
}
