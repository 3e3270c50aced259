import { grantOf } from '../../authz/permissions.js';
import type { DbOrTx } from '../../db/client.js';
import type { Ctx } from '../../services.js';
import { notFound } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { requireFresh } from '../accounts/reauth.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals } from '../activity/record.js';
import { requireCompany } from '../companies/access.js';
import type { PaymentMethodInfo } from '../payments/provider.js';
import { checkVat, type BillingContactInput } from './contactInput.js';
import { billingRepo, type BillingContactRow } from './repo.js';

export interface BillingContactFull {
  id: string; name: string;
  address: { line1: string; line2?: string; postalCode: string; city: string; country: string };
  vatNumber?: string; invoiceEmail: string; currency: 'EUR' | 'USD';
  paymentMethod: { type: 'card' | 'sepa_debit'; brand?: string; last4: string; expMonth?: number; expYear?: number };
}
export type BillingContactView = BillingContactFull | { id: string; name: string };

/** The full view: brand and last 4 only, never the provider's reference (SPEC section 5). */
export function fullView(row: BillingContactRow): BillingContactFull {
  return {
    id: row.id, name: row.name,
    address: { line1: row.line1, ...(row.line2 ? { line2: row.line2 } : {}), postalCode: row.postalCode, city: row.city, country: row.country },
    ...(row.vatNumber ? { vatNumber: row.vatNumber } : {}),
    invoiceEmail: row.invoiceEmail, currency: row.currency as 'EUR' | 'USD',
    paymentMethod: {
      type: row.pmType as 'card' | 'sepa_debit', last4: row.pmLast4,
      ...(row.pmBrand ? { brand: row.pmBrand } : {}),
      ...(row.pmExpMonth ? { expMonth: row.pmExpMonth } : {}),
      ...(row.pmExpYear ? { expYear: row.pmExpYear } : {}),
    },
  };
}

function paymentColumns(pm: PaymentMethodInfo) {
  return { pmType: pm.type, pmBrand: pm.brand, pmLast4: pm.last4, pmExpMonth: pm.expMonth, pmExpYear: pm.expYear, pmReference: pm.reference };
}

/** The row of a new contact (the id is made here), for an insert now or in a write batch. */
export function newBillingContactRow(companyId: string, input: BillingContactInput, pm: PaymentMethodInfo, at: Date): BillingContactRow {
  const vatNumber = checkVat(input.vatNumber, input.address.country, 'billingContact.vatNumber');
  return {
    id: newId('bc'), companyId, name: input.name, line1: input.address.line1, line2: input.address.line2 || null,
    postalCode: input.address.postalCode, city: input.address.city, country: input.address.country,
    vatNumber, invoiceEmail: input.invoiceEmail, currency: input.currency, ...paymentColumns(pm), createdAt: at,
  };
}

/** Inserts a contact for a Company; the payment method is already authorised (outside the transaction). */
export async function insertBillingContact(tx: DbOrTx, companyId: string, input: BillingContactInput, pm: PaymentMethodInfo, at: Date): Promise<BillingContactRow> {
  return billingRepo.insertContact(tx, newBillingContactRow(companyId, input, pm, at));
}

/** Contacts as the role may see them, paged by id (`after` = the last id of the previous page). */
export async function listBillingContacts(ctx: Ctx, actor: Actor, companyId: string, page: { cursor?: string; limit?: number } = {}): Promise<{ items: BillingContactView[]; nextCursor: string | null }> {
  const now = ctx.clock.now();
  const limit = Math.min(page.limit ?? 500, 1000);
  return recordRefusals(ctx.db, async () => {
    const access = await requireCompany(ctx.db, now, actor, companyId, 'billing.view');
    const rows = await billingRepo.contacts(ctx.db, companyId, page.cursor ?? null, limit + 1);
    const grant = grantOf(access.role, 'billing.view');
    const items = rows.slice(0, limit).map((row) => (grant === 'name-only' ? { id: row.id, name: row.name } : fullView(row)));
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  });
}

