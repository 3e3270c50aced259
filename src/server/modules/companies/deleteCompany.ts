import type { Ctx } from '../../services.js';
import { validation } from '../../shared/errors.js';
import { requireFresh } from '../accounts/reauth.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals } from '../activity/record.js';
import { markAppDeleted } from '../apps/lifecycle.js';
import { appsRepo } from '../apps/repo.js';
import { invitationsRepo } from '../invitations/repo.js';
import { enqueueMail } from '../mail/outbox.js';
import { accountsRepo } from '../accounts/repo.js';
import { companyDeletedMail } from './mails.js';
import { requireCompany } from './access.js';
import { companiesRepo } from './repo.js';
import { costsRepo } from '../costs/repo.js';
import { inTransaction } from '../../shared/transaction.js';


/**
 * Deletes a Company (owner only): its Apps are deleted (names reserved, billing closed),
 * memberships end, billing contacts stay for invoices. Needs a session signed in within
 * the last 10 minutes; `confirm`, when given, must be the Company's name.
 */
export async function deleteCompany(ctx: Ctx, actor: Actor, companyId: string, opts: { confirm?: string }): Promise<void> {
  const now = ctx.clock.now();
  await recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    const { company } = await requireCompany(tx, now, actor, companyId, 'company.delete', { lock: 'update' });
    if (opts.confirm !== undefined && opts.confirm.trim() !== company.name) {
      throw validation('confirm', 'Type the name of the Company exactly to confirm.');
    }
    await requireFresh(tx, actor, now, 'Deleting a Company');
    await companiesRepo.lock(tx, companyId);
    const apps = await appsRepo.liveAppsOfCompany(tx, companyId);
    for (const app of apps) {
      if (await markAppDeleted(tx, app, now)) {
        await recordActivity(tx, { at: now, actor, companyId, app, action: 'app.deleted', category: 'app', details: { reason: 'company deleted' } });
      }
    }
    await invitationsRepo.revokeOpenForCompany(tx, companyId, now);
    // Waiting cost requests die with the Company (ADR 0080): nobody is left to approve them,
    // and a pending booking would hold its App name until it expired.
    for (const request of await costsRepo.declinePendingOfCompany(tx, companyId, now, actor.id)) {
      await recordActivity(tx, {
        at: now, actor, companyId, app: request.appId ? { id: request.appId, name: request.appName } : null, action: 'cost_request.declined', category: 'app',
        details: { costRequestId: request.id, kind: request.kind, requestedBy: request.requestedBy, reason: 'company deleted' },
      });
    }
    const people = await companiesRepo.members(tx, companyId, null, 100_000);
    const members = await companiesRepo.deleteAllMemberships(tx, companyId);
    // Every member is told (issue 5): the Company and its Apps are gone for all of them, each in their language.
    const prefsOf = await accountsRepo.mailPrefsFor(tx, people.map((p) => p.email));
    for (const person of people) {
      await enqueueMail(tx, companyDeletedMail({ to: person.email, actor, company: company.name, role: person.role, apps: apps.map((a) => a.name) }, prefsOf(person.email)), now);
    }
    await companiesRepo.update(tx, companyId, { deletedAt: now });
    await recordActivity(tx, {
      at: now, actor, companyId, action: 'company.deleted', category: 'company',
      details: { name: company.name, appsDeleted: apps.map((a) => a.name), membershipsEnded: members },
    });
  }));
}
