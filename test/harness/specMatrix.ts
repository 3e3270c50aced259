import type { Role } from '../../src/server/authz/permissions.js';

/**
 * SPEC section 3, "Roles and permissions", copied verbatim (issue 10). The permission
 * tests read their expected outcomes from this text, not from the code's own table, so
 * they prove "code = SPEC". When SPEC changes, paste the new table here: every row must
 * then be probed or listed as pending, or the tests fail.
 */
export const SPEC_SECTION_3 = `
| Action | owner | admin | collaborator | accountant |
|---|---|---|---|---|
| See the Company, its members and pending invitations | yes | yes | own Apps' co-workers only | members only |
| Rename the Company | yes | no | no | no |
| Delete the Company (deletes its Apps; re-authentication) | yes | no | no | no |
| Book (create) an App for the Company, on an existing billing contact | yes | yes | no | no |
| Delete an App | yes | yes | no | no |
| Change App settings | yes | yes | assigned Apps | no |
| Scale an App (change plan) | yes | yes | no | no |
| Code access (git over SSH) | all Apps | all Apps | assigned Apps | no |
| Invite a collaborator or an admin | yes | yes | no | no |
| Invite an owner or an accountant | yes | no | no | no |
| Change a member's role | yes (not own role) | collaborator → admin only | no | no |
| Remove a member | yes (not the last owner) | admins and collaborators | no | no |
| Leave the Company | if another owner remains | yes | yes | yes |
| Create or change billing contacts, invoice e-mail, payment method | yes | no | no | no |
| See billing contact details (address, invoice e-mail, brand and last 4) | yes | name only | no | yes, read-only |
| See upcoming charges, download invoices and credit notes | yes | no | no | yes |
| Pay an open invoice now (after changing the card) | yes | no | no | no |
| Require two-factor authentication for all members | yes | no | no | no |
| See the App's deployments | yes | yes | assigned Apps | no |
| Manage an App's domains | yes | yes | assigned Apps | no |
| Require approval of cost increases; approve or decline them | yes | no | no | no |
| Hand an App over to a client (client invitation) | yes | no | no | no |
| Transfer an App to another Company | owner of both | no | no | no |
| Read the activity log | yes | yes | own Apps | billing events |
`;

/**
 * Rules SPEC states outside the table that the permission table also holds (SPEC 4.5:
 * "An owner can switch 'block transfers out' on"; seeing an App goes with the App rows;
 * SPEC 4.12: "the admin sees it pending", ADR 0080: the admin who asked sees their requests).
 */
export const SPEC_EXTRA_ROWS = `
| Switch "block transfers out" on or off | yes | no | no | no |
| See an App of the Company (name, plan, price, settings page) | yes | yes | assigned Apps | no |
| See requests to raise the monthly cost | yes | own requests | no | no |
`;

export const SPEC_ROLES: readonly Role[] = ['owner', 'admin', 'collaborator', 'accountant'];

export interface SpecRow { action: string; cells: Record<Role, string> }

/** Parses a markdown table of the shape above (header and separator rows are skipped). */
export function parseSpecTable(text: string): SpecRow[] {
  const rows: SpecRow[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim().startsWith('|')) continue;
    const cells = line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
    if (cells[0] === 'Action' || /^-+$/.test(cells[0])) continue;
    if (cells.length !== 5) throw new Error(`a SPEC row needs 5 cells: ${line}`);
    rows.push({ action: cells[0], cells: { owner: cells[1], admin: cells[2], collaborator: cells[3], accountant: cells[4] } });
  }
  return rows;
}

export const SPEC_ROWS = parseSpecTable(SPEC_SECTION_3);
export const EXTRA_ROWS = parseSpecTable(SPEC_EXTRA_ROWS);

/**
 * Rows whose feature is not built yet (later issues). The matrix tests list each as
 * `it.todo`; docs/testing.md names them. When a feature lands, move its row out of here
 * and probe it: the "every row" checks fail for a row that is neither probed nor pending.
 */
export const PENDING_ROWS: Record<string, string> = {
};
