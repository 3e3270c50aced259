import { randomBytes } from 'node:crypto';
import type { Ctx } from '../../services.js';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { inTransaction } from '../../shared/transaction.js';
import { MAX_DOMAINS_PER_APP } from '../../../shared/hostname.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals } from '../activity/record.js';
import { requireApp } from '../apps/access.js';
import { parseHostname } from './hostnames.js';
import { domainsRepo } from './repo.js';
import { domainView, type DomainView } from './view.js';

/**
 * Adds a custom domain to an App (SPEC 4.13): pending until its TXT record is found.
 * The App row is locked (FOR UPDATE), so two adds to one App count one after the other and
 * the 21st is refused; the unique index on the host name decides between two Apps.
 */
export async function addDomain(ctx: Ctx, actor: Actor, appName: string, input: { hostname: string }): Promise<DomainView> {
  const hostname = parseHostname(ctx.config, input.hostname);
  const now = ctx.clock.now();
  return recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    const found = await requireApp(tx, now, actor, appName, 'app.domains.manage', { lock: true });
    const app = found.app;
    const holder = await domainsRepo.holder(tx, hostname);
    if (holder === app.id) throw new AppError('conflict', `${hostname} is already a domain of this App.`, [{ path: 'hostname', message: 'Already added to this App.', reason: 'already_added' }]);
    if (holder) throw takenElsewhere(hostname);
    if ((await domainsRepo.countOfApp(tx, app.id)) >= MAX_DOMAINS_PER_APP) {
      throw new AppError('conflict', `An App can have at most ${MAX_DOMAINS_PER_APP} domains. Remove one to add another.`, [{ path: 'hostname', message: `At most ${MAX_DOMAINS_PER_APP} domains per App.`, reason: 'limit_reached' }]);
    }
    // 128 random bits; not a secret (it is published in DNS), only unguessable before it is.
    const row = await domainsRepo.insertIfFree(tx, {
      id: newId('dom'), appId: app.id, hostname, state: 'pending', challenge: randomBytes(16).toString('hex'), createdBy: actor.id, createdAt: now,
    });
    if (!row) throw takenElsewhere(hostname);
    await recordActivity(tx, { at: now, actor, companyId: app.companyId, app, action: 'app.domain_added', category: 'app', details: { hostname } });
    return domainView(row, app.name, ctx.config.appsDomain);
  }));
}

/** Says that another App has it, without naming that App or its Company. */
function takenElsewhere(hostname: string): AppError {
  return new AppError('conflict', `${hostname} is already connected to another App. Remove it there first, or ask its owner to.`, [{ path: 'hostname', message: 'Used by another App.', reason: 'taken' }]);
}
