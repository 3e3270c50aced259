import type { Ctx } from '../../services.js';
import { AppError, notFound } from '../../shared/errors.js';
import { hashToken, normalizeEmail } from '../../shared/ids.js';
import type { Actor } from '../accounts/session.js';
import { billingRepo } from '../billing/repo.js';
import { requireCompany } from '../companies/access.js';
import { invitationsRepo } from '../invitations/repo.js';
import { StripePaymentProvider } from './stripe.js';

/**
 * What the browser needs to collect a card with Stripe.js (SPEC 4.11, ADR 0085): the
 * publishable key (GET /api/v1/payments/config) and, per card form, a SetupIntent's client
 * secret (POST /api/v1/payments/setup-intent). The SetupIntent belongs to the Customer the
 * form's later request will use: the same key the use-case passes to `authorize`
 * (createCompany, the billing contacts, the handover), so `authorize` finds the card set up.
 */
export type SetupPurpose =
  | { purpose: 'company' }
  | { purpose: 'billing-contact'; companyId: string }
  | { purpose: 'card-change'; companyId: string; contactId: string }
  | { purpose: 'handover'; token: string };

export type PaymentsConfig = { provider: 'sandbox' } | { provider: 'stripe'; publishableKey: string };

export function paymentsConfig(ctx: Pick<Ctx, 'config'>): PaymentsConfig {
  const stripe = ctx.config.stripe;
  return ctx.config.paymentProvider === 'stripe' && stripe ? { provider: 'stripe', publishableKey: stripe.publishableKey } : { provider: 'sandbox' };
}

/** The `authorize` key (and card being replaced) of the request this card form will send. */
async function keyFor(ctx: Ctx, actor: Actor, input: SetupPurpose): Promise<{ key: string; replacing?: string }> {
  const now = ctx.clock.now();
  switch (input.purpose) {
    case 'company':
      return { key: `company:${actor.id}` };
    case 'billing-contact':
      await requireCompany(ctx.db, now, actor, input.companyId, 'billing.manage');
      return { key: `billing-contact:${input.companyId}:${actor.id}` };
    case 'card-change': {
      await requireCompany(ctx.db, now, actor, input.companyId, 'billing.manage');
      const contact = await billingRepo.contact(ctx.db, input.companyId, input.contactId);
      if (!contact) throw notFound('This billing contact');
      return { key: `billing-contact:${input.contactId}:${actor.id}`, replacing: contact.pmReference };
    }
    case 'handover': {
      const found = await invitationsRepo.byTokenHash(ctx.db, hashToken(input.token));
      const inv = found?.invitation;
      if (!inv || inv.kind !== 'client' || inv.state !== 'pending' || inv.expiresAt <= now || normalizeEmail(inv.email) !== normalizeEmail(actor.email)) {
        throw new AppError('invitation_invalid', 'This invitation link is not valid any more.', undefined, { reason: 'not_open' });
      }
      return { key: `handover:${inv.id}` };
    }
  }
}

export async function createSetupIntent(ctx: Ctx, actor: Actor, input: SetupPurpose): Promise<{ clientSecret: string }> {
  if (!(ctx.payments instanceof StripePaymentProvider)) {
    throw new AppError('conflict', 'The payment sandbox takes the card in the form itself; no SetupIntent is needed.');
  }
  const { key, replacing } = await keyFor(ctx, actor, input);
  return ctx.payments.createSetupIntent(key, replacing ? { replacing } : {});
}
