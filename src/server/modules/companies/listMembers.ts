import { grantOf, type Role } from '../../authz/permissions.js';
import type { Ctx } from '../../services.js';
import type { Actor } from '../accounts/session.js';
import { recordRefusals } from '../activity/record.js';
import { requireCompany } from './access.js';
import { decodeCursor, DEFAULT_PAGE, encodeCursor, MAX_PAGE, type Page } from './queries.js';
import { companiesRepo } from './repo.js';

export interface MemberView { accountId: string; email: string; firstName: string; lastName: string; role: Role; appNames?: string[] }

/**
 * Members as the caller's role may see them (SPEC section 3): owners and admins see all,
 * with each collaborator's Apps; accountants see the members without App lists; a
 * collaborator sees the people working on their Apps (owners, admins, collaborators
 * sharing an App), with App lists cut to the Apps they share.
 */
export async function listMembers(ctx: Ctx, actor: Actor, companyId: string, page: { cursor?: string; limit?: number }): Promise<Page<MemberView>> {
  return recordRefusals(ctx.db, async () => {
    const { role } = await requireCompany(ctx.db, ctx.clock.now(), actor, companyId, 'company.view');
    const grant = grantOf(role, 'company.view');
    const limit = Math.min(page.limit ?? DEFAULT_PAGE, MAX_PAGE);
    const rows = await companiesRepo.members(ctx.db, companyId, decodeCursor(page.cursor), limit + 1);
    const pageRows = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeCursor(pageRows[pageRows.length - 1].accountId) : null;
    if (grant === 'members-only') {
      return { items: pageRows.map(({ accountId, email, firstName, lastName, role: r }) => ({ accountId, email, firstName, lastName, role: r })), nextCursor };
    }
    const collaboratorIds = pageRows.filter((m) => m.role === 'collaborator').map((m) => m.accountId);
    if (grant === 'own-apps-coworkers' && !collaboratorIds.includes(actor.id)) collaboratorIds.push(actor.id);
    const appsBy = await companiesRepo.collaboratorAppNames(ctx.db, companyId, collaboratorIds);
    const mine = new Set((appsBy.get(actor.id) ?? []).map((a) => a.appId));
    const items: MemberView[] = [];
    for (const m of pageRows) {
      const theirApps = appsBy.get(m.accountId) ?? [];
      if (grant === 'own-apps-coworkers') {
        const shared = theirApps.filter((a) => mine.has(a.appId));
        const coworker = m.accountId === actor.id || m.role === 'owner' || m.role === 'admin' || shared.length > 0;
        if (!coworker) continue;
        items.push({ ...m, ...(m.role === 'collaborator' ? { appNames: shared.map((a) => a.name) } : {}) });
      } else {
        items.push({ ...m, ...(m.role === 'collaborator' ? { appNames: theirApps.map((a) => a.name) } : {}) });
      }
    }
    return { items, nextCursor };
  });
}
