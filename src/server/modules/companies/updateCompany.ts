import type { Ctx } from '../../services.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals } from '../activity/record.js';
import { requireCompany } from './access.js';
import { companyView, type CompanyView } from './queries.js';
import { companiesRepo } from './repo.js';
import { inTransaction } from '../../shared/transaction.js';

export interface CompanyPatch { name?: string; blockTransfersOut?: boolean }

/** Rename (owner) and "block transfers out" (owner); each change is an activity event with before and after. */
export async function updateCompany(ctx: Ctx, actor: Actor, companyId: string, patch: CompanyPatch): Promise<CompanyView> {
  const now = ctx.clock.now();
  return recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    const access = await requireCompany(tx, now, actor, companyId, 'company.view', { lock: 'update' });
    const role = access.role;
    let company = access.company;
    if (patch.name !== undefined) await requireCompany(tx, now, actor, companyId, 'company.rename');
    if (patch.blockTransfersOut !== undefined) await requireCompany(tx, now, actor, companyId, 'company.blockTransfersOut');
    const before = await companiesRepo.lock(tx, companyId);
    if (!before) return companyView(company, role);
    if (patch.name !== undefined && patch.name !== before.name) {
      company = await companiesRepo.update(tx, companyId, { name: patch.name });
      await recordActivity(tx, { at: now, actor, companyId, action: 'company.renamed', category: 'company', details: { before: { name: before.name }, after: { name: patch.name } } });
    }
    if (patch.blockTransfersOut !== undefined && patch.blockTransfersOut !== before.blockTransfersOut) {
      company = await companiesRepo.update(tx, companyId, { blockTransfersOut: patch.blockTransfersOut });
      await recordActivity(tx, {
        at: now, actor, companyId, action: patch.blockTransfersOut ? 'company.transfers_blocked' : 'company.transfers_unblocked', category: 'company',
        details: { before: { blockTransfersOut: before.blockTransfersOut }, after: { blockTransfersOut: patch.blockTransfersOut } },
      });
    }
    return companyView(company, role);
  }));
}
