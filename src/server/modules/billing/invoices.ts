import type { DbOrTx } from '../../db/client.js';
import type { Ctx } from '../../services.js';
import { AppError, notFound } from '../../shared/errors.js';
import type { Actor } from '../accounts/session.js';
import { recordRefusals } from '../activity/record.js';
import { requireCompany } from '../companies/access.js';
import type { Currency } from '../plans/catalogue.js';
import { printedInvoice } from './invoiceDocument.js';
import { renderInvoiceHtml } from './invoiceHtml.js';
import { renderInvoicePdf } from './invoicePdf.js';
import { invoiceRepo, type InvoiceRow } from './invoiceRepo.js';
import { chargeInvoice } from './chargeInvoice.js';
import { invoicePayments } from '../../db/schema.js';
import { asc, eq } from 'drizzle-orm';
import type { BuyerSnapshot, LineSnapshot, SellerSnapshot, TaxSnapshot } from './invoiceSnapshot.js';
import { ratePercent } from './money.js';
import { money, type InvoiceLineView, type MoneyView } from './views.js';

export type InvoiceState = 'open' | 'paid' | 'payment_failed' | 'action_required' | 'payment_pending' | 'void' | 'issued';

export interface InvoiceSummaryView {
  id: string; number: string; kind: 'invoice' | 'credit_note'; month: string; issuedAt: string;
  billingContact: { id: string; name: string }; net: MoneyView; tax: MoneyView; total: MoneyView; state: InvoiceState;
}

export interface InvoiceDetailView extends InvoiceSummaryView {
  /** The language it is printed in, fixed when it was numbered (ADR 0094). */
  language: 'en' | 'de';
  seller: { name: string; address: { lines: string[]; country: string }; vatNumber?: string };
  buyer: { name: string; address: BuyerSnapshot['address']; vatNumber?: string; vatCheck?: { valid: boolean; method: string; vies: string; checkedAt: string } };
  lines: (InvoiceLineView & { taxCategory: string; taxRate: number })[];
  taxes: { rate: number; category: string; net: MoneyView; tax: MoneyView }[];
  notes: string[];
  payments: { at: string; state: string; amount: MoneyView; message?: string }[];
  creditedBy?: { id: string; number: string };
  credits?: { id: string; number: string };
  reason?: string;
}

export function summaryView(row: InvoiceRow): InvoiceSummaryView {
  const c = row.currency as Currency;
  const buyer = row.buyer as unknown as BuyerSnapshot;
  return {
    id: row.id, number: row.number, kind: row.kind as 'invoice' | 'credit_note', month: row.month, issuedAt: row.issuedAt.toISOString(),
    billingContact: { id: row.billingContactId, name: buyer.name },
    net: money(row.netCents, c), tax: money(row.taxCents, c), total: money(row.totalCents, c), state: row.state as InvoiceState,
  };
}

function detailView(row: InvoiceRow, related: { credit?: InvoiceRow; credited?: InvoiceRow; payments: PaymentRow[] }): InvoiceDetailView {
  const c = row.currency as Currency;
  const seller = row.seller as unknown as SellerSnapshot;
  const buyer = row.buyer as unknown as BuyerSnapshot;
  return {
    ...summaryView(row),
    language: row.language === 'de' ? 'de' : 'en',
    seller: { name: seller.name, address: { lines: seller.addressLines, country: seller.country }, ...(seller.vatNumber ? { vatNumber: seller.vatNumber } : {}) },
    buyer: {
      name: buyer.name, address: buyer.address, ...(buyer.vatNumber ? { vatNumber: buyer.vatNumber } : {}),
      ...(buyer.vatCheck ? { vatCheck: { valid: buyer.vatCheck.valid, method: buyer.vatCheck.method, vies: buyer.vatCheck.vies, checkedAt: buyer.vatCheck.checkedAt } } : {}),
    },
    lines: (row.lines as unknown as LineSnapshot[]).map((l) => ({
      appName: l.appName, plan: l.plan, description: l.description, fromDay: l.fromDay, toDay: l.toDay, days: l.days,
      unitPrice: money(l.unitPriceCents, c), amount: money(l.amountCents, c), taxCategory: l.taxCategory, taxRate: ratePercent(l.taxRateBp),
    })),
    taxes: (row.taxes as unknown as TaxSnapshot[]).map((t) => ({ rate: ratePercent(t.rateBp), category: t.category, net: money(t.netCents, c), tax: money(t.taxCents, c) })),
    notes: row.notes,
    payments: related.payments.map((p) => ({ at: p.at.toISOString(), state: p.state, amount: money(p.amountCents, c), ...(p.message ? { message: p.message } : {}) })),
    ...(related.credit ? { creditedBy: { id: related.credit.id, number: related.credit.number } } : {}),
    ...(related.credited ? { credits: { id: related.credited.id, number: related.credited.number } } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
  };
}

interface Cursor { issuedAt: Date; id: string }

function decodeCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const issuedAt = new Date(at);
  if (!id || Number.isNaN(issuedAt.getTime())) throw new AppError('validation_failed', 'This page cursor is not valid; start from the first page.', [{ path: 'cursor', message: 'Not a cursor of this list.' }]);
  return { issuedAt, id };
}

