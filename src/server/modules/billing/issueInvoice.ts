import type { Ctx } from '../../services.js';
import { newId } from '../../shared/ids.js';
import { inTransaction } from '../../shared/transaction.js';
import { WriteBatch } from '../../db/writeBatch.js';
import { activityEvents, invoices } from '../../db/schema.js';
import type { Language } from '../../../shared/i18n/index.js';
import { activityRow } from '../activity/record.js';
import type { Currency } from '../plans/catalogue.js';
import { chargesForMonth, firstDayOf, lastDayOf, type ChargeLine } from './charges.js';
import { chargesRepo, type RunContact } from './chargesRepo.js';
import { countryName, invoiceSnapshot, sellerSnapshot, type BuyerSnapshot, type InvoiceSnapshot } from './invoiceSnapshot.js';
import { formatInvoiceNumber, invoiceRepo } from './invoiceRepo.js';
import { insertRowsAsJson } from './jsonRows.js';
import { invoiceLanguages } from './paymentMails.js';
import { checkVatNumber } from './vatCheck.js';

export type IssueOutcome =
  | { outcome: 'issued'; number: string; invoiceId: string; totalCents: number; currency: Currency; vatValid: boolean | null }
  | { outcome: 'exists' }
  | { outcome: 'no_charges' }
  /** The contact's data could not be made into an invoice (an exception while computing it); nothing was written for it. */
  | { outcome: 'failed'; error: unknown };

type Ready = { contact: RunContact; snap: InvoiceSnapshot; buyer: BuyerSnapshot; language: Language };

/** Everything printed, computed and snapshotted in the invoice's language (pure, ADR 0094). */
function prepare(ctx: Pick<Ctx, 'config'>, contact: RunContact, lines: ChargeLine[], language: Language, now: Date): Ready {
  const buyer: BuyerSnapshot = {
    name: contact.name,
    address: { line1: contact.line1, ...(contact.line2 ? { line2: contact.line2 } : {}), postalCode: contact.postalCode, city: contact.city, country: contact.country },
    countryName: countryName(contact.country, language),
    vatNumber: contact.vatNumber, vatCheck: contact.vatNumber ? checkVatNumber(contact.vatNumber, contact.country, now) : null,
    invoiceEmail: contact.invoiceEmail,
    paymentMethod: { type: contact.pmType, brand: contact.pmBrand, last4: contact.pmLast4 },
  };
  const snap = invoiceSnapshot({ seller: sellerSnapshot(ctx.config.seller, language), buyer, currency: contact.currency as Currency, lines, language });
  return { contact, snap, buyer, language };
}

/**
 * The invoices of several billing contacts for one month that is over (SPEC 4.8, ADR 0106),
 * numbered in ONE transaction. Read and computed first, outside it, in a few set-based
 * statements: the contacts' periods, the invoices' languages; lines and snapshots in JS. Then
 * the transaction locks the seller's counter row (held until commit), checks under that lock
 * which of the contacts have an invoice of the month by now (a second run or process was faster:
 * `exists`, no number taken), numbers the rest from the counter in contact order, and writes
 * the invoices, their activity events and the counter as one statement (a write batch).
 *
 * A contact already invoiced (`invoiced` on its row) or without charges is not read further. An
 * exception while computing one contact's invoice makes that contact `failed` and leaves the
 * others alone. A database error of the transaction (a row that the database refuses) rolls
 * everything back, with every number, and is thrown: the monthly run then issues that page one
 * contact at a time (monthlyRun.ts). Outcomes are returned in the order of `contacts`.
 */
