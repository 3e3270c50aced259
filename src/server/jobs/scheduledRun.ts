import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Clock } from '../shared/clock.js';

/** How long a claim holds without renewal; a process that died loses its claim after this. */
export const LEASE_MS = 10 * 60_000;
/** After a failed attempt, the next try (by any process) waits this long. */
export const RETRY_MS = 60_000;

export interface ScheduledRun { job: string; runKey: string }

/**
 * Runs `work` once among all processes for (job, runKey) (docs/decisions/0037-scheduler.md).
 * The row is claimed in a short transaction with FOR UPDATE SKIP LOCKED and a lease (works on
 * PGlite, whose one connection cannot hold a lock across the run's own transactions); the
 * claimer renews the lease while it works and marks the row done at the end. A process that
 * crashed mid-run loses the lease and another one finishes the (idempotent) work.
 * Returns the work's result, or null when the run is done already or claimed elsewhere.
 */
export async function runOnce<T extends Record<string, unknown>>(
  db: Db, clock: Clock, run: ScheduledRun, claimer: string,
  work: (renew: () => Promise<void>) => Promise<T>,
): Promise<T | null> {
  const now = clock.now();
  const state = await db.execute(sql`SELECT state FROM scheduled_runs WHERE job = ${run.job} AND run_key = ${run.runKey}`);
  const existing = (state.rows as unknown as { state: string }[])[0];
  if (existing?.state === 'done') return null;
  if (!existing) {
    await db.execute(sql`INSERT INTO scheduled_runs (job, run_key, created_at) VALUES (${run.job}, ${run.runKey}, ${now}) ON CONFLICT DO NOTHING`);
  }
  const claimed = await db.transaction(async (tx) => {
    const result = await tx.execute(sql`
      SELECT job FROM scheduled_runs
      WHERE job = ${run.job} AND run_key = ${run.runKey} AND state = 'pending' AND (lease_until IS NULL OR lease_until <= ${now})
      FOR UPDATE SKIP LOCKED`);
    if (result.rows.length === 0) return false;
    await tx.execute(sql`
      UPDATE scheduled_runs SET claimed_by = ${claimer}, lease_until = ${new Date(now.getTime() + LEASE_MS)}, attempts = attempts + 1
      WHERE job = ${run.job} AND run_key = ${run.runKey}`);
    return true;
  });
  if (!claimed) return null;
  const renew = async () => {
    await db.execute(sql`
      UPDATE scheduled_runs SET lease_until = ${new Date(clock.now().getTime() + LEASE_MS)}
      WHERE job = ${run.job} AND run_key = ${run.runKey} AND claimed_by = ${claimer} AND state = 'pending'`);
  };
  try {
    const result = await work(renew);
    await db.execute(sql`
      UPDATE scheduled_runs SET state = 'done', finished_at = ${clock.now()}, result = ${JSON.stringify(result)}::jsonb, last_error = NULL
      WHERE job = ${run.job} AND run_key = ${run.runKey} AND claimed_by = ${claimer}`);
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await db.execute(sql`
      UPDATE scheduled_runs SET lease_until = ${new Date(clock.now().getTime() + RETRY_MS)}, last_error = ${message}
      WHERE job = ${run.job} AND run_key = ${run.runKey} AND claimed_by = ${claimer}`);
    throw err;
  }
}
