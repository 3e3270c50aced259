import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import type { Ctx } from '../services.js';
import { recordActivity } from '../modules/activity/record.js';
import { invoicePdf } from '../modules/billing/invoices.js';
import type { InvoiceRow } from '../modules/billing/invoiceRepo.js';
import type { BuyerSnapshot, SellerSnapshot } from '../modules/billing/invoiceSnapshot.js';
import { formatMoney } from '../modules/billing/money.js';
import { longDate } from '../modules/billing/invoiceDocument.js';
import { enqueueMail } from '../modules/mail/outbox.js';
import { invoices } from '../db/schema.js';

const BATCH = 20;

/** Where an owner or accountant finds the Company's invoices. */
export function billingLink(ctx: Pick<Ctx, 'config'>, companyId: string): string {
  return `${ctx.config.publicUrl}/companies/${encodeURIComponent(companyId)}?tab=billing`;
}

function monthWords(month: string): string {
  return longDate(`${month}-01`).slice(2);
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
  const total = formatMoney(Math.abs(row.totalCents), row.currency);
  const card = buyer.paymentMethod.brand && buyer.paymentMethod.brand !== 'unknown'
    ? `${buyer.paymentMethod.brand[0].toUpperCase()}${buyer.paymentMethod.brand.slice(1)} card ending ${buyer.paymentMethod.last4}`
    : `payment method ending ${buyer.paymentMethod.last4}`;
  return {
    kind: credit ? 'credit-note' : 'invoice',
    to: buyer.invoiceEmail,
    subject: credit ? `Credit note ${row.number} from ${seller.name}: ${total}` : `Invoice ${row.number} from ${seller.name}: ${total}`,
    paragraphs: credit
      ? [
        `Hello ${buyer.name},`,
        `attached is credit note ${row.number} for ${monthWords(row.month)}: ${total} in your favour.${row.reason ? ` Reason: ${row.reason}` : ''}`,
        'The invoice it credits is void; if it was paid, the amount goes back to the card it was paid with.',
      ]
      : [
        `Hello ${buyer.name},`,
        `attached is invoice ${row.number} for ${monthWords(row.month)}: ${total}.`,
        `It is charged to your ${card}; there is nothing to transfer. You get a receipt when the payment went through.`,
      ],
    action: { label: 'See your invoices', url: billingLink(ctx, row.companyId) },
    attachments: [{ filename: `${row.number}.pdf`, contentType: 'application/pdf', content: pdf }],
  };
}
