import { and, eq, inArray, ne } from 'drizzle-orm';
import { grantOf, type Action, type Role } from '../../authz/permissions.js';
import type { DbOrTx } from '../../db/client.js';
import { accounts, apps, collaboratorApps, invitations, memberships } from '../../db/schema.js';
import type { Ctx } from '../../services.js';
import { AppError, notFound } from '../../shared/errors.js';
import { hashToken, newId, newToken, normalizeEmail } from '../../shared/ids.js';
import { accountsRepo } from '../accounts/repo.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals, RefusedError } from '../activity/record.js';
import { requireCompany, type CompanyAccess } from '../companies/access.js';
import { isUniqueViolation } from './clientInvitations.js';
import { mailTeamInvitation } from './mails.js';
import { effectiveState, invitationsRepo, type InvitationRow } from './repo.js';
import { inTransaction } from '../../shared/transaction.js';

export interface TeamInvitationView {
  id: string; email: string; role: Role; appNames?: string[]; state: string; expiresAt: string; createdAt: string;
  invitedBy: { firstName: string; lastName: string };
}

/** Which permission inviting to a role needs (SPEC section 3). */
export function inviteActionFor(role: Role): Action {
  return role === 'owner' || role === 'accountant' ? 'invitation.inviteOwnerOrAccountant' : 'invitation.inviteCollaboratorOrAdmin';
}

async function requireInviteRight(tx: DbOrTx, at: Date, actor: Actor, companyId: string, role: Role): Promise<CompanyAccess> {
  // Seeing the Company decides 404 vs 403; the role ceiling decides 403. The Company is
  // locked first (docs/decisions/0016-lock-order.md): an accept of the same person waits.
  await requireCompany(tx, at, actor, companyId, 'company.view', { lock: 'update' });
  return requireCompany(tx, at, actor, companyId, inviteActionFor(role));
}

/** Live Apps of the Company by name; unknown names are a validation error. */
export async function resolveApps(tx: DbOrTx, companyId: string, names: string[]): Promise<{ id: string; name: string }[]> {
  if (names.length === 0) return [];
  const rows = await tx.select({ id: apps.id, name: apps.name }).from(apps)
    .where(and(eq(apps.companyId, companyId), inArray(apps.name, names), ne(apps.status, 'deleted')));
  const missing = names.filter((n) => !rows.some((r) => r.name === n));
  if (missing.length) {
    const message = `Not an App of this Company: ${missing.join(', ')}.`;
    throw new AppError('validation_failed', message, [{ path: 'appNames', message }]);
  }
  return rows;
}

function checkAppNamesForRole(role: Role, appNames: string[] | undefined): string[] {
  const names = [...new Set(appNames ?? [])];
  if (role === 'collaborator' && names.length === 0) {
    throw new AppError('validation_failed', 'Choose at least one App the collaborator will work on.', [{ path: 'appNames', message: 'Choose at least one App.' }]);
  }
  if (role !== 'collaborator' && names.length > 0) {
    throw new AppError('validation_failed', 'Only collaborators get a list of Apps; owners, admins and accountants see the whole Company.', [{ path: 'appNames', message: 'Only for collaborators.' }]);
  }
  return names;
}

function view(row: InvitationRow, now: Date, inviter: { firstName: string; lastName: string }): TeamInvitationView {
  return {
    id: row.id, email: row.email, role: row.role as Role, ...(row.role === 'collaborator' ? { appNames: row.appNames ?? [] } : {}),
    state: effectiveState(row, now), expiresAt: row.expiresAt.toISOString(), createdAt: row.createdAt.toISOString(), invitedBy: inviter,
  };
}

async function isMemberByEmail(tx: DbOrTx, companyId: string, email: string): Promise<boolean> {
  const [row] = await tx.select({ id: memberships.accountId }).from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.companyId, companyId), eq(accounts.email, email)));
  return Boolean(row);
}

export interface InviteMemberInput { email: string; role: Role; appNames?: string[] }

/** SPEC 4.6: an owner or admin invites by e-mail with a role, within the matrix. */
export async function inviteMember(ctx: Ctx, actor: Actor, companyId: string, input: InviteMemberInput): Promise<TeamInvitationView> {
  const now = ctx.clock.now();
  const email = normalizeEmail(input.email);
  const names = checkAppNamesForRole(input.role, input.appNames);
  const token = newToken();
  return recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    const access = await requireInviteRight(tx, now, actor, companyId, input.role);
    const appRows = await resolveApps(tx, companyId, names);
    if (await isMemberByEmail(tx, companyId, email)) {
      throw new AppError('conflict', `${email} is already a member of "${access.company.name}". Change their role on the team list instead.`);
    }
    await invitationsRepo.expireStale(tx, { companyId, email }, now);
    const expiresAt = new Date(now.getTime() + ctx.config.teamInvitationTtlMs);
    let row: InvitationRow;
    try {
      row = await invitationsRepo.insert(tx, {
        id: newId('inv'), kind: 'team', tokenHash: hashToken(token), state: 'pending', email, inviterId: actor.id, companyId,
        role: input.role, appNames: appRows.map((a) => a.name).sort(), expiresAt, createdAt: now,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('invitation_pending_exists', `${email} already has an open invitation to this Company. Resend it instead.`);
      throw err;
    }
    const inviter = (await accountsRepo.byId(tx, actor.id))!;
    await recordActivity(tx, { at: now, actor, companyId, action: 'invitation.created', category: 'member', details: { invitationId: row.id, email, role: input.role, appNames: row.appNames } });
    await mailTeamInvitation(tx, ctx.config, now, { to: email, inviter, companyName: access.company.name, role: input.role, appNames: row.appNames ?? [], expiresAt, token, language: actor.language, timeZone: actor.timeZone });
    return view(row, now, inviter);
  }));
}

