import { createHash } from 'node:crypto';
import { getTableColumns, getTableName, is, Param, SQL, sql, type SQLWrapper } from 'drizzle-orm';
import type { PgColumn, PgDialect, PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from './client.js';
import { namedQuery, plainQuery } from './named.js';

/**
 * Batch texts sent as named prepared statements (issue 14): a use-case's batch has one or
 * a few shapes (the same tables, rows and columns; only the values differ), so PostgreSQL
 * parses it once per connection. Named by a hash of the text, so two texts never share a
 * name. A text is named from the second time it is sent (a one-off shape, say an invoice
 * with an unusual number of lines, takes no place), and at most this many shapes per
 * process are named (a named statement lives as long as its connection); any further one
 * is sent unnamed.
 */
const MAX_NAMED_SHAPES = 64;
const namedShapes = new Map<string, string>();
/** Texts sent once so far (their hash), emptied when full. */
const seenOnce = new Set<string>();
const MAX_SEEN = 1_000;

function statementName(text: string): string | null {
  const name = namedShapes.get(text);
  if (name) return name;
  if (namedShapes.size >= MAX_NAMED_SHAPES) return null;
  const hash = createHash('sha1').update(text).digest('hex').slice(0, 16);
  if (!seenOnce.has(hash)) {
    if (seenOnce.size >= MAX_SEEN) seenOnce.clear();
    seenOnce.add(hash);
    return null;
  }
  seenOnce.delete(hash);
  namedShapes.set(text, `write_batch_${hash}`);
  return `write_batch_${hash}`;
}

/**
 * Several writes of one transaction sent as ONE statement (issue 14: round trips are the cost).
 *
 * Each write is a Drizzle query builder (not awaited: builders run only when awaited), or a
 * group of named common table expressions whose order matters. `flush()` sends them as
 * `WITH w0 AS (…), w1 AS (…) SELECT 1`. PostgreSQL runs every data-modifying CTE exactly once
 * and to completion, and checks foreign keys at the end of the statement, so a Company, its
 * memberships and its billing contact can be inserted together. Writes that are NOT ordered
 * among themselves: put only independent writes in one batch (two writes to the same row, or
 * an update that must precede an insert under a unique index, need an ordered group, see
 * `changeBillingSql` in billing/periods.ts). A failure of any part fails the whole statement,
 * and with it the transaction.
 */
export class WriteBatch {
  private readonly parts: SQL[] = [];
  private readonly texts: { text: string; params: unknown[] }[] = [];
  /** Rows for one multi-row insert per table, in the order they were added (ids follow it). */
  private readonly rows = new Map<PgTable, Record<string, unknown>[]>();
  private named = 0;

  constructor(readonly tx: DbOrTx) {}

  /** One write (an insert, update or delete builder). */
  add(query: SQLWrapper): void {
    this.parts.push(sql`${sql.identifier(`w${this.parts.length}`)} AS (${query.getSQL()})`);
  }

  /**
   * A row for a multi-row insert into `table` at flush. Rows of one table keep their order
   * (serial ids follow it: an activity log reads in the order its events were written).
   */
  addRow<T extends PgTable>(table: T, row: T['$inferInsert']): void {
    const list = this.rows.get(table) ?? [];
    list.push(row as Record<string, unknown>);
    this.rows.set(table, list);
  }

  /**
   * One write as fixed SQL text with its own `$1…$n` and its values (driver values: JSON as
   * text with a cast, timestamps as ISO text), for the hot writes of a use-case: no query
   * builder per request (issue 14). The text must contain `$n` only as parameters.
   */
  addText(text: string, params: unknown[]): void {
    this.texts.push({ text, params });
  }

  /** Ordered CTEs, already written as `name AS (…), name2 AS (…)` (names from `prefix()`). */
  addGroup(group: SQL): void {
    this.parts.push(group);
  }

  /** A prefix for the CTE names of one group, unique within this batch. */
  prefix(): string {
    this.named += 1;
    return `g${this.named}_`;
  }

  get size(): number {
    return this.parts.length + this.texts.length + this.rows.size;
  }

  /** Sends everything added so far in one statement; nothing when empty. */
  async flush(): Promise<void> {
    const tables = [...this.rows];
    this.rows.clear();
    const written = tables.map(([table, rows]) => insertColumns(table, rows));
    if (written.some((w) => w === null)) {
      // A value Drizzle must build (SQL, a default function): the whole batch through Drizzle.
      for (const [table, rows] of tables) this.add(this.tx.insert(table).values(rows));
    }
    if (this.parts.length === 0 && this.texts.length === 0 && (tables.length === 0 || written.some((w) => w === null))) return;
    const parts = this.parts.splice(0);
    const texts = this.texts.splice(0);
    const dialect = (this.tx as unknown as { dialect: PgDialect }).dialect;
    // The updates, deletes and ordered groups through Drizzle ($1…$k), then the rows' inserts written here ($k+1…).
    const built = parts.length ? dialect.sqlToQuery(sql.join(parts, sql`, `)) : { sql: '', params: [] as unknown[] };
    let text = built.sql;
    const params = built.params as unknown[];
    let next = parts.length;
    for (const part of texts) {
      const offset = params.length;
      params.push(...part.params);
      text += `${text ? ', ' : ''}"w${next++}" AS (${offset ? part.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`) : part.text})`;
    }
    if (!written.some((w) => w === null)) {
      for (const [i, [table, rows]] of tables.entries()) {
        text += `${text ? ', ' : ''}"w${next++}" AS (${insertText(table, rows, written[i]!, params)})`;
      }
    }
    text = `WITH ${text} SELECT 1`;
    const name = statementName(text);
    if (name) await namedQuery(this.tx, name, text, params);
    else await plainQuery(this.tx, text, params);
  }
}

/** Drizzle's column, with the members its insert builder reads (not all in its types). */
type BuilderColumn = PgColumn & { defaultFn?: unknown; onUpdateFn?: unknown; shouldDisableInsert(): boolean };
interface InsertColumn { key: string; column: BuilderColumn }
const insertColumnsOf = new WeakMap<PgTable, InsertColumn[]>();

/**
 * The columns of a multi-row insert as Drizzle writes it (every insertable column, `default`
 * where a row has no value), or null when a row needs Drizzle itself to build it: a value
 * that is SQL, or a column with a default function. Rows are written here rather than by
 * Drizzle's builder because building them was most of a write batch's CPU (issue 14).
 */
function insertColumns(table: PgTable, rows: Record<string, unknown>[]): InsertColumn[] | null {
  let columns = insertColumnsOf.get(table);
  if (!columns) {
    columns = Object.entries(getTableColumns(table))
      .map(([key, column]) => ({ key, column: column as BuilderColumn }))
      .filter(({ column }) => !column.shouldDisableInsert());
    insertColumnsOf.set(table, columns);
  }
  for (const { column } of columns) if (column.defaultFn !== undefined || column.onUpdateFn !== undefined) return null;
  for (const row of rows) for (const value of Object.values(row)) if (is(value, SQL) || is(value, Param)) return null;
  return columns;
}

/** `INSERT INTO "t" ("a", "b") VALUES ($n, default), …`, its values appended to `params` (as Drizzle maps them for the driver). */
function insertText(table: PgTable, rows: Record<string, unknown>[], columns: InsertColumn[], params: unknown[]): string {
  const values = rows.map((row) => `(${columns.map(({ key, column }) => {
    const value = row[key];
    if (value === undefined) return 'default';
    params.push(value === null ? null : column.mapToDriverValue(value));
    return `$${params.length}`;
  }).join(', ')})`);
  return `insert into "${getTableName(table)}" (${columns.map(({ column }) => `"${column.name}"`).join(', ')}) values ${values.join(', ')}`;
}

/** A write target: a transaction (the write runs now) or a batch (it runs at the batch's flush). */
export type WriteTarget = DbOrTx | WriteBatch;

/** The query builder to build a write with. */
export function builderOf(target: WriteTarget): DbOrTx {
  return target instanceof WriteBatch ? target.tx : target;
}

/** Inserts one row now, or queues it for the batch's multi-row insert into that table. */
export async function insertRow<T extends PgTable>(target: WriteTarget, table: T, row: T['$inferInsert']): Promise<void> {
  if (target instanceof WriteBatch) target.addRow(table, row);
  else await target.insert(table).values(row);
}
