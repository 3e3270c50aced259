import pg from 'pg';
import type { Db } from './client.js';

interface PoolLike { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }> }
interface PgliteLike { query(text: string, params: unknown[]): Promise<{ rows: unknown[] }> }

/**
 * A fixed hot query sent as a named prepared statement (issue 14): PostgreSQL parses and
 * plans it once per connection, the SQL text is not rebuilt per request, and the rows come
 * back as plain objects without per-row ORM mapping. For reads outside transactions only
 * (`db`, not a `tx`). On PGlite, one process and no network, it is an ordinary
 * parameterised query. Column types are the driver's defaults (timestamps as `Date`, JSON
 * parsed).
 */
export async function namedQuery<R>(db: Db, name: string, text: string, values: unknown[]): Promise<R[]> {
  const client = (db as unknown as { $client: PoolLike | PgliteLike }).$client;
  if (client instanceof pg.Pool) return (await (client as PoolLike).query({ name, text, values })).rows as R[];
  return (await (client as PgliteLike).query(text, values)).rows as R[];
}