export async function issueInvoices(ctx: Pick<Ctx, 'db' | 'clock' | 'config'>, month: string, contacts: RunContact[]): Promise<IssueOutcome[]> {
  const now = ctx.clock.now();
  const outcomes = new Map<string, IssueOutcome>();
  const open = contacts.filter((c) => {
    if (c.invoiced) outcomes.set(c.id, { outcome: 'exists' });
    return !c.invoiced;
  });
  const periods = await chargesRepo.periodsOfContacts(ctx.db, open.map((c) => c.id), firstDayOf(month), lastDayOf(month));
  const billable: { contact: RunContact; lines: ChargeLine[] }[] = [];
  for (const contact of open) {
    try {
      const lines = chargesForMonth(periods.get(contact.id) ?? [], month).filter((l) => l.amountCents !== 0);
      if (lines.length === 0) outcomes.set(contact.id, { outcome: 'no_charges' });
      else billable.push({ contact, lines });
    } catch (error) {
      outcomes.set(contact.id, { outcome: 'failed', error });
    }
  }
  // The invoices' languages are decided now and kept (ADR 0094).
  const languages = await invoiceLanguages(ctx.db, billable.map(({ contact }) => ({ companyId: contact.companyId, invoiceEmail: contact.invoiceEmail })));
  const ready: Ready[] = [];
  billable.forEach(({ contact, lines }, i) => {
    try {
      ready.push(prepare(ctx, contact, lines, languages[i], now));
    } catch (error) {
      outcomes.set(contact.id, { outcome: 'failed', error });
    }
  });
  if (ready.length) {
    const prefix = ctx.config.seller.invoicePrefix;
    const numbered = await inTransaction(ctx.db, async (tx) => {
      const last = await invoiceRepo.lockCounter(tx, prefix);
      // After the lock: this statement sees every invoice committed by whoever held it before.
      const existing = await invoiceRepo.existingOf(tx, ready.map((r) => r.contact.id), month, 'invoice');
      const invoiceRows: (typeof invoices.$inferInsert)[] = [];
      const eventRows: (typeof activityEvents.$inferInsert)[] = [];
      const result = new Map<string, IssueOutcome>();
      let n = last;
      for (const { contact, snap, buyer, language } of ready) {
        if (existing.has(contact.id)) {
          result.set(contact.id, { outcome: 'exists' });
          continue;
        }
        n += 1;
        const number = formatInvoiceNumber(prefix, now, n);
        const id = newId('inv');
        invoiceRows.push({
          id, number, kind: 'invoice', companyId: contact.companyId, billingContactId: contact.id, month, issuedAt: now,
          currency: snap.currency, netCents: snap.netCents, taxCents: snap.taxCents, totalCents: snap.totalCents, state: 'open',
          seller: { ...snap.seller }, buyer: { ...snap.buyer }, lines: snap.lines.map((l) => ({ ...l })), taxes: snap.taxes.map((t) => ({ ...t })), notes: snap.notes, language,
          nextChargeAt: now, stateChangedAt: now,
        });
        eventRows.push(activityRow({
          at: now, actor: null, companyId: contact.companyId, action: 'invoice.issued', category: 'billing',
          details: {
            invoiceId: id, number, month, billingContactId: contact.id, total: { amount: snap.totalCents, currency: snap.currency },
            tax: snap.treatment.reason, ...(buyer.vatCheck ? { vatCheck: { valid: buyer.vatCheck.valid, vies: buyer.vatCheck.vies } } : {}),
          },
        }));
        result.set(contact.id, { outcome: 'issued', number, invoiceId: id, totalCents: snap.totalCents, currency: snap.currency, vatValid: buyer.vatCheck ? buyer.vatCheck.valid : null });
      }
      if (n > last) {
        // One statement: the invoices, their events (rows as one jsonb parameter each) and the counter.
        const batch = new WriteBatch(tx);
        batch.add(insertRowsAsJson(invoices, invoiceRows));
        batch.add(insertRowsAsJson(activityEvents, eventRows));
        batch.add(invoiceRepo.counterTo(tx, prefix, n));
        await batch.flush();
      }
      return result;
    });
    for (const [id, outcome] of numbered) outcomes.set(id, outcome);
  }
  return contacts.map((c) => outcomes.get(c.id)!);
}

/**
 * The invoice of one billing contact for one month (SPEC 4.8): issueInvoices with a batch of one.
 * A contact without a period in the month, or unknown, has no charges; a failure is thrown.
 */
export async function issueMonthlyInvoice(ctx: Pick<Ctx, 'db' | 'clock' | 'config'>, contactId: string, month: string): Promise<IssueOutcome> {
  const contacts = await chargesRepo.contactsOfRun(ctx.db, month, firstDayOf(month), lastDayOf(month), { ids: [contactId] });
  if (contacts.length === 0) return { outcome: 'no_charges' };
  const [outcome] = await issueInvoices(ctx, month, contacts);
  if (outcome.outcome === 'failed') throw outcome.error;
  return outcome;
}
