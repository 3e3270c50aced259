import { and, eq, isNull } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Tx } from '../../db/client.js';
import { accounts, billingContacts, companies, memberships } from '../../db/schema.js';
import type { Ctx } from '../../services.js';
import { enqueueMail } from '../mail/outbox.js';

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
  const contacts = await tx.select({ id: billingContacts.id, name: billingContacts.name, last4: billingContacts.pmLast4, brand: billingContacts.pmBrand, companyId: billingContacts.companyId, companyName: companies.name })
    .from(billingContacts).innerJoin(companies, eq(companies.id, billingContacts.companyId))
    .where(and(eq(billingContacts.pmReference, object.id), isNull(companies.deletedAt)));
  for (const contact of contacts) {
    const owners = await tx.select({ email: accounts.email }).from(memberships).innerJoin(accounts, eq(accounts.id, memberships.accountId))
      .where(and(eq(memberships.companyId, contact.companyId), eq(memberships.role, 'owner')));
    const card = `${contact.brand ? contact.brand[0].toUpperCase() + contact.brand.slice(1) : 'Card'} ending in ${contact.last4}`;
    for (const owner of owners) {
      await enqueueMail(tx, {
        kind: 'card-update-needed', to: owner.email,
        subject: detached ? `Please add a new card for ${contact.name}` : `The card of ${contact.name} expires soon`,
        paragraphs: [
          detached
            ? `The ${card}, which pays the invoices of "${contact.name}" in "${contact.companyName}", was removed at the payment provider and can no longer be charged.`
            : `The ${card}, which pays the invoices of "${contact.name}" in "${contact.companyName}", expires soon.`,
          'Please enter a new card so the next invoice can be paid and your Apps keep running.',
        ],
        action: { label: 'Change the card', url: `${ctx.config.publicUrl}/companies/${encodeURIComponent(contact.companyId)}` },
      }, ctx.clock.now());
    }
  }
}
