import type { Me, Role } from './api/types';

/**
 * The UI's view of the permission matrix (SPEC section 3), kept in this one file so it can be
 * switched to `can()` from src/server/authz once that module exists. The UI only hides
 * actions; the server enforces every one of them.
 */
export type Action =
  | 'company.rename' | 'company.delete' | 'company.blockTransfers'
  | 'app.book' | 'app.delete' | 'app.settings' | 'app.scale'
  | 'billing.manage' | 'billing.view' | 'billing.viewName'
  | 'activity.read' | 'members.invite';

const MATRIX: Record<Action, readonly Role[]> = {
  'company.rename': ['owner'],
  'company.delete': ['owner'],
  'company.blockTransfers': ['owner'],
  'app.book': ['owner', 'admin'],
  'app.delete': ['owner', 'admin'],
  'app.settings': ['owner', 'admin', 'collaborator'],
  'app.scale': ['owner', 'admin'],
  'billing.manage': ['owner'],
  'billing.view': ['owner', 'accountant'],
  'billing.viewName': ['owner', 'admin', 'accountant'],
  'activity.read': ['owner', 'admin', 'collaborator', 'accountant'],
  'members.invite': ['owner', 'admin'],
};

export function can(role: Role | null | undefined, action: Action): boolean {
  return !!role && MATRIX[action].includes(role);
}

/**
 * What the viewer may do with one App, from its `access` field: "creator" (trial App) or
 * their role in the App's Company.
 */
export function canOnApp(access: string | undefined, action: Action): boolean {
  if (access === 'creator' || access === 'trial' || access === 'owner-trial') return true;
  return can(access as Role, action);
}

/** Clients are never asked for SSH keys (SPEC section 1). */
export function canHaveSshKeys(me: Me | null | undefined): boolean {
  return me?.accountType === 'developer';
}

export const ROLE_LABEL: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  collaborator: 'Collaborator',
  accountant: 'Accountant',
};

export function roleLabel(role: string): string {
  return ROLE_LABEL[role as Role] ?? role.charAt(0).toUpperCase() + role.slice(1);
}
