import { and, eq, inArray } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Tx } from '../../db/client.js';
import { billingContacts, invoicePayments, invoices } from '../../db/schema.js';
import type { Ctx } from '../../services.js';
import { recordActivity } from '../activity/record.js';
import { recordChargeIn } from '../billing/chargeInvoice.js';
import { invoiceRepo } from '../billing/invoiceRepo.js';
import { infoOf } from './stripe.js';

/**
 * The invoice side of Stripe's webhooks (SPEC 4.8, 4.11; ADR 0060). Each handler runs in the
 * transaction that records the event id (so it acts once) and is given the object as Stripe
 * says it is now (re-read), so a late or repeated delivery acts on the current state.
 *
 * A PaymentIntent names its invoice attempt in `metadata.dashboard_key`
 * (`<invoice id>:charge:<n>`, the charge's idempotency key, ADR 0039), which is also the key of
 * the attempt's `invoice_payments` row: an answer the webhook brings before the charging request
 * has recorded it is recorded under that key (the request then finds it recorded), and a payment
 * the card holder completed later (3-D Secure on the completion page), or a direct debit the bank
 * settled after days `pending`, under `<key>:completed`.
 */

const ATTEMPT_KEY = /^(.+):charge:(\d+)$/;

interface Attempt { invoiceId: string; attempt: number; key: string }

function attemptOf(intent: Stripe.PaymentIntent): Attempt | null {
  const key = intent.metadata?.dashboard_key ?? '';
  const m = ATTEMPT_KEY.exec(key);
  return m ? { invoiceId: m[1], attempt: Number(m[2]), key } : null;
}

async function recorded(tx: Tx, key: string) {
  const [row] = await tx.select({ state: invoicePayments.state }).from(invoicePayments).where(eq(invoicePayments.idempotencyKey, key));
  return row ?? null;
}

async function invoiceExists(tx: Tx, invoiceId: string): Promise<boolean> {
  return !!(await invoiceRepo.byId(tx, invoiceId));
}

/** `payment_intent.succeeded`: the invoice is paid (receipt, suspension lifted), unless that was recorded already. */
export async function paymentSucceeded(tx: Tx, ctx: Ctx, current: unknown): Promise<void> {
  const intent = current as Stripe.PaymentIntent | null;
  if (!intent || intent.status !== 'succeeded') return;
  const attempt = attemptOf(intent);
  if (!attempt || !(await invoiceExists(tx, attempt.invoiceId))) return;
  const row = await recorded(tx, attempt.key);
  if (row?.state === 'paid') return;
  const key = row ? `${attempt.key}:completed` : attempt.key;
  await recordChargeIn(tx, ctx, attempt.invoiceId, attempt.attempt, { state: 'paid', reference: intent.id }, 'webhook', key);
}

const DECLINED = 'The card was declined by the bank. Please use another card.';
const DEBIT_FAILED = 'The bank did not pay the direct debit. Please check the account or use another payment method.';
const ACTION = 'Your bank asks you to confirm this payment (3-D Secure). Please pay again and confirm, or use another card.';

/**
 * `payment_intent.payment_failed`: an attempt nobody has recorded yet fails as the run's would
 * (payment_failed or action_required, the mails, the next try), and so does a direct debit
 * recorded as `pending` (under `<key>:failed`, ADR 0096). Any other attempt already recorded
 * (the charging request's own answer, or a 3-D Secure the card holder gave up on the completion
 * page, who saw the answer there) changes nothing more.
 */
export async function paymentFailed(tx: Tx, ctx: Ctx, current: unknown): Promise<void> {
  const intent = current as Stripe.PaymentIntent | null;
  if (!intent || (intent.status !== 'requires_payment_method' && intent.status !== 'canceled')) return;
  const attempt = attemptOf(intent);
  if (!attempt || !(await invoiceExists(tx, attempt.invoiceId))) return;
  const row = await recorded(tx, attempt.key);
  // A direct debit recorded as pending that the bank then refused: the invoice fails now (dunning as for cards).
  if (row && row.state !== 'pending') return;
  const needsHolder = intent.last_payment_error?.code === 'authentication_required';
  const debit = row?.state === 'pending' || intent.last_payment_error?.payment_method?.type === 'sepa_debit';
  await recordChargeIn(tx, ctx, attempt.invoiceId, attempt.attempt,
    needsHolder ? { state: 'action_required', reference: intent.id, message: ACTION } : { state: 'declined', reference: intent.id, message: debit ? DEBIT_FAILED : DECLINED },
    'webhook', row ? `${attempt.key}:failed` : attempt.key);
}

/**
 * `setup_intent.succeeded`: a card set up in the browser. The billing contacts that pay with its
 * PaymentMethod get its current brand, last 4 and expiry (nothing else is stored); a
 * PaymentMethod no contact uses yet (the form was not sent) changes nothing.
 */
export async function setupSucceeded(tx: Tx, _ctx: Ctx, current: unknown): Promise<void> {
  const intent = current as Stripe.SetupIntent | null;
  if (!intent || intent.status !== 'succeeded' || !intent.payment_method || typeof intent.payment_method === 'string') return;
  let info;
  try { info = infoOf(intent.payment_method); } catch { return; }
  await tx.update(billingContacts).set({ pmBrand: info.brand, pmLast4: info.last4, pmExpMonth: info.expMonth, pmExpYear: info.expYear })
    .where(eq(billingContacts.pmReference, info.reference));
}

/**
 * `charge.refunded`: refunds the Dashboard made for credit notes are recorded already. Money
 * refunded at Stripe beyond them (someone used the Stripe dashboard) is written to the Company's
 * activity log so owners and the operator see it; invoices never change (a credit note corrects them).
 */
export async function chargeRefunded(tx: Tx, ctx: Ctx, current: unknown, event: Stripe.Event): Promise<void> {
  const charge = current as Stripe.Charge | null;
  const intentId = charge && (typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id);
  if (!charge || !intentId) return;
  const [paid] = await tx.select({ invoiceId: invoicePayments.invoiceId }).from(invoicePayments)
    .where(and(eq(invoicePayments.providerReference, intentId), eq(invoicePayments.kind, 'charge'), eq(invoicePayments.state, 'paid')));
  if (!paid) return;
  const invoice = await invoiceRepo.byId(tx, paid.invoiceId);
  if (!invoice) return;
  const credits = await tx.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.creditsInvoiceId, invoice.id), eq(invoices.kind, 'credit_note')));
  const ours = credits.length === 0 ? [] : await tx.select({ amount: invoicePayments.amountCents }).from(invoicePayments)
    .where(and(inArray(invoicePayments.invoiceId, credits.map((c) => c.id)), eq(invoicePayments.kind, 'refund')));
  const throughCredits = ours.reduce((sum, r) => sum + r.amount, 0);
  const outside = charge.amount_refunded - throughCredits;
  if (outside <= 0) return;
  ctx.log.warn({ invoiceId: invoice.id, eventId: event.id }, 'money refunded at Stripe without a credit note');
  await recordActivity(tx, {
    at: ctx.clock.now(), actor: null, companyId: invoice.companyId, action: 'invoice.refunded_at_provider', category: 'billing',
    details: {
      invoiceId: invoice.id, number: invoice.number,
      refunded: { amount: charge.amount_refunded, currency: invoice.currency },
      withoutCreditNote: { amount: outside, currency: invoice.currency },
    },
  });
}
