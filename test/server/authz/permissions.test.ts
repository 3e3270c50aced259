import { describe, expect, it } from 'vitest';
import { ACTIONS, can, canOnApp, grantOf, isRole, PERMISSIONS, ROLES, type Action, type Grant } from '../../../src/server/authz/permissions.js';
import { EXTRA_ROWS, PENDING_ROWS, SPEC_ROLES, SPEC_ROWS } from '../../harness/specMatrix.js';

/** Renders the matrix as a table so every change to it shows in review (issue 3). */
function renderMatrix(): string {
  const header = `| action | ${ROLES.join(' | ')} | description |`;
  const rows = ACTIONS.map((action) => {
    const cells = ROLES.map((role) => grantOf(role, action) ?? '-');
    return `| ${action} | ${cells.join(' | ')} | ${PERMISSIONS[action].description} |`;
  });
  return [header, ...rows].join('\n');
}

describe('the permission matrix (SPEC section 3)', () => {
  it('renders as this table', () => {
    expect('\n' + renderMatrix() + '\n').toMatchInlineSnapshot(`
      "
      | action | owner | admin | collaborator | accountant | description |
      | company.view | yes | yes | own-apps-coworkers | members-only | See the Company, its members and pending invitations |
      | company.rename | yes | - | - | - | Rename the Company |
      | company.blockTransfersOut | yes | - | - | - | Switch "block transfers out" on or off |
      | company.requireTwoFactor | yes | - | - | - | Require two-factor authentication for all members |
      | company.delete | yes | - | - | - | Delete the Company (deletes its Apps; re-authentication) |
      | app.view | yes | yes | assigned-apps | - | See an App of the Company (name, plan, price, settings page) |
      | app.book | yes | yes | - | - | Book (create) an App for the Company, on an existing billing contact |
      | app.delete | yes | yes | - | - | Delete an App |
      | app.settings | yes | yes | assigned-apps | - | Change App settings (environment variables, notes) |
      | app.scale | yes | yes | - | - | Scale an App (change plan) |
      | app.codeAccess | yes | yes | assigned-apps | - | Code access (git over SSH) |
      | app.deployments | yes | yes | assigned-apps | - | See the App's deployments |
      | app.domains.view | yes | yes | assigned-apps | - | Manage an App's domains (see them and the DNS records to set) |
      | app.domains.manage | yes | yes | assigned-apps | - | Manage an App's domains (add, verify and remove them) |
      | invitation.inviteCollaboratorOrAdmin | yes | yes | - | - | Invite a collaborator or an admin |
      | invitation.inviteOwnerOrAccountant | yes | - | - | - | Invite an owner or an accountant |
      | member.changeRole | not-own-role | collaborator-to-admin-only | - | - | Change a member's role |
      | member.remove | not-last-owner | admins-and-collaborators-only | - | - | Remove a member |
      | company.leave | if-another-owner-remains | yes | yes | yes | Leave the Company |
      | billing.manage | yes | - | - | - | Create or change billing contacts, invoice e-mail, payment method |
      | billing.view | yes | name-only | - | read-only | See billing contact details (address, invoice e-mail, brand and last 4) |
      | invoice.view | yes | - | - | yes | See upcoming charges, download invoices and credit notes |
      | invoice.pay | yes | - | - | - | Pay an open invoice now (after changing the card) |
      | company.costApproval | yes | - | - | - | Require approval of cost increases; approve or decline them |
      | costRequest.view | yes | own-requests | - | - | See requests to raise the monthly cost (the admin who asked sees theirs) |
      | app.handover | yes | - | - | - | Hand an App over to a client (client invitation) |
      | app.transfer | owner-of-both | - | - | - | Transfer an App to another Company |
      | activity.view | yes | yes | own-apps-events | billing-events-only | Read the activity log |
      "
    `);
  });

  it('denies by default: unknown roles, no role, and unlisted roles', () => {
    expect(can(null, 'company.rename')).toBe(false);
    expect(can(undefined, 'app.view')).toBe(false);
    expect(can('stranger' as never, 'company.view')).toBe(false);
    expect(can('owner', 'no.such.action' as never)).toBe(false);
    expect(can('accountant', 'app.settings')).toBe(false);
    expect(can('admin', 'billing.manage')).toBe(false);
    // Inherited object keys are not roles.
    expect(can('toString' as never, 'company.view')).toBe(false);
  });

  it('knows the four roles and nothing else (isRole; issue 10)', () => {
    for (const role of ROLES) expect(isRole(role)).toBe(true);
    for (const value of ['stranger', 'Owner', '', 'toString', 1, null, undefined, ['owner']]) expect(isRole(value), String(value)).toBe(false);
  });

  it('gives collaborators App rights only on assigned Apps', () => {
    expect(can('collaborator', 'app.settings')).toBe(false);
    expect(can('collaborator', 'app.settings', { appAssigned: true })).toBe(true);
    expect(can('collaborator', 'app.scale', { appAssigned: true })).toBe(false);
    expect(canOnApp({ kind: 'member', role: 'collaborator', assigned: false }, 'app.view')).toBe(false);
    expect(canOnApp({ kind: 'member', role: 'collaborator', assigned: true }, 'app.codeAccess')).toBe(true);
  });

  it("lets a trial App's creator do everything with it, and nobody else anything", () => {
    for (const action of ACTIONS) {
      expect(canOnApp({ kind: 'trial-creator' }, action)).toBe(true);
      expect(canOnApp(null, action)).toBe(false);
    }
  });

  it('holds every row of SPEC section 3, cell by cell (read from the SPEC text, not from this table; issue 10)', () => {
    const matched = new Map<Action, string>();
    const missing: string[] = [];
    const wrong: string[] = [];
    for (const row of [...SPEC_ROWS, ...EXTRA_ROWS]) {
      const actions = actionsOfRow(row.action);
      if (actions.length === 0) {
        if (!(row.action in PENDING_ROWS)) missing.push(row.action);
        continue;
      }
      for (const action of actions) {
        expect(matched.has(action), `${action} matches two SPEC rows`).toBe(false);
        matched.set(action, row.action);
        for (const role of SPEC_ROLES) {
          const cell = row.cells[role];
          expect(Object.keys(GRANT_OF_CELL), `no meaning for the SPEC cell "${cell}"`).toContain(cell);
          if (grantOf(role, action) !== GRANT_OF_CELL[cell]) wrong.push(`${row.action} / ${role}: SPEC "${cell}", table ${grantOf(role, action) ?? '-'}`);
        }
      }
    }
    expect(missing, 'SPEC rows neither in the permission table nor pending').toEqual([]);
    expect(wrong).toEqual([]);
    // Every action of the table belongs to a row of SPEC (or to SPEC's extra rules).
    expect(ACTIONS.filter((a) => !matched.has(a))).toEqual([]);
    for (const action of ACTIONS) expect(can('owner', action)).toBe(true);
  });

  it('lists as pending only rows that really are in SPEC', () => {
    const specActions = new Set(SPEC_ROWS.map((r) => r.action));
    expect(Object.keys(PENDING_ROWS).filter((a) => !specActions.has(a))).toEqual([]);
  });
});

/** The actions of the permission table whose description is this SPEC row (optionally with a parenthesis). */
function actionsOfRow(rowText: string): Action[] {
  return ACTIONS.filter((a) => PERMISSIONS[a].description === rowText || PERMISSIONS[a].description.startsWith(`${rowText} (`));
}

/** What each wording of a SPEC cell means as a grant of the permission table. */
const GRANT_OF_CELL: Record<string, Grant | null> = {
  yes: 'yes',
  no: null,
  'all Apps': 'yes',
  'assigned Apps': 'assigned-apps',
  "own Apps' co-workers only": 'own-apps-coworkers',
  'members only': 'members-only',
  'yes (not own role)': 'not-own-role',
  'collaborator → admin only': 'collaborator-to-admin-only',
  'yes (not the last owner)': 'not-last-owner',
  'admins and collaborators': 'admins-and-collaborators-only',
  'if another owner remains': 'if-another-owner-remains',
  'name only': 'name-only',
  'yes, read-only': 'read-only',
  'owner of both': 'owner-of-both',
  'own Apps': 'own-apps-events',
  'billing events': 'billing-events-only',
  'own requests': 'own-requests',
};
