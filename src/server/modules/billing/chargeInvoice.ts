import { and, eq, sql } from 'drizzle-orm';
import { billingContacts, invoicePayments, invoices } from '../../db/schema.js';
import type { Ctx } from '../../services.js';
import { AppError } from '../../shared/errors.js';
import type { Tx } from '../../db/client.js';
import { inTransaction } from '../../shared/transaction.js';
import { recordActivity } from '../activity/record.js';
import type { ChargeOutcome } from '../payments/provider.js';
import { invoiceRepo, type InvoiceRow } from './invoiceRepo.js';
import { queuePaymentProblem, queueReceipt } from './paymentMails.js';
import { reactivateIfSettled } from './suspension.js';

/** A claimed attempt is someone's for this long; after a crash, the next worker retries it with the same key. */
export const CHARGE_LEASE_MS = 5 * 60_000;
/** SPEC 4.8: retries 3 and 7 days after the invoice. */
export const RETRY_DAYS = [3, 7];

export type ChargeContext = Pick<Ctx, 'db' | 'clock' | 'config' | 'payments'>;
export type ChargeResult = { outcome: 'skipped' } | { outcome: ChargeOutcome['state'] | 'recorded_before'; invoice: InvoiceRow; message?: string };

const PAYABLE = ['open', 'payment_failed', 'action_required'];

/**
 * Where an invoice's dunning clock starts (retries, the suspension mail and the suspension):
 * the issue date, moved on by the days a direct debit was `payment_pending` (ADR 0096).
 */
export function dunningStart(invoice: Pick<InvoiceRow, 'issuedAt' | 'dunningFrom'>): Date {
  return invoice.dunningFrom ?? invoice.issuedAt;
}

export function idempotencyKey(invoiceId: string, attempt: number): string {
  return `${invoiceId}:charge:${attempt}`;
}

/** The next automatic try after a failed one: 3, then 7 days after the invoice; none after that. */
export function nextRetry(issuedAt: Date, now: Date): Date | null {
  for (const days of RETRY_DAYS) {
    const at = new Date(issuedAt.getTime() + days * 86_400_000);
    if (at > now) return at;
  }
  return null;
}

interface Claim { invoice: InvoiceRow; attempt: number; paymentMethod: string }

/**
 * Charges an invoice once per attempt (docs/decisions/0039-invoice-payments.md), never inside a
 * transaction: (1) a short transaction claims the attempt (number, lease, the contact's current
 * card); (2) the provider is called with the attempt's idempotency key; (3) a second transaction
 * records the result once (unique key) with its effects: state, mails, activity, suspension lifted.
 * A crash between (2) and (3) leaves the attempt unrecorded; when the lease ends, the next worker
 * claims the same attempt number, so the provider sees the same key and charges nothing twice.
 * `payNow` (an owner after changing the card) waits for the row instead of skipping it and
 * refuses an invoice that is not payable with 409 invoice_not_payable.
 */
export async function chargeInvoice(ctx: ChargeContext, invoiceId: string, mode: 'scheduled' | 'payNow'): Promise<ChargeResult> {
  const claim = await inTransaction(ctx.db, async (tx): Promise<Claim | null> => {
    const now = ctx.clock.now();
    const found = await tx.execute(mode === 'scheduled'
      ? sql`SELECT id FROM invoices WHERE id = ${invoiceId} AND kind = 'invoice' AND next_charge_at <= ${now}
          AND state IN ('open', 'payment_failed', 'action_required') FOR UPDATE SKIP LOCKED`
      : sql`SELECT id FROM invoices WHERE id = ${invoiceId} FOR UPDATE`);
    if (found.rows.length === 0) return null;
    const invoice = (await invoiceRepo.byId(tx, invoiceId))!;
    if (invoice.kind !== 'invoice' || !PAYABLE.includes(invoice.state)) {
      if (mode === 'scheduled') return null;
      throw new AppError('invoice_not_payable', invoice.state === 'paid' ? `Invoice ${invoice.number} is paid already.`
        : invoice.state === 'payment_pending' ? `Invoice ${invoice.number} is being paid by direct debit; the bank has not confirmed it yet. Nothing was charged again.`
          : `${invoice.number} cannot be paid (${invoice.kind === 'invoice' ? invoice.state : 'a credit note'}).`,
      undefined, invoice.state === 'paid' || invoice.state === 'payment_pending' ? { reason: invoice.state } : undefined);
    }
    let attempt = invoice.chargeAttempts;
    const recorded = attempt > 0 && (await tx.select({ id: invoicePayments.id }).from(invoicePayments).where(eq(invoicePayments.idempotencyKey, idempotencyKey(invoice.id, attempt)))).length > 0;
    if (attempt === 0 || recorded) attempt += 1;
    const [contact] = await tx.select({ pm: billingContacts.pmReference }).from(billingContacts).where(eq(billingContacts.id, invoice.billingContactId));
    const claimed = await invoiceRepo.update(tx, invoice.id, { chargeAttempts: attempt, nextChargeAt: new Date(now.getTime() + CHARGE_LEASE_MS) });
    return { invoice: claimed, attempt, paymentMethod: contact.pm };
  });
  if (!claim) return { outcome: 'skipped' };
  const { invoice, attempt } = claim;
  const result = await ctx.payments.charge({
    idempotencyKey: idempotencyKey(invoice.id, attempt), amountCents: invoice.totalCents, currency: invoice.currency as 'EUR' | 'USD',
    paymentMethod: claim.paymentMethod, description: `Invoice ${invoice.number}`,
  });
  return recordCharge(ctx, invoice.id, attempt, result, mode);
}

