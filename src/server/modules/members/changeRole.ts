import { and, eq } from 'drizzle-orm';
import { grantOf, type Role } from '../../authz/permissions.js';
import { collaboratorApps } from '../../db/schema.js';
import type { Ctx } from '../../services.js';
import { AppError, notFound } from '../../shared/errors.js';
import { accountsRepo } from '../accounts/repo.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals, RefusedError } from '../activity/record.js';
import { requireCompany } from '../companies/access.js';
import { changeMembershipRole } from '../companies/ownership.js';
import { companiesRepo } from '../companies/repo.js';
import { mailTeamChange } from './mails.js';
import { resolveApps } from '../invitations/teamInvitations.js';
import { inTransaction } from '../../shared/transaction.js';

export interface MemberChange { role: Role; appNames?: string[] }
export interface MemberView { accountId: string; email: string; firstName: string; lastName: string; role: Role; appNames?: string[] }

/**
 * SPEC section 3: owners change any role but their own (keeping one owner); admins only
 * promote a collaborator to admin, and may edit a collaborator's Apps. The Company row is
 * locked first, so racing changes to the owners are serialised.
 */
export async function changeMemberRole(ctx: Ctx, actor: Actor, companyId: string, accountId: string, change: MemberChange): Promise<MemberView> {
  const now = ctx.clock.now();
  return recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    // The Company lock first, then the caller's own role, read under it (issue 9: two owners
    // acting on each other are serialised, and the second sees what the first did).
    await requireCompany(tx, now, actor, companyId, 'company.view', { lock: 'update' });
    const { company, role: actorRole } = await requireCompany(tx, now, actor, companyId, 'member.changeRole');
    const target = await companiesRepo.access(tx, accountId, companyId);
    if (!target) throw notFound('This member');
    if (accountId === actor.id) throw new AppError('own_role', 'You cannot change your own role. Ask another owner to do it.');
    const before = target.role;
    const grant = grantOf(actorRole, 'member.changeRole');
    const refuse = (detail: string) => new RefusedError({ at: now, actor, companyId, action: 'member.changeRole', category: 'member', details: { accountId, before, after: change.role } }, detail);
    if (grant === 'collaborator-to-admin-only') {
      const promote = before === 'collaborator' && change.role === 'admin';
      const editApps = before === 'collaborator' && change.role === 'collaborator';
      if (!promote && !editApps) throw refuse('As an admin you can only make a collaborator an admin, or change which Apps a collaborator works on.');
    }
    if (change.role !== 'collaborator' && change.appNames?.length) {
      throw new AppError('validation_failed', 'Only collaborators get a list of Apps.', [{ path: 'appNames', message: 'Only for collaborators.' }]);
    }
    if (change.role === 'collaborator' && before !== 'collaborator' && !change.appNames?.length) {
      throw new AppError('validation_failed', 'Choose at least one App for the collaborator.', [{ path: 'appNames', message: 'Choose at least one App.' }]);
    }
    if (before !== change.role) await changeMembershipRole(tx, companyId, accountId, change.role);
    const beforeApps = (await companiesRepo.collaboratorAppNames(tx, companyId, [accountId])).get(accountId)?.map((a) => a.name) ?? [];
    let afterApps = beforeApps;
    if (change.role === 'collaborator' && change.appNames) {
      const wanted = await resolveApps(tx, companyId, [...new Set(change.appNames)]);
      await tx.delete(collaboratorApps).where(and(eq(collaboratorApps.companyId, companyId), eq(collaboratorApps.accountId, accountId)));
      await companiesRepo.assignApps(tx, companyId, accountId, wanted.map((a) => a.id));
      afterApps = wanted.map((a) => a.name).sort();
    } else if (change.role !== 'collaborator') {
      await tx.delete(collaboratorApps).where(and(eq(collaboratorApps.companyId, companyId), eq(collaboratorApps.accountId, accountId)));
      afterApps = [];
    }
    const member = (await accountsRepo.byId(tx, accountId))!;
    if (before !== change.role || beforeApps.join() !== afterApps.join()) {
      await recordActivity(tx, {
        at: now, actor, companyId, action: 'member.role_changed', category: 'member',
        details: { accountId, email: member.email, before: { role: before, appNames: beforeApps }, after: { role: change.role, appNames: afterApps } },
      });
      const owners = await companiesRepo.ownerEmails(tx, companyId);
      await mailTeamChange(tx, ctx.config, now, {
        recipients: [...owners, actor.email, member.email], affectedEmail: member.email, companyId, companyName: company.name,
        change: { kind: 'role', actor, member, before, after: change.role, appNames: afterApps },
      });
    }
    return {
      accountId, email: member.email, firstName: member.firstName, lastName: member.lastName, role: change.role,
      ...(change.role === 'collaborator' ? { appNames: afterApps } : {}),
    };
  }));
}
