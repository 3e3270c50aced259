import type { Ctx } from '../../services.js';
import { newId } from '../../shared/ids.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity } from '../activity/record.js';
import { insertBillingContact } from '../billing/contacts.js';
import { checkVat, type BillingContactInput } from '../billing/contactInput.js';
import { companiesRepo } from './repo.js';
import { inTransaction } from '../../shared/transaction.js';

export interface CreateCompanyInput {
  name: string;
  billingContact: BillingContactInput;
  paymentMethod: { token: string };
}

export interface CompanySummary { id: string; name: string; role: 'owner' | 'admin' | 'collaborator' | 'accountant' }

/**
 * Sets up a Company: the creator is its owner, with one billing contact and a payment
 * method. The card is authorised before the transaction (never inside it); a declined card
 * throws payment_declined and nothing is stored.
 */
export async function createCompany(ctx: Ctx, actor: Actor, input: CreateCompanyInput): Promise<CompanySummary> {
  const now = ctx.clock.now();
  checkVat(input.billingContact.vatNumber, input.billingContact.address.country, 'billingContact.vatNumber');
  const pm = await ctx.payments.authorize(input.paymentMethod.token, `company:${actor.id}`);
  return inTransaction(ctx.db, async (tx) => {
    const company = await companiesRepo.insert(tx, { id: newId('co'), name: input.name, createdAt: now });
    await companiesRepo.addMembership(tx, { companyId: company.id, accountId: actor.id, role: 'owner', createdAt: now });
    const contact = await insertBillingContact(tx, company.id, input.billingContact, pm, now);
    await recordActivity(tx, { at: now, actor, companyId: company.id, action: 'company.created', category: 'company', details: { name: company.name } });
    await recordActivity(tx, {
      at: now, actor, companyId: company.id, action: 'billing_contact.created', category: 'billing',
      details: { contactId: contact.id, name: contact.name, currency: contact.currency, paymentMethod: { brand: pm.brand, last4: pm.last4 } },
    });
    return { id: company.id, name: company.name, role: 'owner' as const };
  });
}
