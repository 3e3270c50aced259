import type { Ctx } from '../services.js';
import { recordActivity } from '../modules/activity/record.js';
import { mailCostOutcome } from '../modules/costs/mails.js';
import { costsRepo } from '../modules/costs/repo.js';

const BATCH = 50;

/**
 * Cost requests expire 7 days after they were made (SPEC 4.12): each batch claims due
 * requests with FOR UPDATE SKIP LOCKED and marks them with a guarded statement, in the same
 * transaction as the activity event and the mail to the requester, so any number of
 * processes can run this and each request expires, and is mailed, once.
 */
export async function runCostRequestExpiry(ctx: Pick<Ctx, 'db' | 'clock' | 'config'>): Promise<{ expired: number }> {
  let expired = 0;
  for (;;) {
    const n = await ctx.db.transaction(async (tx) => {
      const now = ctx.clock.now();
      const rows = await costsRepo.expireDue(tx, now, BATCH);
      for (const row of rows) {
        await recordActivity(tx, {
          at: now, actor: null, companyId: row.companyId, app: row.appId ? { id: row.appId, name: row.appName } : null,
          action: 'cost_request.expired', category: 'app',
          details: { costRequestId: row.id, kind: row.kind, requestedBy: row.requestedBy, currency: row.currency, monthlyBeforeCents: row.monthlyBeforeCents, monthlyAfterCents: row.monthlyAfterCents },
        });
        const requester = await costsRepo.person(tx, row.requestedBy);
        const company = await costsRepo.company(tx, row.companyId);
        if (requester && company) {
          await mailCostOutcome(tx, ctx.config, now, requester, { state: 'expired', kind: row.kind as 'scale' | 'book', appName: row.appName, company, owner: null });
        }
      }
      return rows.length;
    });
    expired += n;
    if (n < BATCH) break;
  }
  return { expired };
}
