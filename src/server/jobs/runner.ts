import type { Services } from '../services.js';
import { deliverDueMail, MAIL_BATCH, MAIL_WORKERS } from './deliverMail.js';
import { runPayments } from './chargeInvoices.js';
import { runCostRequestExpiry } from './costRequestExpiry.js';
import { mailIssuedInvoices } from './invoiceMail.js';
import { runDueMonthlyInvoices } from './monthlyInvoiceRun.js';
import { removeDeletedRepositories } from './removeDeletedRepositories.js';
import { runTrialExpiry } from './trialExpiry.js';

export interface Job { name: string; everyMs: number; run(services: Services): Promise<unknown> }

/** Background work of this process. Jobs coordinate through the database, so any number of processes can run them. */
export const JOBS: Job[] = [
  // PGlite runs one transaction at a time, so mails go one by one there.
  { name: 'deliver-mail', everyMs: 500, run: (s) => deliverDueMail(s.db, s.mail, s.clock, s.log, MAIL_BATCH, s.database.kind === 'postgres' ? MAIL_WORKERS : 1) },
  { name: 'trial-expiry', everyMs: 60_000, run: (s) => runTrialExpiry(s) },
  { name: 'remove-deleted-repositories', everyMs: 60_000, run: (s) => removeDeletedRepositories(s) },
  { name: 'monthly-invoices', everyMs: 60_000, run: (s) => runDueMonthlyInvoices(s) },
  { name: 'invoice-mail', everyMs: 2_000, run: (s) => mailIssuedInvoices(s) },
  { name: 'invoice-payments', everyMs: 5_000, run: (s) => runPayments(s) },
  { name: 'cost-request-expiry', everyMs: 60_000, run: (s) => runCostRequestExpiry(s) },
];

export function startJobs(services: Services, jobs: Job[] = JOBS): { stop(): Promise<void> } {
  let stopped = false;
  const running = new Set<Promise<unknown>>();
  const timers = jobs.map((job) => {
    let busy = false;
    return setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      const p = job.run(services)
        .catch((err) => services.log.error({ err, job: job.name }, 'background job failed'))
        .finally(() => { busy = false; running.delete(p); });
      running.add(p);
    }, job.everyMs);
  });
  return {
    async stop() {
      stopped = true;
      timers.forEach(clearInterval);
      await Promise.allSettled([...running]);
    },
  };
}
