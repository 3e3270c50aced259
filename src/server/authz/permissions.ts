/**
 * The permission matrix of SPEC section 3, as data: one table, shared by the API and
 * the web UI (this file imports nothing from the server). Deny by default: a role that is
 * not listed for an action may not do it.
 *
 * A grant is either `yes` or a limitation the use-case enforces with facts only it knows
 * (the App's assignment, the number of owners, the other Company's role, ...).
 */
export const ROLES = ['owner', 'admin', 'collaborator', 'accountant'] as const;
export type Role = (typeof ROLES)[number];

export type Grant =
  | 'yes'
  /** Only on Apps assigned to the collaborator. */
  | 'assigned-apps'
  /** Sees only members who work on the same Apps (owners, admins, collaborators sharing an App). */
  | 'own-apps-coworkers'
  /** Sees members, not pending invitations. */
  | 'members-only'
  /** Sees billing contacts by name only. */
  | 'name-only'
  | 'read-only'
  /** Never their own role. */
  | 'not-own-role'
  | 'collaborator-to-admin-only'
  /** Not the last owner. */
  | 'not-last-owner'
  | 'admins-and-collaborators-only'
  | 'if-another-owner-remains'
  /** Must be owner of the target Company too. */
  | 'owner-of-both'
  /** Events of the collaborator's assigned Apps only. */
  | 'own-apps-events'
  | 'billing-events-only'
  /** Only the requests this person made (an admin sees their cost requests pending; ADR 0080). */
  | 'own-requests';

export interface Permission {
  description: string;
  roles: Partial<Record<Role, Grant>>;
}

export const PERMISSIONS = {
  'company.view': {
    description: 'See the Company, its members and pending invitations',
    roles: { owner: 'yes', admin: 'yes', collaborator: 'own-apps-coworkers', accountant: 'members-only' },
  },
  'company.rename': { description: 'Rename the Company', roles: { owner: 'yes' } },
  'company.blockTransfersOut': { description: 'Switch "block transfers out" on or off', roles: { owner: 'yes' } },
  'company.requireTwoFactor': { description: 'Require two-factor authentication for all members', roles: { owner: 'yes' } },
  'company.delete': { description: 'Delete the Company (deletes its Apps; re-authentication)', roles: { owner: 'yes' } },
  'app.view': {
    description: 'See an App of the Company (name, plan, price, settings page)',
    roles: { owner: 'yes', admin: 'yes', collaborator: 'assigned-apps' },
  },
  'app.book': { description: 'Book (create) an App for the Company, on an existing billing contact', roles: { owner: 'yes', admin: 'yes' } },
  'app.delete': { description: 'Delete an App', roles: { owner: 'yes', admin: 'yes' } },
  'app.settings': { description: 'Change App settings (environment variables, notes)', roles: { owner: 'yes', admin: 'yes', collaborator: 'assigned-apps' } },
  'app.scale': { description: 'Scale an App (change plan)', roles: { owner: 'yes', admin: 'yes' } },
  'app.codeAccess': { description: 'Code access (git over SSH)', roles: { owner: 'yes', admin: 'yes', collaborator: 'assigned-apps' } },
  'app.deployments': { description: "See the App's deployments", roles: { owner: 'yes', admin: 'yes', collaborator: 'assigned-apps' } },
  // SPEC 4.13: one SPEC row, two actions, so a later change (say, read-only accountants) is one line.
  'app.domains.view': { description: "Manage an App's domains (see them and the DNS records to set)", roles: { owner: 'yes', admin: 'yes', collaborator: 'assigned-apps' } },
  'app.domains.manage': { description: "Manage an App's domains (add, verify and remove them)", roles: { owner: 'yes', admin: 'yes', collaborator: 'assigned-apps' } },
  'invitation.inviteCollaboratorOrAdmin': { description: 'Invite a collaborator or an admin', roles: { owner: 'yes', admin: 'yes' } },
  'invitation.inviteOwnerOrAccountant': { description: 'Invite an owner or an accountant', roles: { owner: 'yes' } },
  'member.changeRole': { description: "Change a member's role", roles: { owner: 'not-own-role', admin: 'collaborator-to-admin-only' } },
  'member.remove': { description: 'Remove a member', roles: { owner: 'not-last-owner', admin: 'admins-and-collaborators-only' } },
  'company.leave': {
    description: 'Leave the Company',
    roles: { owner: 'if-another-owner-remains', admin: 'yes', collaborator: 'yes', accountant: 'yes' },
  },
  'billing.manage': { description: 'Create or change billing contacts, invoice e-mail, payment method', roles: { owner: 'yes' } },
  'billing.view': {
    description: 'See billing contact details (address, invoice e-mail, brand and last 4)',
    roles: { owner: 'yes', admin: 'name-only', accountant: 'read-only' },
  },
  'invoice.view': { description: 'See upcoming charges, download invoices and credit notes', roles: { owner: 'yes', accountant: 'yes' } },
  'invoice.pay': { description: 'Pay an open invoice now (after changing the card)', roles: { owner: 'yes' } },
  'company.costApproval': { description: 'Require approval of cost increases; approve or decline them', roles: { owner: 'yes' } },
  'costRequest.view': {
    description: 'See requests to raise the monthly cost (the admin who asked sees theirs)',
    roles: { owner: 'yes', admin: 'own-requests' },
  },
  'app.handover': { description: 'Hand an App over to a client (client invitation)', roles: { owner: 'yes' } },
  'app.transfer': { description: 'Transfer an App to another Company', roles: { owner: 'owner-of-both' } },
  'activity.view': {
    description: 'Read the activity log',
    roles: { owner: 'yes', admin: 'yes', collaborator: 'own-apps-events', accountant: 'billing-events-only' },
  },
} as const satisfies Record<string, Permission>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

/** What a role may do for an action, or null (deny by default). */
export function grantOf(role: Role | null | undefined, action: Action): Grant | null {
  if (!role) return null;
  const roles: Partial<Record<Role, Grant>> = PERMISSIONS[action]?.roles ?? {};
  return Object.prototype.hasOwnProperty.call(roles, role) ? roles[role] ?? null : null;
}

export interface CanOptions {
  /** For App actions: whether the App is assigned to this collaborator. */
  appAssigned?: boolean;
}

/**
 * May this role do this action? Limited grants count as allowed, except `assigned-apps`,
 * which needs `appAssigned`. The other limitations are checked by the use-case.
 */
export function can(role: Role | null | undefined, action: Action, opts: CanOptions = {}): boolean {
  const grant = grantOf(role, action);
  if (grant === null) return false;
  if (grant === 'assigned-apps') return opts.appAssigned === true;
  return true;
}

/**
 * Access to one App: the creator of a trial App may do everything with it; otherwise the
 * caller's role in the App's Company decides.
 */
export type AppAccess =
  | { kind: 'trial-creator' }
  | { kind: 'member'; role: Role; assigned: boolean };

export function canOnApp(access: AppAccess | null, action: Action): boolean {
  if (!access) return false;
  if (access.kind === 'trial-creator') return true;
  return can(access.role, action, { appAssigned: access.assigned });
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
