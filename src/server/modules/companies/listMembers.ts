import { can, grantOf, type Role } from '../../authz/permissions.js';
import { notFound, twoFactorRequired } from '../../shared/errors.js';
import type { Ctx } from '../../services.js';
import type { Actor } from '../accounts/session.js';
import { RefusedError, recordRefusals } from '../activity/record.js';
import { decodeCursor, DEFAULT_PAGE, encodeCursor, MAX_PAGE, type Page } from './queries.js';
import { companiesRepo, type MemberRow } from './repo.js';

export interface MemberView { accountId: string; email: string; firstName: string; lastName: string; role: Role; appNames?: string[] }

/**
 * Members as the caller's role may see them (SPEC section 3): owners and admins see all,
 * with each collaborator's Apps; accountants see the members without App lists; a
 * collaborator sees the people working on their Apps (owners, admins, collaborators
 * sharing an App), with App lists cut to the Apps they share.
 */
export async function listMembers(ctx: Ctx, actor: Actor, companyId: string, page: { cursor?: string; limit?: number }): Promise<Page<MemberView>> {
  return recordRefusals(ctx.db, async () => {
    const limit = Math.min(page.limit ?? DEFAULT_PAGE, MAX_PAGE);
    // The caller's access and the page in one statement (issue 14); the rule is applied here.
    const found = await companiesRepo.membersForCaller(ctx.db, actor.id, companyId, decodeCursor(page.cursor), limit + 1);
    if (!found) throw notFound('This Company');
    const { callerRole: role } = found;
    if (found.requireTwoFactor && !actor.twoFactorEnabled) throw twoFactorRequired();
    if (!can(role, 'company.view')) {
      throw new RefusedError({ at: ctx.clock.now(), actor, companyId, action: 'company.view', category: 'company', details: { role } });
    }
    const grant = grantOf(role, 'company.view');
    const rows = found.members;
    const pageRows = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeCursor(pageRows[pageRows.length - 1].accountId) : null;
    if (grant === 'members-only') {
      return { items: pageRows.map(({ accountId, email, firstName, lastName, role: r }) => ({ accountId, email, firstName, lastName, role: r })), nextCursor };
    }
    const view = (m: MemberRow, names: string[]): MemberView => ({
      accountId: m.accountId, email: m.email, firstName: m.firstName, lastName: m.lastName, role: m.role,
      ...(m.role === 'collaborator' ? { appNames: names } : {}),
    });
    if (grant !== 'own-apps-coworkers') return { items: pageRows.map((m) => view(m, m.appNames)), nextCursor };
    // A collaborator sees the people working on their Apps, with App lists cut to the shared Apps.
    const myApps = new Set(found.callerAppNames);
    const items: MemberView[] = [];
    for (const m of pageRows) {
      const shared = m.appNames.filter((name) => myApps.has(name));
      if (m.accountId === actor.id || m.role === 'owner' || m.role === 'admin' || shared.length > 0) items.push(view(m, shared));
    }
    return { items, nextCursor };
  });
}
