import { grantOf } from '../../authz/permissions.js';
import type { Ctx } from '../../services.js';
import { validation } from '../../shared/errors.js';
import type { Actor } from '../accounts/session.js';
import { requireCompany } from '../companies/access.js';
import { recordRefusals } from './record.js';
import { activityRepo, type ActivityFilter } from './repo.js';
import { detailsFor } from './shape.js';

export interface ActivityItem {
  id: string; at: string; actor: { id: string | null; name: string }; action: string;
  appName?: string; outcome: 'ok' | 'refused'; details: Record<string, unknown>;
}

/**
 * A Company's activity, newest first, paged by event id along activity_company_idx.
 * Filtered by what the role may read: accountants billing events, collaborators events of
 * their assigned Apps (not their billing); the details shaped by role in `shape.ts`.
 */
export async function listActivity(ctx: Ctx, actor: Actor, companyId: string, page: { cursor?: string; limit?: number }): Promise<{ items: ActivityItem[]; nextCursor: string | null }> {
  const limit = Math.min(page.limit ?? 50, 200);
  let before: number | null = null;
  if (page.cursor !== undefined) {
    before = Number(page.cursor);
    if (!Number.isSafeInteger(before) || before < 1) throw validation('cursor', 'This cursor is not valid.');
  }
  return recordRefusals(ctx.db, async () => {
    const { role } = await requireCompany(ctx.db, ctx.clock.now(), actor, companyId, 'activity.view');
    const grant = grantOf(role, 'activity.view');
    const filter: ActivityFilter = grant === 'billing-events-only' ? { kind: 'billing' }
      : grant === 'own-apps-events' ? { kind: 'collaborator', accountId: actor.id } : { kind: 'all' };
    const rows = await activityRepo.page(ctx.db, companyId, filter, before, limit + 1);
    const items = rows.slice(0, limit).map((r) => ({
      id: String(r.id), at: new Date(r.at).toISOString(), actor: { id: r.actor_id, name: r.actor_name }, action: r.action,
      ...(r.app_name ? { appName: r.app_name } : {}), outcome: r.outcome === 'refused' ? 'refused' as const : 'ok' as const,
      details: detailsFor(role, { action: r.action, details: typeof r.details === 'string' ? JSON.parse(r.details) as Record<string, unknown> : r.details }),
    }));
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  });
}
