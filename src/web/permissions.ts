import { can as canRole, canOnApp as canOnAppAccess, type Action, type AppAccess, type Role } from '../server/authz/permissions';
import type { AppAccessName, Me } from './api/models';
import { i18n } from './i18n';

/**
 * The UI's view of the permission matrix: the one table in src/server/authz (pure, shared
 * with the API). The UI only hides actions; the server enforces every one of them.
 */
export type { Action };

export function can(role: Role | null | undefined, action: Action): boolean {
  return canRole(role, action);
}

/**
 * What the viewer may do with one App, from its `access` field. A collaborator only ever
 * sees Apps assigned to them, so a visible App counts as assigned.
 */
export function canOnApp(access: AppAccessName | undefined, action: Action): boolean {
  if (!access) return false;
  const appAccess: AppAccess = access === 'trial' ? { kind: 'trial-creator' } : { kind: 'member', role: access, assigned: true };
  return canOnAppAccess(appAccess, action);
}

/** Clients are never asked for SSH keys (SPEC section 1). */
export function canHaveSshKeys(me: Me | null | undefined): boolean {
  return me?.accountType === 'developer';
}

const ROLES: readonly string[] = ['owner', 'admin', 'collaborator', 'accountant'] satisfies Role[];
const isRole = (role: string): role is Role => ROLES.includes(role);

/** "Owner", "Inhaber": a role's name from the catalogue, in the current language. */
export function roleLabel(role: string): string {
  return isRole(role) ? i18n.t(`roles.${role}`) : role;
}

/** The role as it stands inside a sentence ("… as admin", "… ist jetzt Inhaber"). */
export function roleInSentence(role: string): string {
  return isRole(role) ? i18n.t(`rolesInSentence.${role}`) : role;
}

/** What the role may do, for the role choice in the invite and change-role dialogs. */
export function roleHint(role: Role): string {
  return i18n.t(`roleHints.${role}`);
}
