import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Ctx } from '../../services.js';
import { recordActivity } from '../activity/record.js';

/** SPEC 4.8: still unpaid this long after the invoice, the contact's Apps are suspended. */
export const SUSPEND_AFTER_MS = 14 * 86_400_000;
const BATCH = 50;

interface AppRef { id: string; name: string }

/**
 * Suspends the Apps of billing contacts with an invoice unpaid 14 days after it was issued
 * (the days a direct debit was `payment_pending` do not count: `dunning_from`, ADR 0096)
 * (settings, code and data kept: only the status changes; pushes are refused by
 * decideCodeAccess). Each overdue invoice is claimed FOR UPDATE SKIP LOCKED and marked
 * `suspended_at` in the same transaction, so any number of processes suspend once.
 */
export async function suspendOverdue(ctx: Pick<Ctx, 'db' | 'clock'>): Promise<number> {
  let suspended = 0;
  for (;;) {
    const n = await ctx.db.transaction(async (tx) => {
      const now = ctx.clock.now();
      const result = await tx.execute(sql`
        SELECT id, number, company_id, billing_contact_id FROM invoices
        WHERE kind = 'invoice' AND state IN ('open', 'payment_failed', 'action_required') AND suspended_at IS NULL
          AND COALESCE(dunning_from, issued_at) <= ${new Date(now.getTime() - SUSPEND_AFTER_MS)}
        ORDER BY issued_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`);
      const rows = result.rows as unknown as { id: string; number: string; company_id: string; billing_contact_id: string }[];
      for (const row of rows) {
        await tx.execute(sql`UPDATE invoices SET suspended_at = ${now} WHERE id = ${row.id}`);
        const apps = await tx.execute(sql`
          UPDATE apps SET status = 'suspended' WHERE billing_contact_id = ${row.billing_contact_id} AND status = 'active' RETURNING id, name`);
        const list = apps.rows as unknown as AppRef[];
        for (const app of list) {
          await recordActivity(tx, { at: now, actor: null, companyId: row.company_id, app, action: 'apps.suspended', category: 'billing', details: { invoiceId: row.id, number: row.number } });
        }
        suspended += list.length;
      }
      return rows.length;
    });
    if (n < BATCH) return suspended;
  }
}

/**
 * After a payment: the contact's suspended Apps are active again at once, unless another of
 * its invoices is still overdue and unpaid.
 */
export async function reactivateIfSettled(tx: DbOrTx, companyId: string, contactId: string, at: Date, number: string): Promise<AppRef[]> {
  const open = await tx.execute(sql`
    SELECT 1 FROM invoices WHERE billing_contact_id = ${contactId} AND kind = 'invoice' AND suspended_at IS NOT NULL
      AND state IN ('open', 'payment_failed', 'action_required') LIMIT 1`);
  if (open.rows.length) return [];
  const apps = await tx.execute(sql`UPDATE apps SET status = 'active' WHERE billing_contact_id = ${contactId} AND status = 'suspended' RETURNING id, name`);
  const list = apps.rows as unknown as AppRef[];
  for (const app of list) {
    await recordActivity(tx, { at, actor: null, companyId, app, action: 'apps.reactivated', category: 'billing', details: { number } });
  }
  return list;
}

/** Why an App is suspended, for its page: the overdue invoice that caused it. */
export async function suspensionOf(db: DbOrTx, appId: string): Promise<{ reason: 'unpaid_invoice'; invoiceNumber: string; invoiceId: string; since: string } | null> {
  const result = await db.execute(sql`
    SELECT i.id, i.number, i.suspended_at FROM apps a JOIN invoices i ON i.billing_contact_id = a.billing_contact_id
    WHERE a.id = ${appId} AND a.status = 'suspended' AND i.kind = 'invoice' AND i.suspended_at IS NOT NULL
      AND i.state IN ('open', 'payment_failed', 'action_required')
    ORDER BY i.issued_at LIMIT 1`);
  const row = (result.rows as unknown as { id: string; number: string; suspended_at: Date | string }[])[0];
  return row ? { reason: 'unpaid_invoice', invoiceNumber: row.number, invoiceId: row.id, since: new Date(row.suspended_at).toISOString() } : null;
}