export async function addBillingContact(ctx: Ctx, actor: Actor, companyId: string, input: BillingContactInput & { paymentMethod: { token: string } }): Promise<BillingContactFull> {
  const now = ctx.clock.now();
  const { paymentMethod, ...contact } = input;
  checkVat(contact.vatNumber, contact.address.country);
  return recordRefusals(ctx.db, async () => {
    // Permission first (no card is authorised for someone who may not add it), then the provider, then the transaction.
    await requireCompany(ctx.db, now, actor, companyId, 'billing.manage');
    const pm = await ctx.payments.authorize(paymentMethod.token, `billing-contact:${companyId}:${actor.id}`);
    return ctx.db.transaction(async (tx) => {
      await requireCompany(tx, now, actor, companyId, 'billing.manage', { lock: true });
      const row = await insertBillingContact(tx, companyId, contact, pm, now);
      await recordActivity(tx, {
        at: now, actor, companyId, action: 'billing_contact.created', category: 'billing',
        details: { contactId: row.id, name: row.name, currency: row.currency, paymentMethod: { brand: pm.brand, last4: pm.last4 } },
      });
      return fullView(row);
    });
  });
}

export interface BillingContactPatch {
  name?: string;
  address?: BillingContactInput['address'];
  vatNumber?: string | null;
  invoiceEmail?: string;
  paymentMethod?: { token: string };
}

export async function updateBillingContact(ctx: Ctx, actor: Actor, companyId: string, contactId: string, patch: BillingContactPatch): Promise<BillingContactFull> {
  const now = ctx.clock.now();
  return recordRefusals(ctx.db, async () => {
    await requireCompany(ctx.db, now, actor, companyId, 'billing.manage');
    const existing = await billingRepo.contact(ctx.db, companyId, contactId);
    if (!existing) throw notFound('This billing contact');
    // Checked before the card is authorised, so a refused change does not use up the card token.
    const vatAfter = patch.vatNumber === undefined ? existing.vatNumber : patch.vatNumber;
    if (vatAfter) checkVat(vatAfter, patch.address?.country ?? existing.country);
    // Changing the card needs the password within 10 minutes (SPEC 4.10), asked before the card is authorised.
    if (patch.paymentMethod) await requireFresh(ctx.db, actor, now, 'Changing a payment method');
    const pm = patch.paymentMethod ? await ctx.payments.authorize(patch.paymentMethod.token, `billing-contact:${contactId}:${actor.id}`, { replacing: existing.pmReference }) : null;
    return ctx.db.transaction(async (tx) => {
      await requireCompany(tx, now, actor, companyId, 'billing.manage', { lock: true });
      const before = await billingRepo.contact(tx, companyId, contactId, true);
      if (!before) throw notFound('This billing contact');
      const country = patch.address?.country ?? before.country;
      const vatNumber = patch.vatNumber === undefined ? before.vatNumber : patch.vatNumber || null;
      if (vatNumber) checkVat(vatNumber, country);
      const row = await billingRepo.updateContact(tx, contactId, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.address ? {
          line1: patch.address.line1, line2: patch.address.line2 || null, postalCode: patch.address.postalCode,
          city: patch.address.city, country: patch.address.country,
        } : {}),
        vatNumber,
        ...(patch.invoiceEmail !== undefined ? { invoiceEmail: patch.invoiceEmail } : {}),
        ...(pm ? paymentColumns(pm) : {}),
      });
      const changed = Object.keys(patch).filter((k) => k !== 'paymentMethod');
      const beforeView = fullView(before);
      const afterView = fullView(row);
      await recordActivity(tx, {
        at: now, actor, companyId, action: 'billing_contact.updated', category: 'billing',
        details: {
          contactId, name: row.name,
          before: Object.fromEntries(changed.map((k) => [k, beforeView[k as keyof BillingContactFull] ?? null])),
          after: Object.fromEntries(changed.map((k) => [k, afterView[k as keyof BillingContactFull] ?? null])),
          ...(pm ? { paymentMethod: { before: { brand: before.pmBrand, last4: before.pmLast4 }, after: { brand: pm.brand, last4: pm.last4 } } } : {}),
        },
      });
      return afterView;
    });
  });
}
