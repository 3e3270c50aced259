import { sql } from 'drizzle-orm';
import { chargeInvoice, refundCredit, type ChargeContext } from '../modules/billing/chargeInvoice.js';
import { suspendOverdue } from '../modules/billing/suspension.js';

const BATCH = 50;

/**
 * The payment worker (SPEC 4.8): charges invoices whose charge is due (issued and mailed, or a retry
 * after 3 and 7 days), refunds credited paid invoices, and suspends the Apps of invoices unpaid
 * after 14 days. Every step claims its row itself (chargeInvoice, refundCredit, suspendOverdue),
 * so any number of processes can run this. Returns what it did.
 */
export async function runPayments(ctx: ChargeContext): Promise<{ charged: number; refunded: number; suspended: number }> {
  let charged = 0;
  let refunded = 0;
  const now = ctx.clock.now();
  const due = await ctx.db.execute(sql`
    SELECT id, kind FROM invoices WHERE next_charge_at IS NOT NULL AND next_charge_at <= ${now} AND (kind = 'credit_note' OR mailed_at IS NOT NULL) ORDER BY next_charge_at LIMIT ${BATCH}`);
  for (const row of due.rows as unknown as { id: string; kind: string }[]) {
    if (row.kind === 'invoice') {
      if ((await chargeInvoice(ctx, row.id, 'scheduled')).outcome !== 'skipped') charged += 1;
    } else if (await refundCredit(ctx, row.id)) refunded += 1;
  }
  const suspended = await suspendOverdue(ctx);
  return { charged, refunded, suspended };
}
