import type { DbOrTx } from '../../db/client.js';
import type { Ctx } from '../../services.js';
import { AppError } from '../../shared/errors.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals } from '../activity/record.js';
import { changeBilling } from '../billing/periods.js';
import { suspensionOf } from '../billing/suspension.js';
import { billingRepo } from '../billing/repo.js';
import { withVat } from '../billing/quote.js';
import type { Currency, Plan } from '../plans/catalogue.js';
import { noteCostChange, requestIfApprovalNeeded, type ApprovedRequest, type PlannedCostChange } from '../costs/costChange.js';
import type { CostRequestAnswer } from '../costs/view.js';
import { checkPlan, monthlyPrice, samePlan } from '../plans/pricing.js';
import { requireApp, type AppContext } from './access.js';
import { markAppDeleted } from './lifecycle.js';
import type { AppRow } from './repo.js';
import { appsRepo } from './repo.js';
import { accessName, appDetail, type AppDetail } from './view.js';
import { inTransaction } from '../../shared/transaction.js';

async function detail(tx: DbOrTx, app: AppRow, ctx: AppContext, appsDomain: string, seller?: { country: string }): Promise<AppDetail> {
  const contact = app.companyId && app.billingContactId ? await billingRepo.contact(tx, app.companyId, app.billingContactId) : undefined;
  const view = appDetail(app, ctx.company, accessName(ctx.access), contact ?? null, appsDomain);
  // What the owner pays a month with VAT, by the invoices' rules (issue 17: the client's view).
  // Owners only: the rate tells the contact's country and VAT status, which admins and
  // collaborators do not see (they see the billing contact by name only, ADR 0080).
  if (!seller || !contact || accessName(ctx.access) !== 'owner') return view;
  const { vatRate, ...amounts } = withVat(seller, contact, view.monthlyPrice);
  return { ...view, monthlyCost: { ...amounts, vatRate } };
}

export async function getApp(ctx: Ctx, actor: Actor, name: string): Promise<AppDetail> {
  return recordRefusals(ctx.db, async () => {
    const found = await requireApp(ctx.db, ctx.clock.now(), actor, name, 'app.view');
    const view = await detail(ctx.db, found.app, found, ctx.config.appsDomain, { country: ctx.config.seller.country });
    // SPEC 4.8: owners and admins see why an App is suspended (the unpaid invoice).
    const access = accessName(found.access);
    if (found.app.status === 'suspended' && (access === 'owner' || access === 'admin')) {
      const suspension = await suspensionOf(ctx.db, found.app.id);
      if (suspension) return { ...view, suspension: { reason: suspension.reason, invoiceNumber: suspension.invoiceNumber, since: suspension.since } };
    }
    return view;
  });
}

export async function updateAppNotes(ctx: Ctx, actor: Actor, name: string, patch: { notes?: string }): Promise<AppDetail> {
  const now = ctx.clock.now();
  return recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    const found = await requireApp(tx, now, actor, name, 'app.settings', { lock: true });
    let app = found.app;
    if (patch.notes !== undefined && patch.notes !== app.notes) {
      app = await appsRepo.update(tx, app.id, { notes: patch.notes });
      await recordActivity(tx, {
        at: now, actor, companyId: app.companyId, app, action: 'app.notes_changed', category: 'app',
        details: { before: { notes: found.app.notes }, after: { notes: app.notes } },
      });
    }
    return detail(tx, app, found, ctx.config.appsDomain);
  }));
}

/** Deletes an App (owner, admin, or the trial's creator); the name is reserved for 7 days. */
export async function deleteApp(ctx: Ctx, actor: Actor, name: string): Promise<void> {
  const now = ctx.clock.now();
  await recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    const found = await requireApp(tx, now, actor, name, 'app.delete', { lock: true });
    await markAppDeleted(tx, found.app, now);
    await recordActivity(tx, { at: now, actor, companyId: found.app.companyId, app: found.app, action: 'app.deleted', category: 'app', details: { status: found.app.status } });
  }));
}

/**
 * Scales an App (owner or admin): the plan changes now; billing closes today and the new
 * plan pays from tomorrow. A trial App stays on the trial plan until it is booked. A raise
 * of the monthly cost is mailed to the owners; in a Company that requires approval an
 * admin's raise becomes a cost request instead (SPEC 4.12, ADR 0080).
 */
export async function scaleApp(ctx: Ctx, actor: Actor, name: string, input: { plan: Record<string, string> }): Promise<AppDetail | CostRequestAnswer> {
  const now = ctx.clock.now();
  const plan = checkPlan(input.plan);
  return recordRefusals(ctx.db, () => inTransaction(ctx.db, (tx) => scaleAppIn(tx, ctx, now, actor, name, plan)));
}

/** The scale in the caller's transaction; with `approved`, an owner carries out a cost request (no second request). */
export async function scaleAppIn(tx: DbOrTx, ctx: Ctx, now: Date, actor: Actor, name: string, plan: Plan, approved?: ApprovedRequest): Promise<AppDetail | CostRequestAnswer> {
  const found = await requireApp(tx, now, actor, name, 'app.scale', { lock: true });
  const before = found.app;
  if (before.status === 'trial') throw new AppError('app_is_trial', 'A trial App runs on the trial plan. Hand it over or book an App to choose a plan.');
  if (samePlan(before.plan, plan)) return detail(tx, before, found, ctx.config.appsDomain);
  const contact = await billingRepo.contact(tx, before.companyId!, before.billingContactId!);
  if (!contact) throw new Error(`App ${before.id} without its billing contact`);
  const currency = contact.currency as Currency;
  const change: PlannedCostChange = {
    kind: 'scale', actor, role: found.access.kind === 'member' ? found.access.role : 'owner', company: found.company!, contact,
    appId: before.id, appName: before.name, planBefore: before.plan, planAfter: plan,
  };
  if (!approved) {
    const costRequest = await requestIfApprovalNeeded(tx, ctx, now, change);
    if (costRequest) return { costRequest };
  }
  const app = await appsRepo.update(tx, before.id, { plan });
  await changeBilling(tx, app.id, { billingContactId: contact.id, currency, plan }, now);
  const cost = await noteCostChange(tx, ctx, now, change, approved);
  await recordActivity(tx, {
    at: now, actor, companyId: app.companyId, app, action: 'app.scaled', category: 'app',
    details: {
      before: { plan: before.plan, monthlyPrice: monthlyPrice(before.plan, currency) },
      after: { plan, monthlyPrice: monthlyPrice(plan, currency) },
      ...cost,
    },
  });
  return detail(tx, app, found, ctx.config.appsDomain);
}
