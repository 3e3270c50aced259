import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * A multi-row INSERT whose rows travel as ONE jsonb parameter (`jsonb_populate_recordset`), for
 * the monthly run's page of hundreds of invoices and events (ADR 0106). Drizzle's multi-row insert
 * binds every column of every row as its own parameter: for 500 invoices that is 13,500
 * parameters, and building the statement cost more than PostgreSQL's work on it. Here the text is
 * the same for any number of rows, and the rows are one `JSON.stringify`.
 *
 * Every row must have the same keys (Drizzle field names); the columns not given take their
 * defaults (serial ids in row order). Values go as JSON: Dates as ISO strings (timestamptz
 * parses them), objects and arrays as they are into jsonb columns, integers, text and null.
 * Returns a statement to `await tx.execute(…)` or to `WriteBatch.add`.
 */
export function insertRowsAsJson<T extends PgTable>(table: T, rows: T['$inferInsert'][]): SQL {
  if (rows.length === 0) throw new Error('insertRowsAsJson: no rows');
  const columns = getTableColumns(table);
  const keys = Object.keys(rows[0]).filter((k) => (rows[0] as Record<string, unknown>)[k] !== undefined);
  const names = keys.map((k) => {
    const column = columns[k];
    if (!column) throw new Error(`insertRowsAsJson: ${k} is no column`);
    return column.name;
  });
  const json = JSON.stringify(rows.map((row) => {
    const values = row as Record<string, unknown>;
    return Object.fromEntries(keys.map((k, i) => [names[i], values[k] ?? null]));
  }));
  const list = sql.join(names.map((n) => sql.identifier(n)), sql`, `);
  return sql`INSERT INTO ${table} (${list}) SELECT ${list} FROM jsonb_populate_recordset(NULL::${table}, ${json}::jsonb) WITH ORDINALITY AS r ORDER BY r.ordinality`;
}
