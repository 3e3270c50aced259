import type { Ctx } from '../../services.js';
import { AppError, notFound } from '../../shared/errors.js';
import { addDays, dayOf } from '../../shared/clock.js';
import { requireFresh } from '../accounts/reauth.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals, RefusedError } from '../activity/record.js';
import { requireApp } from '../apps/access.js';
import { appsRepo } from '../apps/repo.js';
import { appDetail, type AppDetail } from '../apps/view.js';
import { changeBilling } from '../billing/periods.js';
import { billingRepo } from '../billing/repo.js';
import { requireTwoFactorPolicy } from '../companies/access.js';
import { companiesRepo } from '../companies/repo.js';
import { invitationsRepo } from '../invitations/repo.js';
import { formatDay, personName } from '../invitations/wording.js';
import { accountsRepo } from '../accounts/repo.js';
import { createTranslator } from '../../../shared/i18n/index.js';
import { enqueueMail } from '../mail/outbox.js';
import type { Currency, Plan } from '../plans/catalogue.js';
import { inTransaction, RetryTransaction } from '../../shared/transaction.js';

export interface TransferInput { toCompanyId: string; billingContactId: string }

/**
 * SPEC 4.5: an owner of both Companies moves a non-trial App and picks the target billing
 * contact. Billing cuts over by day (old contact through today, new from tomorrow). The
 * App row and both Company rows are locked; if the App moved since the caller looked, the
 * request is refused, so of two racing transfers exactly one wins.
 */
export async function transferApp(ctx: Ctx, actor: Actor, appName: string, input: TransferInput): Promise<AppDetail> {
  const now = ctx.clock.now();
  const seen = await appsRepo.byName(ctx.db, appName);
  return recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    // Both Companies first (id order), then the App: docs/decisions/0016-lock-order.md.
    const peek = await appsRepo.byName(tx, appName);
    await companiesRepo.lockAll(tx, [peek?.app.companyId, input.toCompanyId]);
    const found = await requireApp(tx, now, actor, appName, 'app.view', { lock: true });
    if (found.app.status === 'trial') {
      throw new AppError('app_is_trial', 'A trial App belongs to you, not to a Company. Hand it over to a client or book it for a Company instead.');
    }
    if (!seen || seen.app.companyId !== found.app.companyId) throw new AppError('conflict', 'This App was moved in the meantime; reload the page.');
    const from = found.app.companyId!;
    if (from === input.toCompanyId) throw new AppError('validation_failed', 'The App already belongs to this Company.', [{ path: 'toCompanyId', message: 'Choose another Company.' }]);
    if (found.access.kind !== 'member' || found.access.role !== 'owner') {
      throw new RefusedError({ at: now, actor, companyId: from, app: found.app, action: 'app.transfer', category: 'app', details: { to: input.toCompanyId } },
        'Only an owner of both Companies can move an App.');
    }
    if (from !== peek?.app.companyId) throw new RetryTransaction(`App ${appName} moved while it was being locked`);
    const source = await companiesRepo.access(tx, actor.id, from);
    const target = await companiesRepo.access(tx, actor.id, input.toCompanyId);
    if (!target) throw notFound('The target Company');
    // The target may require two-factor though the App's Company does not (ADR 0100).
    requireTwoFactorPolicy(target.company, actor);
    if (source?.role !== 'owner' || target.role !== 'owner') {
      throw new RefusedError({ at: now, actor, companyId: from, app: found.app, action: 'app.transfer', category: 'app', details: { to: input.toCompanyId } },
        'Only an owner of both Companies can move an App.');
    }
    if (source.company.blockTransfersOut) {
      throw new AppError('transfers_blocked', `"${source.company.name}" blocks transfers out. An owner can switch this off on the Company page.`);
    }
    const contact = await billingRepo.contact(tx, input.toCompanyId, input.billingContactId, true);
    if (!contact) throw new AppError('validation_failed', 'Choose a billing contact of the target Company.', [{ path: 'billingContactId', message: 'Not a billing contact of the target Company.' }]);
    // Moving an App needs the password within 10 minutes (SPEC 4.10): asked of owners only,
    // once the move is otherwise allowed, before anything changes.
    await requireFresh(tx, actor, now, 'Moving an App to another Company');

    const plan = found.app.plan as Plan;
    const app = await appsRepo.update(tx, found.app.id, { companyId: target.company.id, billingContactId: contact.id });
    await appsRepo.unassignAll(tx, app.id);
    await changeBilling(tx, app.id, { billingContactId: contact.id, currency: contact.currency as Currency, plan }, now);
    await invitationsRepo.revokeOpenForApp(tx, app.id, now);
    const details = { from: { companyId: from, name: source.company.name }, to: { companyId: target.company.id, name: target.company.name }, billingContactId: contact.id, oldPaysThrough: dayOf(now), newPaysFrom: addDays(dayOf(now), 1) };
    await recordActivity(tx, { at: now, actor, companyId: from, app, action: 'app.transferred_out', category: 'app', details });
    await recordActivity(tx, { at: now, actor, companyId: target.company.id, app, action: 'app.transferred_in', category: 'app', details });
    await recordActivity(tx, { at: now, actor, companyId: from, app, action: 'billing.app_removed', category: 'billing', details: { throughDay: dayOf(now) } });
    await recordActivity(tx, { at: now, actor, companyId: target.company.id, app, action: 'billing.app_added', category: 'billing', details: { contactId: contact.id, fromDay: addDays(dayOf(now), 1) } });

    const owners = [...new Set([...(await companiesRepo.ownerEmails(tx, from)), ...(await companiesRepo.ownerEmails(tx, target.company.id))])];
    const tomorrow = new Date(`${addDays(dayOf(now), 1)}T00:00:00Z`);
    // Each owner reads it in their Account's language (ADR 0050, 0070), all looked up in one query.
    const prefsOf = await accountsRepo.mailPrefsFor(tx, owners);
    for (const to of owners) {
      const { language } = prefsOf(to);
      const t = createTranslator(language);
      const words = { app: app.name, from: source.company.name, to: target.company.name };
      await enqueueMail(tx, {
        kind: 'app-transferred', to, language,
        subject: t('mail.appTransferred.subject', words),
        paragraphs: [
          t('mail.appTransferred.body', { ...words, actor: personName(actor, language) }),
          t('mail.appTransferred.billing', { ...words, through: formatDay(now, language), payFrom: formatDay(tomorrow, language), contact: contact.name }),
        ],
        action: { label: t('mail.appTransferred.action'), url: `${ctx.config.publicUrl}/apps/${app.name}` },
      }, now);
    }
    return appDetail(app, { id: target.company.id, name: target.company.name }, 'owner', { id: contact.id, name: contact.name, currency: contact.currency }, ctx.config.appsDomain);
  }));
}
