import { grantOf } from '../../authz/permissions.js';
import type { Ctx } from '../../services.js';
import { validation } from '../../shared/errors.js';
import type { Actor } from '../accounts/session.js';
import { recordRefusals } from '../activity/record.js';
import { requireCompany } from '../companies/access.js';
import { decodeCursor, encodeCursor, type Page } from '../companies/queries.js';
import { costsRepo } from './repo.js';
import { costRequestView, type CostRequestState, type CostRequestView } from './view.js';

const DEFAULT_LIMIT = 100;

function parseCursor(cursor: string | undefined): { createdAt: Date; id: string } | null {
  const raw = decodeCursor(cursor);
  if (raw === null) return null;
  const [at, id] = raw.split('|');
  const createdAt = new Date(at);
  if (!id || Number.isNaN(createdAt.getTime())) throw validation('cursor', 'This cursor is not valid; start from the first page.');
  return { createdAt, id };
}

/**
 * Cost requests of a Company, newest first (SPEC 4.12): owners see all of them with the
 * amounts including VAT; an admin sees the requests they asked for (ADR 0080).
 */
export async function listCostRequests(ctx: Ctx, actor: Actor, companyId: string, query: { state?: CostRequestState; cursor?: string; limit?: number }): Promise<Page<CostRequestView>> {
  const now = ctx.clock.now();
  return recordRefusals(ctx.db, async () => {
    const { role } = await requireCompany(ctx.db, now, actor, companyId, 'costRequest.view');
    const ownOnly = grantOf(role, 'costRequest.view') === 'own-requests';
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await costsRepo.list(ctx.db, companyId, {
      requestedBy: ownOnly ? actor.id : undefined, state: query.state, now, after: parseCursor(query.cursor), limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const items = page.map((r) => costRequestView(r.request, r, now, role === 'owner' ? { seller: ctx.config.seller, contact: r.contact } : undefined));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(`${last.request.createdAt.toISOString()}|${last.request.id}`) : null };
  });
}