/** Invoices and credit notes of a Company, newest first (owners and accountants). */
export async function listInvoices(ctx: Ctx, actor: Actor, companyId: string, query: { cursor?: string; limit?: number } = {}): Promise<{ items: InvoiceSummaryView[]; nextCursor: string | null }> {
  return recordRefusals(ctx.db, async () => {
    await requireCompany(ctx.db, ctx.clock.now(), actor, companyId, 'invoice.view');
    const limit = query.limit ?? 50;
    const rows = await invoiceRepo.listOfCompany(ctx.db, companyId, decodeCursor(query.cursor), limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(summaryView),
      nextCursor: rows.length > limit && last ? Buffer.from(`${last.issuedAt.toISOString()}|${last.id}`).toString('base64url') : null,
    };
  });
}

/** The invoice of a Company the caller may read, or 404 (an invoice of another Company is not found). */
async function readable(ctx: Ctx, actor: Actor, companyId: string, invoiceId: string): Promise<InvoiceRow> {
  await requireCompany(ctx.db, ctx.clock.now(), actor, companyId, 'invoice.view');
  const row = await invoiceRepo.ofCompany(ctx.db, companyId, invoiceId);
  if (!row) throw notFound('This invoice');
  return row;
}

async function related(ctx: Ctx, row: InvoiceRow) {
  const credit = row.kind === 'invoice' ? await invoiceRepo.creditOf(ctx.db, row.id) : undefined;
  const credited = row.creditsInvoiceId ? await invoiceRepo.byId(ctx.db, row.creditsInvoiceId) : undefined;
  const payments = await ctx.db.select().from(invoicePayments).where(eq(invoicePayments.invoiceId, row.id)).orderBy(asc(invoicePayments.id));
  return { credit, credited, payments };
}

type PaymentRow = typeof invoicePayments.$inferSelect;

/**
 * "Pay now" (owners only, SPEC 4.8): charges the invoice at once with the contact's current card.
 * A paid or void invoice is 409 invoice_not_payable; a declined charge (or one that needs the card
 * holder) is recorded and answered 402 payment_declined.
 */
export async function payInvoiceNow(ctx: Ctx, actor: Actor, companyId: string, invoiceId: string): Promise<InvoiceDetailView> {
  return recordRefusals(ctx.db, async () => {
    await requireCompany(ctx.db, ctx.clock.now(), actor, companyId, 'invoice.pay');
    const row = await invoiceRepo.ofCompany(ctx.db, companyId, invoiceId);
    if (!row) throw notFound('This invoice');
    const result = await chargeInvoice(ctx, row.id, 'payNow');
    if (result.outcome === 'declined' || result.outcome === 'action_required') {
      throw new AppError('payment_declined', result.message ?? 'The card was declined. Please use another card.', undefined, { reason: result.outcome });
    }
    const fresh = (await invoiceRepo.byId(ctx.db, row.id))!;
    return detailView(fresh, await related(ctx, fresh));
  });
}

export async function getInvoice(ctx: Ctx, actor: Actor, companyId: string, invoiceId: string): Promise<InvoiceDetailView> {
  return recordRefusals(ctx.db, async () => {
    const row = await readable(ctx, actor, companyId, invoiceId);
    return detailView(row, await related(ctx, row));
  });
}

/** The printed form of an invoice row (shared by the routes and the invoice mail). */
export async function printable(ctx: { db: DbOrTx }, row: InvoiceRow) {
  const credited = row.creditsInvoiceId ? await invoiceRepo.byId(ctx.db, row.creditsInvoiceId) : undefined;
  return printedInvoice(row, { credits: credited?.number ?? null });
}

export async function invoicePdf(ctx: { db: DbOrTx }, row: InvoiceRow): Promise<Buffer> {
  return renderInvoicePdf(await printable(ctx, row), row.issuedAt);
}

export async function getInvoicePdf(ctx: Ctx, actor: Actor, companyId: string, invoiceId: string): Promise<{ number: string; pdf: Buffer }> {
  return recordRefusals(ctx.db, async () => {
    const row = await readable(ctx, actor, companyId, invoiceId);
    return { number: row.number, pdf: await invoicePdf(ctx, row) };
  });
}

export async function getInvoiceHtml(ctx: Ctx, actor: Actor, companyId: string, invoiceId: string): Promise<string> {
  return recordRefusals(ctx.db, async () => {
    const row = await readable(ctx, actor, companyId, invoiceId);
    return renderInvoiceHtml(await printable(ctx, row));
  });
}
