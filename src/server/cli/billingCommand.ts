import type { Ctx } from '../services.js';
import { AppError } from '../shared/errors.js';
import { formatMoney } from '../modules/billing/money.js';
import { checkMonthIsOver, MonthlyRunIncomplete, runMonth, type MonthlyRunSummary } from '../modules/billing/monthlyRun.js';
import { creditInvoice } from '../modules/billing/creditNote.js';

export const BILLING_USAGE = `Usage:
  npm run billing -- run --month YYYY-MM                     the monthly invoice run for a month that is over (running it again changes nothing)
  npm run billing -- credit <invoice number> --reason "…"    a credit note for a whole invoice`;

/** A refusal of the operator command: printed as is, exit code 2, nothing changed. */
export class UsageError extends Error {}

/** The run issued what it could, but some contacts' invoices could not be made: the summary is printed, then this (exit code 4). */
export class IncompleteRunError extends Error {}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value.\n\n${BILLING_USAGE}`);
  return value;
}

export type BillingArgs = { command: 'run'; month: string } | { command: 'credit'; number: string; reason: string };

/**
 * Reads and checks the arguments before anything is opened or printed: an unknown command or
 * option, a month that is not a month and a month that is not over yet (UTC, by `now`) are
 * refused here with a sentence, so the command never prints "Invoicing…" for a month it will
 * not run, and scripts/billing.ts refuses before it opens the database.
 */
export function parseBillingArgs(args: string[], now: Date): BillingArgs {
  const [command, ...rest] = args;
  if (command === 'run') {
    const unknown = rest.filter((a, i) => a.startsWith('--') && a !== '--month' && rest[i - 1] !== '--month');
    if (unknown.length) throw new UsageError(`Unknown option ${unknown[0]}.\n\n${BILLING_USAGE}`);
    const month = option(rest, '--month');
    if (!month) throw new UsageError(`Say which month: --month YYYY-MM, such as --month 2026-11.\n\n${BILLING_USAGE}`);
    try {
      checkMonthIsOver(month, now);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') throw new UsageError(`Refused: ${err.detail}`);
      throw err;
    }
    return { command, month };
  }
  if (command === 'credit') {
    const reasonAt = rest.indexOf('--reason');
    const reason = option(rest, '--reason');
    const positional = rest.filter((_, i) => reasonAt === -1 || (i !== reasonAt && i !== reasonAt + 1));
    const unknown = positional.filter((a) => a.startsWith('--'));
    if (unknown.length) throw new UsageError(`Unknown option ${unknown[0]}.\n\n${BILLING_USAGE}`);
    if (positional.length !== 1) throw new UsageError(`Say which invoice to credit, by its number, such as INV-2026-000042.\n\n${BILLING_USAGE}`);
    if (!reason?.trim()) throw new UsageError(`Say why: --reason "…" (printed on the credit note).\n\n${BILLING_USAGE}`);
    return { command, number: positional[0], reason };
  }
  if (command === undefined || command === 'help' || command === '--help') throw new UsageError(BILLING_USAGE);
  throw new UsageError(`Unknown command "${command}".\n\n${BILLING_USAGE}`);
}

/**
 * `npm run billing -- …` (docs/architecture.md: operator commands print progress and a summary,
 * are idempotent and refuse bad arguments with a clear message). `print` gets one line at a time.
 */
export async function billingCommand(args: string[], ctx: Pick<Ctx, 'db' | 'clock' | 'config'>, print: (line: string) => void): Promise<void> {
  const parsed = parseBillingArgs(args, ctx.clock.now());
  if (parsed.command === 'run') {
    const { month } = parsed;
    try {
      print(`Invoicing ${month} (seller ${ctx.config.seller.name}, numbers ${ctx.config.seller.invoicePrefix}-YYYY-NNNNNN)…`);
      let summary: MonthlyRunSummary;
      try {
        summary = await runMonth(ctx, month, {
          onProgress: (s) => { if (s.contacts > 0) print(`  ${s.contacts} billing contacts looked at: ${s.issued} invoices issued, ${s.alreadyIssued} issued before, ${s.noCharges} without charges${s.failed ? `, ${s.failed} failed` : ''}`); },
        });
      } catch (err) {
        if (!(err instanceof MonthlyRunIncomplete)) throw err;
        summary = err.summary;
      }
      print(summary.failed ? `Done, but not complete: ${summary.month}.` : `Done: ${summary.month}.`);
      print(`  Billing contacts with billing periods in the month: ${summary.contacts}`);
      print(`  Invoices issued now: ${summary.issued}${summary.firstNumber ? ` (${summary.firstNumber}${summary.lastNumber !== summary.firstNumber ? ` to ${summary.lastNumber}` : ''})` : ''}`);
      print(`  Invoices issued before (unchanged): ${summary.alreadyIssued}`);
      print(`  Contacts without charges (no invoice): ${summary.noCharges}`);
      for (const [currency, cents] of Object.entries(summary.totals)) print(`  Total invoiced now in ${currency}: ${formatMoney(cents, currency)}`);
      if (summary.vatInvalid) print(`  ${summary.vatInvalid} buyers' VAT IDs failed the format and checksum check: they were charged VAT (OSS rate) instead of reverse charge.`);
      print('  VAT IDs are checked for format and checksum only; VIES was not reachable, so no VAT ID was confirmed as registered.');
      if (summary.issued) print('  The invoice mails and card charges go out through the running server\'s background jobs.');
      if (summary.failed) {
        print(`  Billing contacts that could not be invoiced (nothing was written for them, no number taken): ${summary.failed}`);
        for (const f of summary.failures) print(`    ${f.billingContactId} of Company ${f.companyId}: ${f.reason}`);
        if (summary.failed > summary.failures.length) print(`    … and ${summary.failed - summary.failures.length} more`);
        throw new IncompleteRunError(`Not complete: ${summary.failed} billing ${summary.failed === 1 ? 'contact' : 'contacts'} of ${summary.month} could not be invoiced (listed above). Fix their data and run the same command again: it issues only what is missing.`);
      }
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') throw new UsageError(`Refused: ${err.detail}`);
      throw err;
    }
    return;
  }
  try {
    const { creditNote, invoice, refundDue } = await creditInvoice(ctx, parsed.number, parsed.reason);
    print(`Credit note ${creditNote.number} issued for ${invoice.number} (${formatMoney(creditNote.totalCents, creditNote.currency)}); ${invoice.number} is now void.`);
    print(`  It is mailed with its PDF to ${(creditNote.buyer as { invoiceEmail: string }).invoiceEmail} by the running server's background jobs.`);
    print(refundDue ? `  ${invoice.number} was paid: ${formatMoney(-creditNote.totalCents, creditNote.currency)} is refunded through the payment provider next.` : `  ${invoice.number} was not paid: nothing to refund, and it will not be charged.`);
  } catch (err) {
    if (err instanceof AppError && ['validation_failed', 'not_found', 'conflict'].includes(err.code)) throw new UsageError(`Refused: ${err.detail}`);
    throw err;
  }
}
