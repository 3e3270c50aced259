import type { Ctx } from '../../services.js';
import { validation } from '../../shared/errors.js';
import type { Actor } from '../accounts/session.js';
import { recordRefusals } from '../activity/record.js';
import { requireApp } from '../apps/access.js';
import { deploymentsRepo } from './repo.js';

export interface DeploymentItem { id: string; commit: string; branch: string; pushedBy: { firstName: string; lastName: string }; at: string }

/** The App's deployments, newest first (SPEC 3: whoever has code access to the App). */
export async function listDeployments(ctx: Ctx, actor: Actor, name: string, page: { cursor?: string; limit?: number }): Promise<{ items: DeploymentItem[]; nextCursor: string | null }> {
  const limit = Math.min(page.limit ?? 20, 100);
  let before: number | null = null;
  if (page.cursor !== undefined) {
    before = Number(page.cursor);
    if (!Number.isSafeInteger(before) || before < 1) throw validation('cursor', 'This cursor is not valid.');
  }
  return recordRefusals(ctx.db, async () => {
    const found = await requireApp(ctx.db, ctx.clock.now(), actor, name, 'app.deployments');
    const rows = await deploymentsRepo.page(ctx.db, found.app.id, before, limit + 1);
    const items = rows.slice(0, limit).map((r) => ({
      id: String(r.id), commit: r.commit, branch: r.branch, pushedBy: { firstName: r.firstName, lastName: r.lastName }, at: r.at.toISOString(),
    }));
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  });
}
