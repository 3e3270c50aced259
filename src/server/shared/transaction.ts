import type { Db, Tx } from '../db/client.js';

/**
 * Thrown inside a transaction when what it locked no longer matches what it looked up
 * (an App moved to another Company between the look-up and the lock): the whole
 * transaction is run again, from a fresh look-up.
 */
export class RetryTransaction extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RetryTransaction';
  }
}

/** PostgreSQL's "try again" answers: deadlock_detected and serialization_failure. */
const RETRYABLE_CODES = new Set(['40P01', '40001']);

/** The SQLSTATE of a driver error, looking through wrappers (drizzle puts the pg error in `cause`). */
export function sqlStateOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export function isRetryable(err: unknown): boolean {
  if (err instanceof RetryTransaction) return true;
  const code = sqlStateOf(err);
  return code !== undefined && RETRYABLE_CODES.has(code);
}

export const MAX_ATTEMPTS = 5;

/**
 * Runs `fn` in one transaction and runs the whole of it again when PostgreSQL reports a
 * deadlock or a serialization failure (or `fn` asks for it). The lock order of
 * docs/decisions/0016-lock-order.md makes deadlocks impossible between our own
 * use-cases; this is the last line, so that a request never answers 500 for one.
 * When every attempt failed the last error is thrown; the HTTP edge answers 409 `conflict`.
 */
export async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) throw err;
      // A little random wait, growing, so the two sides of a deadlock do not meet again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
