import type { Ctx } from '../../services.js';
import { notFound } from '../../shared/errors.js';
import { inTransaction } from '../../shared/transaction.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals } from '../activity/record.js';
import { requireApp } from '../apps/access.js';
import { lookupHostname } from './hostnames.js';
import { domainsRepo } from './repo.js';

/** Removes a custom domain from an App; the host name is free for any App at once. */
export async function removeDomain(ctx: Ctx, actor: Actor, appName: string, hostnameParam: string): Promise<void> {
  const hostname = lookupHostname(hostnameParam);
  const now = ctx.clock.now();
  await recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    const found = await requireApp(tx, now, actor, appName, 'app.domains.manage', { lock: true });
    const removed = await domainsRepo.remove(tx, found.app.id, hostname);
    if (!removed) throw notFound('This domain');
    await recordActivity(tx, {
      at: now, actor, companyId: found.app.companyId, app: found.app, action: 'app.domain_removed', category: 'app',
      details: { hostname, state: removed.state },
    });
  }));
}
