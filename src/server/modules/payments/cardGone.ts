import { and, eq, isNull } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Tx } from '../../db/client.js';
import { accounts, billingContacts, companies, memberships } from '../../db/schema.js';
import type { Ctx } from '../../services.js';
import { enqueueMail } from '../mail/outbox.js';
import { accountsRepo } from '../accounts/repo.js';
import { billingUrl } from '../billing/paymentMails.js';
import { cardBrandName } from '../../../shared/format.js';
import { createTranslator } from '../../../shared/i18n/index.js';

/**
 * `payment_method.detached` and `customer.source.expiring` (SPEC 4.11): the card a billing
 * contact pays with was removed at Stripe, or is about to expire. The owners of the contact's
 * Company are mailed to change the card. The PaymentMethod was re-read: a detach is acted on
 * only if Stripe still says it is detached (an out-of-order delivery changes nothing).
 */
export async function mailOwnersToUpdateCard(tx: Tx, ctx: Ctx, current: unknown, event: Stripe.Event): Promise<void> {
  const object = (current ?? event.data.object) as { id?: string; customer?: unknown; card?: { exp_month?: number; exp_year?: number } };
  if (!object.id) return;
  const detached = event.type === 'payment_method.detached';
  if (detached && current && object.customer) return;
  const contacts = await tx.select({ id: billingContacts.id, name: billingContacts.name, type: billingContacts.pmType, last4: billingContacts.pmLast4, brand: billingContacts.pmBrand, companyId: billingContacts.companyId, companyName: companies.name })
    .from(billingContacts).innerJoin(companies, eq(companies.id, billingContacts.companyId))
    .where(and(eq(billingContacts.pmReference, object.id), isNull(companies.deletedAt)));
  for (const contact of contacts) {
    const owners = await tx.select({ email: accounts.email }).from(memberships).innerJoin(accounts, eq(accounts.id, memberships.accountId))
      .where(and(eq(memberships.companyId, contact.companyId), eq(memberships.role, 'owner')));
    // Each owner reads it in their Account's language (ADR 0050, 0070).
    const prefsOf = await accountsRepo.mailPrefsFor(tx, owners.map((o) => o.email));
    for (const owner of owners) {
      const { language } = prefsOf(owner.email);
      const t = createTranslator(language);
      const card = contact.brand
        ? t('mail.cardUpdate.card', { brand: cardBrandName(contact.brand), last4: contact.last4 })
        : t('mail.cardUpdate.cardNoBrand', { last4: contact.last4 });
      const words = { card, contact: contact.name, company: contact.companyName, last4: contact.last4 };
      // A removed SEPA mandate is no card: the mail names the IBAN and asks for any payment method.
      const debit = detached && contact.type === 'sepa_debit';
      await enqueueMail(tx, {
        kind: 'card-update-needed', to: owner.email, language,
        subject: debit ? t('mail.cardUpdate.goneDebitSubject', words) : detached ? t('mail.cardUpdate.goneSubject', words) : t('mail.cardUpdate.expiringSubject', words),
        paragraphs: [
          debit ? t('mail.cardUpdate.goneDebit', words) : detached ? t('mail.cardUpdate.gone', words) : t('mail.cardUpdate.expiring', words),
          debit ? t('mail.cardUpdate.newMethod') : t('mail.cardUpdate.newCard'),
        ],
        action: { label: debit ? t('mail.cardUpdate.actionMethod') : t('mail.cardUpdate.action'), url: billingUrl(ctx.config.publicUrl, contact.companyId) },
      }, ctx.clock.now());
    }
  }
}
