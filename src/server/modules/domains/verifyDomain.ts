import type { Ctx } from '../../services.js';
import { notFound } from '../../shared/errors.js';
import { inTransaction } from '../../shared/transaction.js';
import { challengeName } from '../../../shared/hostname.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals } from '../activity/record.js';
import { requireApp } from '../apps/access.js';
import { lookupChallenge } from './dnsCheck.js';
import { lookupHostname } from './hostnames.js';
import { domainsRepo } from './repo.js';
import { challengeValue, domainView, type DomainView } from './view.js';

/**
 * Looks for the domain's TXT record now (docs/decisions/0075-domain-names-and-verification.md).
 * Found: `verified` (it stays verified). Not found, another value, or the resolver failed:
 * still `pending`, answered 200 with `lastCheck` saying which, so the page can say what to
 * do. The look-up runs outside any transaction; the result is written with a guarded update
 * (a domain removed meanwhile is 404, two racing checks verify it once).
 */
export async function verifyDomain(ctx: Ctx, actor: Actor, appName: string, hostnameParam: string): Promise<DomainView> {
  const hostname = lookupHostname(hostnameParam);
  return recordRefusals(ctx.db, async () => {
    const seen = await requireApp(ctx.db, ctx.clock.now(), actor, appName, 'app.domains.manage');
    const domain = await domainsRepo.one(ctx.db, seen.app.id, hostname);
    if (!domain) throw notFound('This domain');
    if (domain.state === 'verified') return domainView(domain, seen.app.name, ctx.config.appsDomain);

    const lookup = await lookupChallenge(ctx.config.dnsResolver, challengeName(hostname), challengeValue(domain.challenge));
    const now = ctx.clock.now();
    return inTransaction(ctx.db, async (tx) => {
      const found = await requireApp(tx, now, actor, appName, 'app.domains.manage');
      if (found.app.id !== seen.app.id) throw notFound('This domain');
      const checked = await domainsRepo.recordCheck(tx, domain.id, found.app.id, lookup.result, now);
      if (!checked) throw notFound('This domain');
      if (checked.becameVerified) {
        await recordActivity(tx, { at: now, actor, companyId: found.app.companyId, app: found.app, action: 'app.domain_verified', category: 'app', details: { hostname } });
      } else if (lookup.result === 'lookup_failed') {
        ctx.log.warn({ hostname, resolver: ctx.config.dnsResolver ?? 'system' }, 'domain verification: the DNS look-up failed');
      }
      return domainView(checked.row, found.app.name, ctx.config.appsDomain);
    });
  });
}