async function recordCharge(ctx: ChargeContext, invoiceId: string, attempt: number, result: ChargeOutcome, mode: ChargeTrigger): Promise<ChargeResult> {
  return inTransaction(ctx.db, (tx) => recordChargeIn(tx, ctx, invoiceId, attempt, result, mode));
}

/** How a charge's outcome became known: the run, an owner's "Pay now", or the provider's webhook. */
export type ChargeTrigger = 'scheduled' | 'payNow' | 'webhook';

/**
 * Records a charge's outcome once (unique `key`, by default the attempt's idempotency key)
 * with its effects, in the caller's transaction. The Stripe webhooks use it with the attempt's
 * key (an answer that arrives before the charging request records it) or a key of their own
 * (a payment the card holder completed later, `<attempt key>:completed`).
 */
export async function recordChargeIn(tx: Tx, ctx: Pick<ChargeContext, 'clock' | 'config'>, invoiceId: string, attempt: number, result: ChargeOutcome, mode: ChargeTrigger, key = idempotencyKey(invoiceId, attempt)): Promise<ChargeResult> {
  const now = ctx.clock.now();
  const invoice = (await invoiceRepo.byId(tx, invoiceId, true))!;
  const [inserted] = await tx.insert(invoicePayments).values({
    invoiceId, kind: 'charge', attempt, idempotencyKey: key, state: result.state,
    amountCents: invoice.totalCents, currency: invoice.currency, providerReference: result.reference,
    message: result.state === 'paid' || result.state === 'pending' ? null : result.message, at: now,
  }).onConflictDoNothing().returning();
  if (!inserted) return { outcome: 'recorded_before', invoice };
  const base = { at: now, actor: null, companyId: invoice.companyId, category: 'billing' as const };
  const details = { invoiceId, number: invoice.number, attempt, amount: { amount: invoice.totalCents, currency: invoice.currency }, trigger: mode };
  if (result.state === 'paid') {
    if (invoice.state === 'void') {
      // Credited while the charge ran: keep it void, and let the credit note refund the money.
      await tx.update(invoices).set({ paidAt: now, nextChargeAt: null }).where(eq(invoices.id, invoiceId));
      await tx.update(invoices).set({ nextChargeAt: now }).where(and(eq(invoices.creditsInvoiceId, invoiceId), eq(invoices.kind, 'credit_note')));
      await recordActivity(tx, { ...base, action: 'invoice.paid', details: { ...details, void: true } });
      return { outcome: 'paid', invoice: (await invoiceRepo.byId(tx, invoiceId))! };
    }
    if (invoice.state === 'paid') {
      // Paid by another attempt in the meantime (a 3-D Secure completed after "Pay now" with a new card): recorded, nothing else changes.
      await recordActivity(tx, { ...base, action: 'invoice.paid', details: { ...details, again: true } });
      return { outcome: 'paid', invoice };
    }
    const paid = await invoiceRepo.update(tx, invoiceId, { state: 'paid', paidAt: now, nextChargeAt: null, stateChangedAt: now });
    await recordActivity(tx, { ...base, action: 'invoice.paid', details });
    await queueReceipt(tx, ctx.config.publicUrl, paid, now);
    if (invoice.suspendedAt) await reactivateIfSettled(tx, invoice.companyId, invoice.billingContactId, now, invoice.number);
    return { outcome: 'paid', invoice: paid };
  }
  if (result.state === 'pending') {
    if (invoice.state === 'void' || invoice.state === 'paid') return { outcome: 'pending', invoice };
    // No retry while the bank works on it (nextChargeAt null); the webhook settles it. Pending is not
    // unpaid: Apps suspended for this invoice run again, unless another overdue invoice keeps them.
    const pending = await invoiceRepo.update(tx, invoiceId, { state: 'payment_pending', nextChargeAt: null, stateChangedAt: now });
    await recordActivity(tx, { ...base, action: 'invoice.payment_pending', details });
    if (invoice.suspendedAt) await reactivateIfSettled(tx, invoice.companyId, invoice.billingContactId, now, invoice.number);
    return { outcome: 'pending', invoice: pending };
  }
  if (invoice.state === 'void' || invoice.state === 'paid') return { outcome: result.state, invoice, message: result.message };
  const state = result.state === 'declined' ? 'payment_failed' : 'action_required';
  // A debit that was pending and failed: the days it was pending do not count as unpaid, so the
  // dunning clock moves on by them, and a suspension lifted while it was pending may come again.
  const wasPending = invoice.state === 'payment_pending';
  const dunningFrom = wasPending ? new Date(dunningStart(invoice).getTime() + Math.max(0, now.getTime() - invoice.stateChangedAt.getTime())) : invoice.dunningFrom;
  const next = nextRetry(dunningFrom ?? invoice.issuedAt, now);
  const failed = await invoiceRepo.update(tx, invoiceId, { state, nextChargeAt: next, stateChangedAt: now, ...(wasPending ? { dunningFrom, suspendedAt: null } : {}) });
  await recordActivity(tx, { ...base, action: result.state === 'declined' ? 'invoice.payment_failed' : 'invoice.action_required', details: { ...details, nextTry: next?.toISOString() ?? null } });
  // The owner who pressed "Pay now" sees the answer on the page; the mails are for the automatic tries.
  if (mode !== 'payNow') await queuePaymentProblem(tx, ctx.config.publicUrl, failed, result.state, result.message, next, now);
  return { outcome: result.state, invoice: failed, message: result.message };
}

