import { sql } from 'drizzle-orm';
import type { Tx } from '../../src/server/db/client.js';
import type { TestApp } from './testApp.js';

/**
 * Deterministic races on PostgreSQL (issue 10: the `{ lock: 'update' }` mutants). The test
 * opens its own transaction, takes a row lock there (`hold`), and starts the requests one
 * after the other, each only once the previous one waits for a lock; then it commits, and
 * the requests run in the order they queued. Whether a request waits at the Company lock or
 * only later (where the code without the lock would wait) decides what it sees, which is
 * what the tests assert. PostgreSQL only: PGlite has one connection.
 */
export async function queuedBehind<T>(
  t: TestApp,
  hold: (tx: Tx) => Promise<unknown>,
  steps: { run: () => Promise<T>; waitsOn?: RegExp }[],
): Promise<T[]> {
  const started: Promise<T>[] = [];
  await t.services.db.transaction(async (tx) => {
    await hold(tx);
    for (const [i, step] of steps.entries()) {
      let settled = false;
      const p = step.run();
      p.then(() => { settled = true; }, () => { settled = true; });
      started.push(p);
      await waitForWaiters(t, i + 1, step.waitsOn, () => settled);
    }
  });
  return Promise.all(started);
}

/** Until `n` other sessions of this database wait for a lock (the last one on a query matching `query`), or the step ended. */
async function waitForWaiters(t: TestApp, n: number, query: RegExp | undefined, ended: () => boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (ended()) return;
    const res = await t.services.db.execute(sql`SELECT query FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' ORDER BY query_start`);
    const waiting = res.rows as { query: string }[];
    if (waiting.length >= n && (!query || waiting.some((w) => query.test(w.query)))) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no ${n} lock waiters after 10 s`);
}
