import type { Ctx } from '../../services.js';
import type { Actor } from '../accounts/session.js';
import { recordRefusals } from '../activity/record.js';
import { requireApp } from '../apps/access.js';
import { domainsRepo } from './repo.js';
import { domainView, type DomainView } from './view.js';

/** The App's custom domains with the DNS records to set (SPEC 4.13); at most 20, one page. */
export async function listDomains(ctx: Ctx, actor: Actor, appName: string): Promise<{ items: DomainView[]; nextCursor: null }> {
  return recordRefusals(ctx.db, async () => {
    const found = await requireApp(ctx.db, ctx.clock.now(), actor, appName, 'app.domains.view');
    const rows = await domainsRepo.ofApp(ctx.db, found.app.id);
    return { items: rows.map((r) => domainView(r, found.app.name, ctx.config.appsDomain)), nextCursor: null };
  });
}
