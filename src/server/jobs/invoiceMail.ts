import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import type { Ctx } from '../services.js';
import { recordActivity } from '../modules/activity/record.js';
import { invoicePdf } from '../modules/billing/invoices.js';
import type { InvoiceRow } from '../modules/billing/invoiceRepo.js';
import type { BuyerSnapshot, SellerSnapshot } from '../modules/billing/invoiceSnapshot.js';
import { amount } from '../modules/billing/paymentMails.js';
import { createTranslator, isLanguage, type Language } from '../../shared/i18n/index.js';
import { longDate } from '../modules/billing/invoiceDocument.js';
import { enqueueMail } from '../modules/mail/outbox.js';
import { invoices } from '../db/schema.js';
import { formatUtcMonth } from '../../shared/format.js';

const BATCH = 20;

/** Where an owner or accountant finds the Company's invoices. */
export function billingLink(ctx: Pick<Ctx, 'config'>, companyId: string): string {
  return `${ctx.config.publicUrl}/companies/${encodeURIComponent(companyId)}?tab=billing`;
}

function monthWords(month: string, language: Language): string {
  if (language === 'en') return longDate(`${month}-01`).slice(2);
  return formatUtcMonth(month, language);
}

/**
 * Mails every issued invoice and credit note once, with its PDF attached, to the invoice
 * e-mail on the snapshot (SPEC 4.8). Runs after the issuing transaction committed: each row is
 * claimed FOR UPDATE SKIP LOCKED, and the outbox row and `mailed_at` are written in one
 * transaction, so any number of processes mail each invoice exactly once (the outbox then
 * delivers it, ADR 0004). Returns how many were queued.
 */
export async function mailIssuedInvoices(ctx: Pick<Ctx, 'db' | 'clock' | 'config'>): Promise<number> {
  let queued = 0;
  for (;;) {
    const n = await ctx.db.transaction(async (tx) => {
      const result = await tx.execute(sql`SELECT id FROM invoices WHERE mailed_at IS NULL ORDER BY issued_at, id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`);
      const ids = (result.rows as unknown as { id: string }[]).map((r) => r.id);
      if (ids.length === 0) return 0;
      const rows = await tx.select().from(invoices).where(sql`${invoices.id} IN ${ids}`);
      const now = ctx.clock.now();
      for (const row of rows) {
        await enqueueMail(tx, await invoiceMail(ctx, tx, row), now);
        await tx.execute(sql`UPDATE invoices SET mailed_at = ${now} WHERE id = ${row.id} AND mailed_at IS NULL`);
        await recordActivity(tx, {
          at: now, actor: null, companyId: row.companyId, action: row.kind === 'invoice' ? 'invoice.mailed' : 'invoice.credit_note_mailed', category: 'billing',
          details: { invoiceId: row.id, number: row.number, to: (row.buyer as unknown as BuyerSnapshot).invoiceEmail },
        });
      }
      return rows.length;
    });
    queued += n;
    if (n < BATCH) return queued;
  }
}

async function invoiceMail(ctx: Pick<Ctx, 'config'>, tx: DbOrTx, row: InvoiceRow) {
  const buyer = row.buyer as unknown as BuyerSnapshot;
  const seller = row.seller as unknown as SellerSnapshot;
  const pdf = await invoicePdf({ db: tx }, row);
  const credit = row.kind === 'credit_note';
  // The invoice's own language (ADR 0094: the invoice address's Account's, else the first owner's,
  // taken when it was numbered), so the mail speaks the language of the PDF it carries.
  const language: Language = isLanguage(row.language) ? row.language : 'en';
  const t = createTranslator(language);
  const total = amount(Math.abs(row.totalCents), row.currency, language);
  const month = monthWords(row.month, language);
  const card = buyer.paymentMethod.brand && buyer.paymentMethod.brand !== 'unknown'
    ? t('mail.invoice.card', { brand: `${buyer.paymentMethod.brand[0].toUpperCase()}${buyer.paymentMethod.brand.slice(1)}`, last4: buyer.paymentMethod.last4 })
    : t('mail.invoice.method', { last4: buyer.paymentMethod.last4 });
  const words = { number: row.number, seller: seller.name, total, month };
  return {
    kind: credit ? 'credit-note' : 'invoice',
    to: buyer.invoiceEmail,
    language,
    subject: credit ? t('mail.invoice.creditSubject', words) : t('mail.invoice.subject', words),
    paragraphs: credit
      ? [
        t('mail.helloNamed', { name: buyer.name }),
        t('mail.invoice.creditBody', words) + (row.reason ? t('mail.invoice.reason', { reason: row.reason }) : ''),
        t('mail.invoice.creditVoid'),
      ]
      : [
        t('mail.helloNamed', { name: buyer.name }),
        t('mail.invoice.body', words),
        t('mail.invoice.charged', { card }),
      ],
    action: { label: t('mail.invoice.action'), url: billingLink(ctx, row.companyId) },
    attachments: [{ filename: `${row.number}.pdf`, contentType: 'application/pdf', content: pdf }],
  };
}