/** Refunds the paid charge of a credited invoice, once (the credit note's `next_charge_at` says it is due). */
export async function refundCredit(ctx: ChargeContext, creditNoteId: string): Promise<boolean> {
  const claim = await inTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const found = await tx.execute(sql`SELECT id FROM invoices WHERE id = ${creditNoteId} AND kind = 'credit_note' AND next_charge_at <= ${now} FOR UPDATE SKIP LOCKED`);
    if (!found.rows.length) return null;
    const credit = (await invoiceRepo.byId(tx, creditNoteId))!;
    const [charge] = await tx.select().from(invoicePayments)
      .where(and(eq(invoicePayments.invoiceId, credit.creditsInvoiceId!), eq(invoicePayments.kind, 'charge'), eq(invoicePayments.state, 'paid')));
    if (!charge) {
      await invoiceRepo.update(tx, creditNoteId, { nextChargeAt: null });
      return null;
    }
    await invoiceRepo.update(tx, creditNoteId, { nextChargeAt: new Date(now.getTime() + CHARGE_LEASE_MS) });
    return { credit, charge };
  });
  if (!claim) return false;
  const key = `${creditNoteId}:refund`;
  const amount = -claim.credit.totalCents;
  const result = await ctx.payments.refund({ idempotencyKey: key, chargeReference: claim.charge.providerReference!, amountCents: amount, currency: claim.credit.currency as 'EUR' | 'USD' });
  await inTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const [inserted] = await tx.insert(invoicePayments).values({
      invoiceId: creditNoteId, kind: 'refund', attempt: 1, idempotencyKey: key, state: 'refunded', amountCents: amount,
      currency: claim.credit.currency, providerReference: result.reference, at: now,
    }).onConflictDoNothing().returning();
    await invoiceRepo.update(tx, creditNoteId, { nextChargeAt: null });
    if (inserted) {
      await recordActivity(tx, {
        at: now, actor: null, companyId: claim.credit.companyId, action: 'invoice.refunded', category: 'billing',
        details: { creditNoteId, number: claim.credit.number, amount: { amount, currency: claim.credit.currency } },
      });
    }
  });
  return true;
}
