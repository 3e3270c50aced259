import type { Ctx } from '../../services.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals } from '../activity/record.js';
import { requireCompany } from './access.js';
import { companyView, type CompanyView } from './queries.js';
import { companiesRepo } from './repo.js';
import { twoFactorRequired } from '../../shared/errors.js';
import { inTransaction } from '../../shared/transaction.js';

export interface CompanyPatch { name?: string; blockTransfersOut?: boolean; requireTwoFactor?: boolean; requireCostApproval?: boolean }

/** Rename (owner) and "block transfers out" (owner); each change is an activity event with before and after. */
export async function updateCompany(ctx: Ctx, actor: Actor, companyId: string, patch: CompanyPatch): Promise<CompanyView> {
  const now = ctx.clock.now();
  return recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    const access = await requireCompany(tx, now, actor, companyId, 'company.view', { lock: 'update' });
    const role = access.role;
    let company = access.company;
    if (patch.name !== undefined) await requireCompany(tx, now, actor, companyId, 'company.rename');
    if (patch.blockTransfersOut !== undefined) await requireCompany(tx, now, actor, companyId, 'company.blockTransfersOut');
    if (patch.requireTwoFactor !== undefined) await requireCompany(tx, now, actor, companyId, 'company.requireTwoFactor');
    if (patch.requireCostApproval !== undefined) await requireCompany(tx, now, actor, companyId, 'company.costApproval');
    // SPEC 4.10: the owner who asks everyone for two-factor must use it.
    if (patch.requireTwoFactor && !actor.twoFactorEnabled) throw twoFactorRequired('Turn on two-factor authentication for your own account first (Profile → Security); then you can require it for all members.');
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
    if (patch.requireTwoFactor !== undefined && patch.requireTwoFactor !== before.requireTwoFactor) {
      company = await companiesRepo.update(tx, companyId, { requireTwoFactor: patch.requireTwoFactor });
      await recordActivity(tx, {
        at: now, actor, companyId, action: patch.requireTwoFactor ? 'company.two_factor_required' : 'company.two_factor_not_required', category: 'company',
        details: { before: { requireTwoFactor: before.requireTwoFactor }, after: { requireTwoFactor: patch.requireTwoFactor } },
      });
    }
    // SPEC 4.12: "ask me before the monthly cost goes up" (issue 17).
    if (patch.requireCostApproval !== undefined && patch.requireCostApproval !== before.requireCostApproval) {
      company = await companiesRepo.update(tx, companyId, { requireCostApproval: patch.requireCostApproval });
      await recordActivity(tx, {
        at: now, actor, companyId, action: patch.requireCostApproval ? 'company.cost_approval_required' : 'company.cost_approval_not_required', category: 'company',
        details: { before: { requireCostApproval: before.requireCostApproval }, after: { requireCostApproval: patch.requireCostApproval } },
      });
    }
    return companyView(company, role);
  }));
}
