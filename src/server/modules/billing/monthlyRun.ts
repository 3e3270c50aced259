import type { Ctx } from '../../services.js';
import { dayOf } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { firstDayOf, isMonth, lastDayOf, monthOfDay } from './charges.js';
import { chargesRepo } from './chargesRepo.js';
import { issueMonthlyInvoice } from './issueInvoice.js';

export interface MonthlyRunSummary {
  month: string;
  /** Billing contacts with a billing period in the month. */
  contacts: number;
  issued: number;
  alreadyIssued: number;
  noCharges: number;
  /** Totals (gross) of the invoices this run issued, per currency, in cents. */
  totals: Record<string, number>;
  firstNumber: string | null;
  lastNumber: string | null;
  /** Buyers whose VAT ID failed the format and checksum check (charged the OSS rate instead of reverse charge). */
  vatInvalid: number;
}

export interface MonthlyRunOptions {
  pageSize?: number;
  /** Called after every page of contacts (progress; the scheduler renews its lease here). */
  onProgress?(summary: MonthlyRunSummary): void | Promise<void>;
}

/** A month can be invoiced once it is over (UTC). Throws validation_failed with a sentence for people otherwise. */
export function checkMonthIsOver(month: string, now: Date): void {
  if (!isMonth(month)) throw new AppError('validation_failed', `"${month}" is not a month; write it as YYYY-MM, such as 2026-11.`, [{ path: 'month', message: 'Use YYYY-MM.' }]);
  const current = monthOfDay(dayOf(now));
  if (month >= current) {
    throw new AppError('validation_failed', `${month} is not over yet (today is ${dayOf(now)} UTC); a month can be invoiced from the 1st of the next month on.`, [{ path: 'month', message: 'Not over yet.' }]);
  }
}

/**
 * The monthly run of SPEC 4.8 for one month: every billing contact with charges in the month
 * gets its invoice (issueMonthlyInvoice, one transaction each). Running it again, or in two
 * processes at once, changes nothing: the unique key and the locked counter see to it.
 */
export async function runMonth(ctx: Pick<Ctx, 'db' | 'clock' | 'config'>, month: string, opts: MonthlyRunOptions = {}): Promise<MonthlyRunSummary> {
  checkMonthIsOver(month, ctx.clock.now());
  const pageSize = opts.pageSize ?? 500;
  const summary: MonthlyRunSummary = { month, contacts: 0, issued: 0, alreadyIssued: 0, noCharges: 0, totals: {}, firstNumber: null, lastNumber: null, vatInvalid: 0 };
  let after = '';
  for (;;) {
    const ids = await chargesRepo.contactsWithCharges(ctx.db, firstDayOf(month), lastDayOf(month), after, pageSize);
    for (const id of ids) {
      summary.contacts += 1;
      const result = await issueMonthlyInvoice(ctx, id, month);
      if (result.outcome === 'issued') {
        summary.issued += 1;
        summary.totals[result.currency] = (summary.totals[result.currency] ?? 0) + result.totalCents;
        summary.firstNumber ??= result.number;
        summary.lastNumber = result.number;
        if (result.vatValid === false) summary.vatInvalid += 1;
      } else if (result.outcome === 'exists') summary.alreadyIssued += 1;
      else summary.noCharges += 1;
    }
    if (ids.length) after = ids[ids.length - 1];
    await opts.onProgress?.(summary);
    if (ids.length < pageSize) break;
  }
  return summary;
}
