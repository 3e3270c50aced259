import { and, desc, eq } from 'drizzle-orm';
import { invoicePayments } from '../../db/schema.js';
import type { Ctx } from '../../services.js';
import { AppError } from '../../shared/errors.js';
import type { Actor } from '../accounts/session.js';
import { invoiceRepo } from '../billing/invoiceRepo.js';
import { requireCompany } from '../companies/access.js';
import { paymentsConfig } from './setupIntents.js';
import { StripePaymentProvider } from './stripe.js';

export type PaymentConfirmation =
  | { provider: 'sandbox'; state: string }
  | { provider: 'stripe'; state: string; publishableKey: string; clientSecret: string; paymentMethod: string | null; intentStatus: string };

/**
 * The completion page of an `action_required` invoice (SPEC 4.11): the owner who is the card
 * holder confirms the PaymentIntent in the browser (Stripe.js); the webhook then marks the
 * invoice paid. With the sandbox there is nothing to confirm: the page offers a card change and "Pay now".
 */
export async function paymentConfirmation(ctx: Ctx, actor: Actor, companyId: string, invoiceId: string): Promise<PaymentConfirmation> {
  await requireCompany(ctx.db, ctx.clock.now(), actor, companyId, 'invoice.pay');
  const invoice = await invoiceRepo.byId(ctx.db, invoiceId);
  if (!invoice || invoice.companyId !== companyId || invoice.kind !== 'invoice') throw new AppError('not_found', 'This invoice does not exist.');
  const config = paymentsConfig(ctx);
  if (config.provider !== 'stripe' || !(ctx.payments instanceof StripePaymentProvider)) return { provider: 'sandbox', state: invoice.state };
  if (invoice.state !== 'action_required') throw new AppError('invoice_not_payable', `Invoice ${invoice.number} needs no confirmation (${invoice.state}).`);
  const [attempt] = await ctx.db.select({ reference: invoicePayments.providerReference }).from(invoicePayments)
    .where(and(eq(invoicePayments.invoiceId, invoiceId), eq(invoicePayments.kind, 'charge'), eq(invoicePayments.state, 'action_required')))
    .orderBy(desc(invoicePayments.id)).limit(1);
  const found = attempt?.reference ? await ctx.payments.confirmation(attempt.reference) : null;
  if (!found) throw new AppError('invoice_not_payable', `The payment of invoice ${invoice.number} cannot be confirmed any more. Please change the card and pay again.`);
  return { provider: 'stripe', state: invoice.state, publishableKey: config.publishableKey, clientSecret: found.clientSecret, paymentMethod: found.paymentMethod, intentStatus: found.status };
}
