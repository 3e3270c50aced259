import type { Ctx } from '../../services.js';
import { newId } from '../../shared/ids.js';
import { inTransaction } from '../../shared/transaction.js';
import { recordActivity } from '../activity/record.js';
import type { Currency } from '../plans/catalogue.js';
import { chargesForMonth, firstDayOf, lastDayOf } from './charges.js';
import { chargesRepo } from './chargesRepo.js';
import { countryName, invoiceSnapshot, sellerSnapshot, type BuyerSnapshot } from './invoiceSnapshot.js';
import { formatInvoiceNumber, invoiceRepo } from './invoiceRepo.js';
import { invoiceLanguage } from './paymentMails.js';
import { checkVatNumber } from './vatCheck.js';
import { billingContacts } from '../../db/schema.js';
import { eq } from 'drizzle-orm';

export type IssueOutcome =
  | { outcome: 'issued'; number: string; invoiceId: string; totalCents: number; currency: Currency; vatValid: boolean | null }
  | { outcome: 'exists' }
  | { outcome: 'no_charges' };

/** Thrown to roll the transaction back (and give the number back) when another run was faster. */
class AlreadyIssued extends Error {}

/**
 * The invoice of one billing contact for one month that is over (SPEC 4.8), in one transaction:
 * the lines are computed from the billing periods, everything printed is snapshotted, and the
 * number is taken from the seller's counter row last, which stays locked until commit. Under
 * that lock the unique (contact, month, kind) is checked again, so a second run or a second
 * process never issues a second invoice and never burns a number.
 */
export async function issueMonthlyInvoice(ctx: Pick<Ctx, 'db' | 'clock' | 'config'>, contactId: string, month: string): Promise<IssueOutcome> {
  if (await invoiceRepo.exists(ctx.db, contactId, month, 'invoice')) return { outcome: 'exists' };
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const now = ctx.clock.now();
      const [contact] = await tx.select().from(billingContacts).where(eq(billingContacts.id, contactId));
      if (!contact) return { outcome: 'no_charges' } as const;
      const currency = contact.currency as Currency;
      const periods = await chargesRepo.periodsOfContact(tx, contactId, firstDayOf(month), lastDayOf(month));
      const lines = chargesForMonth(periods, month).filter((l) => l.amountCents !== 0);
      if (lines.length === 0) return { outcome: 'no_charges' } as const;
      // The invoice's language is decided now and kept (ADR 0094).
      const language = await invoiceLanguage(tx, contact.companyId, contact.invoiceEmail);
      const buyer: BuyerSnapshot = {
        name: contact.name,
        address: { line1: contact.line1, ...(contact.line2 ? { line2: contact.line2 } : {}), postalCode: contact.postalCode, city: contact.city, country: contact.country },
        countryName: countryName(contact.country, language),
        vatNumber: contact.vatNumber, vatCheck: contact.vatNumber ? checkVatNumber(contact.vatNumber, contact.country, now) : null,
        invoiceEmail: contact.invoiceEmail,
        paymentMethod: { type: contact.pmType, brand: contact.pmBrand, last4: contact.pmLast4 },
      };
      const snap = invoiceSnapshot({ seller: sellerSnapshot(ctx.config.seller, language), buyer, currency, lines, language });
      const n = await invoiceRepo.takeNumber(tx, ctx.config.seller.invoicePrefix);
      if (await invoiceRepo.exists(tx, contactId, month, 'invoice')) throw new AlreadyIssued();
      const number = formatInvoiceNumber(ctx.config.seller.invoicePrefix, now, n);
      const invoice = await invoiceRepo.insert(tx, {
        id: newId('inv'), number, kind: 'invoice', companyId: contact.companyId, billingContactId: contact.id, month, issuedAt: now,
        currency, netCents: snap.netCents, taxCents: snap.taxCents, totalCents: snap.totalCents, state: 'open',
        seller: { ...snap.seller }, buyer: { ...snap.buyer }, lines: snap.lines.map((l) => ({ ...l })), taxes: snap.taxes.map((t) => ({ ...t })), notes: snap.notes, language,
        nextChargeAt: now, stateChangedAt: now,
      });
      await recordActivity(tx, {
        at: now, actor: null, companyId: contact.companyId, action: 'invoice.issued', category: 'billing',
        details: {
          invoiceId: invoice.id, number, month, billingContactId: contact.id, total: { amount: snap.totalCents, currency },
          tax: snap.treatment.reason, ...(buyer.vatCheck ? { vatCheck: { valid: buyer.vatCheck.valid, vies: buyer.vatCheck.vies } } : {}),
        },
      });
      return { outcome: 'issued', number, invoiceId: invoice.id, totalCents: snap.totalCents, currency, vatValid: buyer.vatCheck ? buyer.vatCheck.valid : null } as const;
    });
  } catch (err) {
    if (err instanceof AlreadyIssued) return { outcome: 'exists' };
    throw err;
  }
}
