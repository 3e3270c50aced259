import type { DbOrTx } from '../../db/client.js';
import type { Ctx } from '../../services.js';
import { AppError, validation } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals } from '../activity/record.js';
import { startBilling } from '../billing/periods.js';
import { billingRepo } from '../billing/repo.js';
import { requireCompany } from '../companies/access.js';
import { TRIAL_PLAN, type Currency, type Plan } from '../plans/catalogue.js';
import { noteCostChange, requestIfApprovalNeeded, type ApprovedRequest, type PlannedCostChange } from '../costs/costChange.js';
import { costsRepo } from '../costs/repo.js';
import type { CostRequestAnswer } from '../costs/view.js';
import { checkPlan, monthlyPrice } from '../plans/pricing.js';
import { isUniqueViolation } from './dbErrors.js';
import { appsRepo } from './repo.js';
import { appDetail, type AppDetail } from './view.js';
import { inTransaction } from '../../shared/transaction.js';
import { ensureRepository } from '../../ssh/repositories.js';

/**
 * Every App has a git repository from its creation on (SPEC 4.9), named by the App's id: made
 * after the App's transaction committed. Should that fail (a full disk, say), the App still
 * exists and the SSH server makes the repository on the first connection (ADR 0036), so the
 * failure is logged, not shown to the person creating the App.
 */
async function createRepository(ctx: Ctx, appId: string): Promise<void> {
  try {
    await ensureRepository(ctx.config.reposDir, appId);
  } catch (err) {
    ctx.log.error({ err, appId }, 'apps: the git repository could not be created; it is made on the first SSH connection');
  }
}

function nameTaken(name: string) {
  const message = `The name "${name}" is taken (or was used by an App deleted less than 7 days ago). Please choose another.`;
  return new AppError('app_name_taken', message, [{ path: 'name', message }]);
}

/**
 * A trial App: verified Accounts only, one at a time (the partial unique index
 * apps_one_trial_per_account_key decides races), free, ends after TRIAL_PERIOD.
 */
export async function createTrialApp(ctx: Ctx, actor: Actor, input: { name: string; region: string }): Promise<AppDetail> {
  if (!actor.emailVerified) throw new AppError('email_not_verified', 'Please confirm your e-mail address before creating a trial App.');
  const now = ctx.clock.now();
  const trialLimit = () => new AppError('trial_limit', 'You can have one trial App at a time. Delete it, or book it into a Company, to start another.');
  if (await appsRepo.trialOf(ctx.db, actor.id)) throw trialLimit();
  const id = newId('app');
  let created: AppDetail;
  try {
    created = await inTransaction(ctx.db, async (tx) => {
      if (!(await appsRepo.claimName(tx, input.name, id, now))) throw nameTaken(input.name);
      const app = await appsRepo.insert(tx, {
        id, name: input.name, region: input.region, status: 'trial', trialAccountId: actor.id, createdBy: actor.id,
        plan: { ...TRIAL_PLAN }, trialEndsAt: new Date(now.getTime() + ctx.config.trialPeriodMs), createdAt: now,
      });
      await recordActivity(tx, { at: now, actor, companyId: null, app, action: 'app.trial_created', category: 'app', details: { region: app.region, trialEndsAt: app.trialEndsAt } });
      return appDetail(app, null, 'trial', null, ctx.config.appsDomain);
    });
  } catch (err) {
    if (isUniqueViolation(err, 'apps_one_trial_per_account_key')) throw trialLimit();
    if (isUniqueViolation(err, 'apps_live_name_key') || isUniqueViolation(err, 'app_names_pkey')) throw nameTaken(input.name);
    throw err;
  }
  await createRepository(ctx, id);
  return created;
}

export interface BookAppInput { name: string; region: string; companyId: string; billingContactId: string; plan: Record<string, string> }

/**
 * Books an App for a Company (owner or admin) on one of its billing contacts; billing starts
 * today. The owners hear of it; in a Company that requires approval an admin's booking is a
 * cost request instead, and nothing is made until an owner approves (SPEC 4.12, ADR 0080).
 */
export async function bookApp(ctx: Ctx, actor: Actor, input: BookAppInput): Promise<AppDetail | CostRequestAnswer> {
  const now = ctx.clock.now();
  const plan = checkPlan(input.plan);
  const id = newId('app');
  const created = await recordRefusals(ctx.db, () => inTransaction(ctx.db, (tx) => bookAppIn(tx, ctx, now, actor, { ...input, plan }, id)));
  if (!('costRequest' in created)) await createRepository(ctx, id);
  return created;
}

/**
 * The booking in the caller's transaction; with `approved`, an owner carries out a cost
 * request. The caller makes the git repository after commit (`createAppRepository`).
 */
export async function bookAppIn(tx: DbOrTx, ctx: Ctx, now: Date, actor: Actor, input: BookAppInput & { plan: Plan }, id: string, approved?: ApprovedRequest): Promise<AppDetail | CostRequestAnswer> {
  const plan = input.plan;
  const { company, role } = await requireCompany(tx, now, actor, input.companyId, 'app.book', { lock: true });
  const contact = await billingRepo.contact(tx, company.id, input.billingContactId);
  if (!contact) throw validation('billingContactId', 'Choose a billing contact of this Company.');
  const change: PlannedCostChange = {
    kind: 'book', actor, role, company: { id: company.id, name: company.name }, contact, appId: null, appName: input.name, region: input.region, planBefore: null, planAfter: plan,
  };
  if (!approved) {
    if (role !== 'owner' && !(await costsRepo.nameFree(tx, input.name, now))) throw nameTaken(input.name);
    const costRequest = await requestIfApprovalNeeded(tx, ctx, now, change);
    if (costRequest) return { costRequest };
  }
  try {
    if (!(await appsRepo.claimName(tx, input.name, id, now))) throw nameTaken(input.name);
    const app = await appsRepo.insert(tx, {
      id, name: input.name, region: input.region, status: 'active', companyId: company.id, billingContactId: contact.id,
      createdBy: approved ? approved.requestedBy.id : actor.id, plan, createdAt: now,
    });
    const currency = contact.currency as Currency;
    await startBilling(tx, app.id, { billingContactId: contact.id, currency, plan }, now);
    const cost = await noteCostChange(tx, ctx, now, { ...change, appId: app.id }, approved);
    await recordActivity(tx, {
      at: now, actor, companyId: company.id, app, action: 'app.booked', category: 'app',
      details: { region: app.region, plan, billingContact: { id: contact.id, name: contact.name }, monthlyPrice: monthlyPrice(plan, currency), ...cost },
    });
    return appDetail(app, { id: company.id, name: company.name }, role === 'owner' ? 'owner' : 'admin', contact, ctx.config.appsDomain);
  } catch (err) {
    if (isUniqueViolation(err, 'apps_live_name_key') || isUniqueViolation(err, 'app_names_pkey')) throw nameTaken(input.name);
    throw err;
  }
}

/** The git repository of a booked App, after its transaction committed (see createRepository). */
export const createAppRepository = createRepository;
