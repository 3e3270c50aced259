import { and, eq } from 'drizzle-orm';
import { grantOf } from '../../authz/permissions.js';
import { collaboratorApps } from '../../db/schema.js';
import type { Ctx } from '../../services.js';
import { AppError, notFound, validation } from '../../shared/errors.js';
import { accountsRepo } from '../accounts/repo.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals, RefusedError } from '../activity/record.js';
import { requireCompany } from '../companies/access.js';
import { endMembership } from '../companies/ownership.js';
import { companiesRepo } from '../companies/repo.js';
import { mailTeamChange } from './mails.js';
import { inTransaction } from '../../shared/transaction.js';

/**
 * Dismiss (SPEC 4.3): owners remove anyone but the last owner; admins remove admins and
 * collaborators. Takes effect on the removed person's very next request: permissions are
 * read from the memberships table on every request, never cached.
 */
export async function dismissMember(ctx: Ctx, actor: Actor, companyId: string, accountId: string): Promise<void> {
  const now = ctx.clock.now();
  await recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    // The Company lock first, then the caller's own role, read under it (issue 9: two owners
    // acting on each other are serialised, and the second sees what the first did).
    await requireCompany(tx, now, actor, companyId, 'company.view', { lock: 'update' });
    const { company, role: actorRole } = await requireCompany(tx, now, actor, companyId, 'member.remove');
    if (accountId === actor.id) throw new AppError('conflict', 'To remove yourself, use "Leave Company".');
    const target = await companiesRepo.access(tx, accountId, companyId);
    if (!target) throw notFound('This member');
    if (grantOf(actorRole, 'member.remove') === 'admins-and-collaborators-only' && !['admin', 'collaborator'].includes(target.role)) {
      throw new RefusedError({ at: now, actor, companyId, action: 'member.remove', category: 'member', details: { accountId, role: target.role } },
        'As an admin you can remove admins and collaborators only.');
    }
    const role = await endMembership(tx, companyId, accountId);
    await tx.delete(collaboratorApps).where(and(eq(collaboratorApps.companyId, companyId), eq(collaboratorApps.accountId, accountId)));
    const member = (await accountsRepo.byId(tx, accountId))!;
    await recordActivity(tx, { at: now, actor, companyId, action: 'member.removed', category: 'member', details: { accountId, email: member.email, role } });
    const owners = await companiesRepo.ownerEmails(tx, companyId);
    await mailTeamChange(tx, ctx.config, now, {
      recipients: [...owners, actor.email, member.email], affectedEmail: member.email, companyId, companyName: company.name,
      change: { kind: 'removed', actor, member, role },
    });
  }));
}

/**
 * Leave (SPEC 4.3): confirmed by typing the Company's name. The last owner cannot leave
 * (`last_owner`), and is told how to hand the Company on.
 */
export async function leaveCompany(ctx: Ctx, actor: Actor, companyId: string, confirm: string): Promise<void> {
  const now = ctx.clock.now();
  await recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    const { company } = await requireCompany(tx, now, actor, companyId, 'company.leave', { lock: 'update' });
    if (confirm.trim().toLowerCase() !== company.name.trim().toLowerCase()) {
      throw validation('confirm', `Type the Company's name, "${company.name}", to confirm.`);
    }
    let role;
    try {
      role = await endMembership(tx, companyId, actor.id);
    } catch (err) {
      if (err instanceof AppError && err.code === 'last_owner') {
        throw new AppError('last_owner', `You are the only owner of "${company.name}". Make another member owner first (or invite one), then leave; or delete the Company if nobody needs it any more.`);
      }
      throw err;
    }
    await tx.delete(collaboratorApps).where(and(eq(collaboratorApps.companyId, companyId), eq(collaboratorApps.accountId, actor.id)));
    await recordActivity(tx, { at: now, actor, companyId, action: 'member.left', category: 'member', details: { accountId: actor.id, email: actor.email, role } });
    const owners = await companiesRepo.ownerEmails(tx, companyId);
    await mailTeamChange(tx, ctx.config, now, {
      recipients: [...owners, actor.email], affectedEmail: actor.email, companyId, companyName: company.name,
      change: { kind: 'left', member: actor, role },
    });
  }));
}
