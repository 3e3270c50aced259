import { grantOf } from '../../../server/authz/permissions';
import type { Member, Role } from '../../api/models';
import { can } from '../../permissions';

/** What each role means, in a client's words: `roleHint(role)` in src/web/permissions.ts (catalogue `roleHints`). */
export const ROLE_ORDER: Role[] = ['owner', 'admin', 'collaborator', 'accountant'];

/** The roles the viewer may invite: owners any, admins only admins and collaborators (SPEC section 3). */
export function invitableRoles(viewer: Role): Role[] {
  return ROLE_ORDER.filter((role) => can(viewer, role === 'owner' || role === 'accountant'
    ? 'invitation.inviteOwnerOrAccountant' : 'invitation.inviteCollaboratorOrAdmin'));
}

/**
 * The roles the viewer may give this member (empty when they may not change it at all).
 * Nobody changes their own role; an admin only makes a collaborator an admin or edits a
 * collaborator's Apps (so "collaborator" stays in the list for that).
 */
export function assignableRoles(viewer: Role, viewerId: string | undefined, member: Member): Role[] {
  if (member.accountId === viewerId) return [];
  const grant = grantOf(viewer, 'member.changeRole');
  if (grant === 'not-own-role') return ROLE_ORDER;
  if (grant === 'collaborator-to-admin-only') return member.role === 'collaborator' ? ['admin', 'collaborator'] : [];
  return [];
}

/** May the viewer remove this member? Not themselves (that is "Leave"); admins only admins and collaborators. */
export function canRemove(viewer: Role, viewerId: string | undefined, member: Member, owners: number): boolean {
  if (member.accountId === viewerId) return false;
  const grant = grantOf(viewer, 'member.remove');
  if (grant === 'not-last-owner') return !(member.role === 'owner' && owners <= 1);
  if (grant === 'admins-and-collaborators-only') return member.role === 'admin' || member.role === 'collaborator';
  return false;
}

/** May the viewer resend or revoke an invitation to this role (the same ceiling as inviting)? */
export function canManageInvitation(viewer: Role, role: Role): boolean {
  return invitableRoles(viewer).includes(role);
}

export function memberName(m: { firstName: string; lastName: string; email: string }): string {
  return `${m.firstName} ${m.lastName}`.trim() || m.email;
}