/**
 * Pending and past invitations of a Company. Owners and admins see all; a collaborator
 * those for their own Apps' co-workers; accountants see members only (403 here).
 */
export async function listTeamInvitations(ctx: Ctx, actor: Actor, companyId: string): Promise<TeamInvitationView[]> {
  const now = ctx.clock.now();
  return recordRefusals(ctx.db, async () => {
    const { role } = await requireCompany(ctx.db, now, actor, companyId, 'company.view');
    const grant = grantOf(role, 'company.view');
    if (grant === 'members-only') {
      throw new RefusedError({ at: now, actor, companyId, action: 'company.view', category: 'member', details: { what: 'invitations', role } }, 'Accountants see the members, not the pending invitations.');
    }
    const rows = await ctx.db.select({ invitation: invitations, firstName: accounts.firstName, lastName: accounts.lastName })
      .from(invitations).innerJoin(accounts, eq(accounts.id, invitations.inviterId))
      .where(and(eq(invitations.companyId, companyId), eq(invitations.kind, 'team')))
      .orderBy(invitations.createdAt).limit(500);
    let visible = rows;
    if (grant === 'own-apps-coworkers') {
      const mine = new Set((await assignedAppNames(ctx.db, companyId, actor.id)));
      visible = rows.filter((r) => (r.invitation.appNames ?? []).some((n) => mine.has(n)));
    }
    return visible.filter((r) => r.invitation.state !== 'accepted').map((r) => view(r.invitation, now, { firstName: r.firstName, lastName: r.lastName }));
  });
}

async function assignedAppNames(db: DbOrTx, companyId: string, accountId: string): Promise<string[]> {
  const rows = await db.select({ name: apps.name }).from(collaboratorApps).innerJoin(apps, eq(apps.id, collaboratorApps.appId))
    .where(and(eq(collaboratorApps.companyId, companyId), eq(collaboratorApps.accountId, accountId)));
  return rows.map((r) => r.name);
}

async function loadTeamInvitation(tx: DbOrTx, companyId: string, id: string): Promise<InvitationRow> {
  const row = await invitationsRepo.byId(tx, id);
  if (!row || row.kind !== 'team' || row.companyId !== companyId) throw notFound('This invitation');
  return row;
}

export async function resendTeamInvitation(ctx: Ctx, actor: Actor, companyId: string, invitationId: string): Promise<TeamInvitationView> {
  const now = ctx.clock.now();
  const token = newToken();
  return recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    await requireCompany(tx, now, actor, companyId, 'company.view', { lock: 'update' });
    const current = await loadTeamInvitation(tx, companyId, invitationId);
    const access = await requireInviteRight(tx, now, actor, companyId, current.role as Role);
    if (!['pending', 'expired'].includes(current.state)) throw new AppError('conflict', `This invitation was ${current.state}; send a new one instead.`);
    if (await isMemberByEmail(tx, companyId, current.email)) throw new AppError('conflict', `${current.email} is already a member.`);
    await invitationsRepo.expireStale(tx, { companyId, email: current.email }, now);
    const expiresAt = new Date(now.getTime() + ctx.config.teamInvitationTtlMs);
    let row: InvitationRow | undefined;
    try {
      row = await invitationsRepo.rotate(tx, current.id, hashToken(token), expiresAt, now);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('invitation_pending_exists', `${current.email} already has another open invitation. Revoke it first.`);
      throw err;
    }
    if (!row) throw new AppError('conflict', 'This invitation changed in the meantime; reload the page.');
    const inviter = (await accountsRepo.byId(tx, actor.id))!;
    await recordActivity(tx, { at: now, actor, companyId, action: 'invitation.resent', category: 'member', details: { invitationId: row.id, email: row.email } });
    await mailTeamInvitation(tx, ctx.config, now, { to: row.email, inviter, companyName: access.company.name, role: row.role!, appNames: row.appNames ?? [], expiresAt, token, language: actor.language, timeZone: actor.timeZone });
    return view(row, now, inviter);
  }));
}

export async function revokeTeamInvitation(ctx: Ctx, actor: Actor, companyId: string, invitationId: string): Promise<void> {
  const now = ctx.clock.now();
  await recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    await requireCompany(tx, now, actor, companyId, 'company.view', { lock: 'update' });
    const current = await loadTeamInvitation(tx, companyId, invitationId);
    await requireInviteRight(tx, now, actor, companyId, current.role as Role);
    const row = await invitationsRepo.transition(tx, current.id, ['pending', 'expired'], 'revoked', now);
    if (!row) throw new AppError('conflict', `This invitation was already ${current.state}.`);
    await recordActivity(tx, { at: now, actor, companyId, action: 'invitation.revoked', category: 'member', details: { invitationId: row.id, email: row.email, role: row.role } });
  }));
}
