import { randomBytes } from 'node:crypto';
import type { Services } from '../services.js';
import { dayOf } from '../shared/clock.js';
import { monthOfDay, previousMonth } from '../modules/billing/charges.js';
import { runMonth, type MonthlyRunSummary } from '../modules/billing/monthlyRun.js';
import { runOnce } from './scheduledRun.js';

/** This process's name in claims (for logs and the scheduled_runs row). */
export const PROCESS_ID = `${process.pid}-${randomBytes(4).toString('hex')}`;

export const MONTHLY_RUN_JOB = 'monthly-invoices';
/** The run of a month starts this long after midnight UTC on the 1st of the next month. */
export const START_AFTER_MS = 5 * 60_000;

/**
 * The scheduler of SPEC 4.8: every process calls this every minute; the month that ended last
 * is invoiced once among them (runOnce). Returns the summary when this process did the run.
 */
export async function runDueMonthlyInvoices(s: Pick<Services, 'db' | 'clock' | 'config' | 'log'>, claimer = PROCESS_ID): Promise<MonthlyRunSummary | null> {
  const now = s.clock.now();
  const month = previousMonth(monthOfDay(dayOf(now)));
  const startsAt = Date.parse(`${monthOfDay(dayOf(now))}-01T00:00:00Z`) + START_AFTER_MS;
  if (now.getTime() < startsAt) return null;
  const result = await runOnce(s.db, s.clock, { job: MONTHLY_RUN_JOB, runKey: month }, claimer, async (renew) => {
    s.log.info({ month }, 'monthly invoice run started');
    const summary = await runMonth(s, month, { onProgress: renew });
    s.log.info({ ...summary }, `monthly invoice run of ${month} done: ${summary.issued} invoices issued`);
    return summary as unknown as Record<string, unknown>;
  });
  return result as unknown as MonthlyRunSummary | null;
}
