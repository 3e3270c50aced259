import type { Ctx } from '../../services.js';
import type { Actor } from '../accounts/session.js';
import { recordRefusals } from '../activity/record.js';
import { requireCompany } from '../companies/access.js';

export interface InvoiceView { id: string; number: string; period: string; total: { amount: number; currency: string }; state: string }

/** Invoices of a Company (owners and accountants). The invoice run comes in a later issue; until then the list is empty. */
export async function listInvoices(ctx: Ctx, actor: Actor, companyId: string): Promise<InvoiceView[]> {
  return recordRefusals(ctx.db, async () => {
    await requireCompany(ctx.db, ctx.clock.now(), actor, companyId, 'invoice.view');
    return [];
  });
}
