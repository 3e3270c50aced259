import { createHash } from 'node:crypto';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgDialect, PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from './client.js';
import { namedQuery, plainQuery } from './named.js';

/**
 * Batch texts sent as named prepared statements (issue 14): a use-case's batch has one or
 * a few shapes (the same tables, rows and columns; only the values differ), so PostgreSQL
 * parses it once per connection. Named by a hash of the text, so two texts never share a
 * name; at most this many shapes per process are named, any further one is sent unnamed.
 */
const MAX_NAMED_SHAPES = 64;
const namedShapes = new Map<string, string>();

function statementName(text: string): string | null {
  let name = namedShapes.get(text);
  if (name) return name;
  if (namedShapes.size >= MAX_NAMED_SHAPES) return null;
  name = `write_batch_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
  namedShapes.set(text, name);
  return name;
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
    return this.parts.length + this.rows.size;
  }

  /** Sends everything added so far in one statement; nothing when empty. */
  async flush(): Promise<void> {
    for (const [table, rows] of this.rows) this.add(this.tx.insert(table).values(rows));
    this.rows.clear();
    if (this.parts.length === 0) return;
    const parts = this.parts.splice(0);
    const dialect = (this.tx as unknown as { dialect: PgDialect }).dialect;
    const query = dialect.sqlToQuery(sql`WITH ${sql.join(parts, sql`, `)} SELECT 1`);
    const name = statementName(query.sql);
    if (name) await namedQuery(this.tx, name, query.sql, query.params);
    else await plainQuery(this.tx, query.sql, query.params);
  }
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
