import type { Ctx } from '../../services.js';
import { dayOf } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { sqlStateOf } from '../../shared/transaction.js';
import { firstDayOf, isMonth, lastDayOf, monthOfDay } from './charges.js';
import { chargesRepo, type RunContact } from './chargesRepo.js';
import { issueInvoices, type IssueOutcome } from './issueInvoice.js';

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
  /** Billing contacts whose invoice could not be made (their data); nothing was written for them (ADR 0106). */
  failed: number;
  /** The first FAILURES_LISTED of them, with the reason. */
  failures: RunFailure[];
}

export interface RunFailure { billingContactId: string; companyId: string; reason: string }

/** How many failed contacts a summary names (the count is always complete). */
export const FAILURES_LISTED = 50;

/**
 * A run that issued every invoice it could, but not all (ADR 0106): thrown at its end, with
 * the summary, so the scheduler records it and tries the month again a minute later (only the
 * failed contacts are left to do), and the operator command says which contacts and exits non-zero.
 */
export class MonthlyRunIncomplete extends Error {
  constructor(readonly summary: MonthlyRunSummary) {
    const named = summary.failures.map((f) => `${f.billingContactId} (${f.reason})`).join('; ');
    super(`${summary.failed} of ${summary.contacts} billing contacts could not be invoiced for ${summary.month}: ${named}${summary.failed > summary.failures.length ? '; …' : ''}. `
      + `The other ${summary.issued + summary.alreadyIssued} invoices are issued; fix these contacts' data and run the month again.`);
    this.name = 'MonthlyRunIncomplete';
  }
}

/** Why an invoice could not be made, in one line: the database's own message rather than the driver's "Failed query: …" wrapper. */
export function reasonOf(err: unknown): string {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return `${(e as Error).message} [${code}]`;
  }
  const message = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return message.split('\n')[0].slice(0, 300);
}

/**
 * The database refused a row because of what is in it (SQLSTATE class 22 data exception, 23
 * integrity constraint): the fault of one contact's data, not of the database. A lost connection
 * or a full disk is none of these and ends the run (the scheduler retries it).
 */
export function isDataError(err: unknown): boolean {
  const code = sqlStateOf(err);
  return code !== undefined && (code.startsWith('22') || code.startsWith('23'));
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
 * One page of contacts (ADR 0106): one numbering transaction for the page (issueInvoices). When
 * the database refuses a row of it (isDataError), the page was rolled back with all its numbers
 * and is issued again one contact at a time, so the contacts with good data get their invoices and
 * the one with bad data is reported as `failed` instead of stopping the run or vanishing.
 */
async function issuePage(ctx: Pick<Ctx, 'db' | 'clock' | 'config'>, month: string, contacts: RunContact[]): Promise<IssueOutcome[]> {
  try {
    return await issueInvoices(ctx, month, contacts);
  } catch (err) {
    if (!isDataError(err)) throw err;
    if (contacts.length === 1) return [{ outcome: 'failed', error: err }];
  }
  const outcomes: IssueOutcome[] = [];
  for (const contact of contacts) outcomes.push(...await issuePage(ctx, month, [contact]));
  return outcomes;
}

/**
 * The monthly run of SPEC 4.8 for one month: every billing contact with charges in the month
 * gets its invoice, a page of contacts per numbering transaction (issueInvoices, ADR 0106).
 * Running it again, or in two processes at once, changes nothing: the unique key and the locked
 * counter see to it. A contact whose invoice could not be made is counted and named in the
 * summary; the run goes on with the others and throws MonthlyRunIncomplete at its end.
 */
export async function runMonth(ctx: Pick<Ctx, 'db' | 'clock' | 'config'>, month: string, opts: MonthlyRunOptions = {}): Promise<MonthlyRunSummary> {
  checkMonthIsOver(month, ctx.clock.now());
  const pageSize = opts.pageSize ?? 500;
  const summary: MonthlyRunSummary = { month, contacts: 0, issued: 0, alreadyIssued: 0, noCharges: 0, totals: {}, firstNumber: null, lastNumber: null, vatInvalid: 0, failed: 0, failures: [] };
  let after = '';
  for (;;) {
    const contacts = await chargesRepo.contactsOfRun(ctx.db, month, firstDayOf(month), lastDayOf(month), { after, limit: pageSize });
    const outcomes = contacts.length ? await issuePage(ctx, month, contacts) : [];
    outcomes.forEach((result, i) => {
      summary.contacts += 1;
      if (result.outcome === 'issued') {
        summary.issued += 1;
        summary.totals[result.currency] = (summary.totals[result.currency] ?? 0) + result.totalCents;
        summary.firstNumber ??= result.number;
        summary.lastNumber = result.number;
        if (result.vatValid === false) summary.vatInvalid += 1;
      } else if (result.outcome === 'exists') summary.alreadyIssued += 1;
      else if (result.outcome === 'no_charges') summary.noCharges += 1;
      else {
        summary.failed += 1;
        if (summary.failures.length < FAILURES_LISTED) summary.failures.push({ billingContactId: contacts[i].id, companyId: contacts[i].companyId, reason: reasonOf(result.error) });
      }
    });
    if (contacts.length) after = contacts[contacts.length - 1].id;
    await opts.onProgress?.(summary);
    if (contacts.length < pageSize) break;
  }
  if (summary.failed) throw new MonthlyRunIncomplete(summary);
  return summary;
}
