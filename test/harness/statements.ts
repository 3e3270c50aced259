import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type pg from 'pg';
import type { Database } from '../../src/server/db/client.js';

/**
 * Counts the round trips a piece of work (one request) sends through the database driver,
 * for the budgets of SPEC section 7 (issue 14). It sits below Drizzle, so it sees every
 * statement: ours, Better Auth's (its Drizzle adapter uses the same client), BEGIN and
 * COMMIT. The count is per async context (AsyncLocalStorage), so background work outside
 * the request (the outbox worker) is not counted. Fastify's `inject` does not carry the
 * caller's async context into the handler, so a request is matched to its counter by a
 * header and an `onRequest` hook enters the counter's context (`installStatementCounter`).
 */
export interface StatementCount {
  /** Every statement sent, BEGIN/COMMIT/ROLLBACK included. */
  statements: number;
  /** Transactions begun. */
  transactions: number;
  /** The statements' text, in order (first line, for failure messages). */
  texts: string[];
  /** The statements in full, with their parameters (to explain their plans). */
  queries: { text: string; values: unknown[] }[];
}

const current = new AsyncLocalStorage<StatementCount>();
const INSTRUMENTED = Symbol('statements.instrumented');
/** On a pg client: true while it is checked out by `pool.connect()` (a transaction), not by `pool.query`. */
const CHECKED_OUT = Symbol('statements.checkedOut');

function record(text: unknown, values?: unknown): void {
  const count = current.getStore();
  if (!count) return;
  const config = typeof text === 'object' && text !== null ? text as { text?: string; values?: unknown[] } : null;
  const sqlText = config ? config.text ?? '' : String(text);
  const params = Array.isArray(values) ? values : config?.values ?? [];
  const first = sqlText.trim().split('\n')[0].slice(0, 160);
  count.statements += 1;
  if (/^begin\b/i.test(first)) count.transactions += 1;
  count.texts.push(first);
  count.queries.push({ text: sqlText, values: params });
}

type Marked<T> = T & { [INSTRUMENTED]?: boolean; [CHECKED_OUT]?: boolean };

function instrumentPool(pool: Marked<pg.Pool>): void {
  const poolQuery = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as { query: unknown }).query = (...args: unknown[]) => {
    record(args[0], args[1]);
    return poolQuery(...args);
  };
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  (pool as { connect: unknown }).connect = (...args: unknown[]) => {
    // pool.query checks a client out with a callback (already counted above); a
    // transaction checks one out as a promise, and its statements go to client.query.
    if (typeof args[0] === 'function') {
      const callback = args[0] as (err: Error | undefined, client?: Marked<pg.PoolClient>, done?: unknown) => void;
      return connect((err: Error | undefined, client?: Marked<pg.PoolClient>, done?: unknown) => {
        if (client) client[CHECKED_OUT] = false;
        callback(err, client, done);
      });
    }
    return (connect() as Promise<Marked<pg.PoolClient>>).then((client) => {
      if (!client[INSTRUMENTED]) {
        client[INSTRUMENTED] = true;
        const clientQuery = client.query.bind(client) as (...a: unknown[]) => unknown;
        (client as { query: unknown }).query = (...a: unknown[]) => {
          if (client[CHECKED_OUT]) record(a[0], a[1]);
          return clientQuery(...a);
        };
      }
      client[CHECKED_OUT] = true;
      return client;
    });
  };
}

function instrumentPglite(db: PGlite): void {
  const target = db as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const method of ['query', 'exec'] as const) {
    const original = target[method].bind(db);
    target[method] = (...args: unknown[]) => {
      record(args[0], args[1]);
      return original(...args);
    };
  }
  const transaction = target.transaction.bind(db);
  target.transaction = (callback: unknown) => {
    record('BEGIN');
    return transaction(async (tx: Record<string, (...args: unknown[]) => Promise<unknown>>) => {
      for (const method of ['query', 'exec'] as const) {
        const original = tx[method].bind(tx);
        tx[method] = (...args: unknown[]) => {
          record(args[0], args[1]);
          return original(...args);
        };
      }
      try {
        const result = await (callback as (t: unknown) => Promise<unknown>)(tx);
        record('COMMIT');
        return result;
      } catch (err) {
        record('ROLLBACK');
        throw err;
      }
    });
  };
}

/** Wraps the database's driver (pg pool or PGlite) once; counting happens only inside `countStatements`. */
export function instrumentDatabase(database: Database): Database {
  const marked = database as Marked<Database>;
  if (marked[INSTRUMENTED]) return database;
  marked[INSTRUMENTED] = true;
  if (database.pool) instrumentPool(database.pool);
  else if (database.pglite) instrumentPglite(database.pglite);
  else throw new Error('instrumentDatabase: neither a pg pool nor PGlite');
  return database;
}

/** Runs `fn` and returns what it sent to the database (the database must be instrumented). */
export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; count: StatementCount }> {
  const count: StatementCount = { statements: 0, transactions: 0, texts: [], queries: [] };
  // Awaited inside the context: Drizzle's queries are lazy thenables that run when awaited.
  const result = await current.run(count, async () => await fn());
  return { result, count };
}

const HEADER = 'x-test-statement-count';
const armed = new Map<string, StatementCount>();

/** For `createTestApp({ configure })`: requests carrying the header count into their counter. */
export function installStatementCounter(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const id = request.headers[HEADER];
    const count = typeof id === 'string' ? armed.get(id) : undefined;
    if (count) current.run(count, done);
    else done();
  });
}

/** Injects one request and counts its statements (the app needs `installStatementCounter`). */
export async function countRequest(app: FastifyInstance, opts: InjectOptions): Promise<{ res: LightMyRequestResponse; count: StatementCount }> {
  const id = randomUUID();
  const count: StatementCount = { statements: 0, transactions: 0, texts: [], queries: [] };
  armed.set(id, count);
  try {
    const res = await app.inject({ ...opts, headers: { ...opts.headers, [HEADER]: id } });
    return { res, count };
  } finally {
    armed.delete(id);
  }
}
