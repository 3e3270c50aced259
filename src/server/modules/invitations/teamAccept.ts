import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Role } from '../../authz/permissions.js';
import { apps } from '../../db/schema.js';
import type { Ctx } from '../../services.js';
import { AppError } from '../../shared/errors.js';
import { hashToken } from '../../shared/ids.js';
import { inTransaction } from '../../shared/transaction.js';
import { accountsRepo } from '../accounts/repo.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity } from '../activity/record.js';
import { companiesRepo } from '../companies/repo.js';
import { assertInvitee, type AcceptResult } from './acceptClientInvitation.js';
import { assertPending, findByToken } from './invitee.js';
import { mailTeamJoined } from './mails.js';
import { invitationsRepo } from './repo.js';

/**
 * SPEC 4.6: accepted while signed in with the invited, verified e-mail. One guarded
 * state change and the membership's primary key: two parallel accepts make one membership.
 */
export async function acceptTeamInvitation(ctx: Ctx, actor: Actor, token: string | null): Promise<AcceptResult> {
  const now = ctx.clock.now();
  const found = await findByToken(ctx, token);
  assertInvitee(actor, found);
  assertPending(found, now);
  const inv = found.invitation;
  const tokenHash = hashToken(token!);
  return inTransaction(ctx.db, async (tx) => {
    // SPEC 5: the token's expiry is checked again at commit, with the clock read now (as the
    // client accept does): an invitation whose time ran out since the check above is refused.
    const at = ctx.clock.now();
    // The Company first, then the invitation (docs/decisions/0016-lock-order.md).
    const company = await companiesRepo.lock(tx, inv.companyId!);
    const accepted = await invitationsRepo.transition(tx, inv.id, ['pending'], 'accepted', at, { acceptedBy: actor.id }, { unexpired: true, tokenHash });
    if (!accepted) throw new AppError('invitation_invalid', 'This invitation is no longer open: it was used, withdrawn, sent again with a new link, or has expired.', undefined, { reason: 'not_open' });
    if (!company || company.deletedAt) throw new AppError('invitation_invalid', 'This Company no longer exists.', undefined, { reason: 'company_gone' });
    const existing = await companiesRepo.access(tx, actor.id, company.id);
    if (existing) throw new AppError('conflict', `You are already a member of "${company.name}" (as ${existing.role}).`);
    const role = inv.role as Role;
    await companiesRepo.addMembership(tx, { companyId: company.id, accountId: actor.id, role, createdAt: at });
    await invitationsRepo.revokePendingTeamFor(tx, company.id, inv.email, at);
    if (role === 'collaborator' && inv.appNames?.length) {
      const live = await tx.select({ id: apps.id }).from(apps)
        .where(and(eq(apps.companyId, company.id), inArray(apps.name, inv.appNames), ne(apps.status, 'deleted')));
      await companiesRepo.assignApps(tx, company.id, actor.id, live.map((a) => a.id));
    }
    await recordActivity(tx, {
      at, actor, companyId: company.id, action: 'member.joined', category: 'member',
      details: { invitationId: inv.id, accountId: actor.id, email: actor.email, role, appNames: inv.appNames ?? [] },
    });
    const member = (await accountsRepo.byId(tx, actor.id))!;
    const owners = await companiesRepo.ownerEmails(tx, company.id);
    await mailTeamJoined(tx, ctx.config, at, { to: [found.inviter.email, ...owners].filter((e) => e !== member.email), member, companyName: company.name, companyId: company.id, role });
    return { company: { id: company.id, name: company.name } };
  });
}
