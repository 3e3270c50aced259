import type { Ctx } from '../../services.js';
import { AppError, notFound } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { inTransaction } from '../../shared/transaction.js';
import { recordActivity } from '../activity/record.js';
import { createTranslator, isLanguage } from '../../../shared/i18n/index.js';
import { invoiceDate } from './invoiceDocument.js';
import { formatInvoiceNumber, invoiceRepo, type InvoiceRow } from './invoiceRepo.js';
import { creditSnapshot, type LineSnapshot, type TaxSnapshot } from './invoiceSnapshot.js';
import { reactivateIfSettled } from './suspension.js';

export interface CreditResult { creditNote: InvoiceRow; invoice: InvoiceRow; refundDue: boolean }

/**
 * A credit note for a whole invoice (SPEC 4.8: invoices are never edited; a mistake is
 * corrected by a credit note that references the invoice, numbered in the same sequence).
 * One transaction: the invoice row is locked, checked (an invoice, not credited yet), the
 * credit note negates its lines and taxes exactly and takes the next number, and the invoice
 * becomes `void`. The mail goes out after commit (jobs/invoiceMail.ts); a paid invoice's
 * amount is refunded after commit too (`refundDue`).
 */
export async function creditInvoice(ctx: Pick<Ctx, 'db' | 'clock' | 'config'>, number: string, reason: string): Promise<CreditResult> {
  const why = reason.trim();
  if (!why) throw new AppError('validation_failed', 'Say why the invoice is credited: --reason "…".', [{ path: 'reason', message: 'Required.' }]);
  if (why.length > 500) throw new AppError('validation_failed', 'Keep the reason under 500 characters.', [{ path: 'reason', message: 'Too long.' }]);
  return inTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const invoice = await invoiceRepo.byNumber(tx, number, true);
    if (!invoice) throw notFound(`Invoice ${number}`);
    if (invoice.kind !== 'invoice') throw new AppError('conflict', `${number} is a credit note; only invoices can be credited.`);
    const existing = await invoiceRepo.creditOf(tx, invoice.id);
    if (existing || invoice.state === 'void') throw new AppError('conflict', `${number} is already credited${existing ? ` by ${existing.number}` : ''}; nothing was changed.`);
    const negated = creditSnapshot({
      lines: invoice.lines as unknown as LineSnapshot[], taxes: invoice.taxes as unknown as TaxSnapshot[],
      netCents: invoice.netCents, taxCents: invoice.taxCents, totalCents: invoice.totalCents,
    });
    const n = await invoiceRepo.takeNumber(tx, ctx.config.seller.invoicePrefix);
    const creditNumber = formatInvoiceNumber(ctx.config.seller.invoicePrefix, now, n);
    const refundDue = invoice.state === 'paid';
    // A credit note speaks the language of the invoice it cancels (ADR 0094).
    const language = isLanguage(invoice.language) ? invoice.language : 'en';
    const creditNote = await invoiceRepo.insert(tx, {
      id: newId('inv'), number: creditNumber, kind: 'credit_note', companyId: invoice.companyId, billingContactId: invoice.billingContactId,
      month: invoice.month, issuedAt: now, currency: invoice.currency,
      netCents: negated.netCents, taxCents: negated.taxCents, totalCents: negated.totalCents, state: 'issued',
      seller: invoice.seller, buyer: invoice.buyer, lines: negated.lines.map((l) => ({ ...l })), taxes: negated.taxes.map((t) => ({ ...t })),
      notes: [createTranslator(language)('billing.document.notes.cancels', { number: invoice.number, date: invoiceDate(invoice.issuedAt.toISOString().slice(0, 10), language), reason: why }), ...invoice.notes],
      language,
      creditsInvoiceId: invoice.id, reason: why, stateChangedAt: now,
      // A refund of a paid invoice is due once, after commit; the charge job picks it up (nextChargeAt).
      nextChargeAt: refundDue ? now : null,
    });
    const voided = await invoiceRepo.update(tx, invoice.id, { state: 'void', nextChargeAt: null, stateChangedAt: now });
    // A credited invoice is owed no more: if it had suspended the contact's Apps, they are
    // active again, unless another overdue invoice still holds them (as after a payment).
    if (invoice.suspendedAt) await reactivateIfSettled(tx, invoice.companyId, invoice.billingContactId, now, invoice.number);
    await recordActivity(tx, {
      at: now, actor: null, companyId: invoice.companyId, action: 'invoice.credited', category: 'billing',
      details: { invoiceId: invoice.id, number: invoice.number, creditNoteId: creditNote.id, creditNoteNumber: creditNumber, reason: why, refundDue },
    });
    return { creditNote, invoice: voided, refundDue };
  });
}
