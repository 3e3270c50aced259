import type { Role } from '../../authz/permissions.js';
import type { Ctx } from '../../services.js';
import type { Actor } from '../accounts/session.js';
import { decodeCursor, DEFAULT_PAGE, encodeCursor, MAX_PAGE, type Page } from '../companies/queries.js';
import { appPageKey, appsRepo } from './repo.js';
import { webAddressOf } from '../../../shared/hostname.js';
import type { AccessName, AppStatus, AppSummary } from './view.js';

/**
 * My Apps: my trial App, every App of Companies where I am owner or admin, and the Apps
 * assigned to me as collaborator. My trial first, then by Company and name; paged by cursor. With `companyId`, only
 * that Company's Apps I may see (the Company page).
 */
export async function listMyApps(ctx: Ctx, actor: Actor, page: { cursor?: string; limit?: number; companyId?: string }): Promise<Page<AppSummary>> {
  return (await listMyAppsUnlessKnown(ctx, actor, page, null)).page!;
}

/**
 * The same page with its fingerprint (ADR 0120); `page` is null when the fingerprint is
 * `known`: nothing the page shows has changed since the caller rendered it.
 */
export async function listMyAppsUnlessKnown(ctx: Ctx, actor: Actor, page: { cursor?: string; limit?: number; companyId?: string }, known: string | null): Promise<{ fingerprint: string; page: Page<AppSummary> | null }> {
  const limit = Math.min(page.limit ?? DEFAULT_PAGE, MAX_PAGE);
  const after = decodeCursor(page.cursor);
  const { fingerprint, rows } = await appsRepo.mineUnlessKnown(ctx.db, actor.id, after, limit + 1, page.companyId, known);
  if (!rows) return { fingerprint, page: null };
  const items = rows.slice(0, limit).map((r): AppSummary => ({
    name: r.name, status: r.status as AppStatus,
    company: r.company_id ? { id: r.company_id, name: r.company_name! } : null,
    access: (r.role ? (r.role as Role) : 'trial') as AccessName,
    plan: typeof r.plan === 'string' ? JSON.parse(r.plan) as Record<string, string> : r.plan,
    ...(r.trial_ends_at ? { trialEndsAt: new Date(r.trial_ends_at).toISOString() } : {}),
    webAddress: webAddressOf(r.name, ctx.config.appsDomain),
  }));
  return { fingerprint, page: { items, nextCursor: rows.length > limit ? encodeCursor(appPageKey(rows[limit - 1])) : null } };
}
