import type { DbOrTx } from '../../db/client.js';
import type { Ctx } from '../../services.js';
import { AppError, notFound } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { inTransaction } from '../../shared/transaction.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity, recordRefusals } from '../activity/record.js';
import { lockApp } from '../apps/access.js';
import { bookAppIn, createAppRepository } from '../apps/createApp.js';
import { scaleAppIn } from '../apps/manageApp.js';
import { requireCompany } from '../companies/access.js';
import { samePlan } from '../plans/pricing.js';
import type { Plan } from '../plans/catalogue.js';
import { mailCostOutcome } from './mails.js';
import { costsRepo, type CostRequestRow, type Person } from './repo.js';
import { costRequestView, stateAt, type CostRequestView } from './view.js';

const changed = (why: string) => new AppError('conflict', `${why} The request can no longer be approved as it was asked; decline it and ask for a new one.`);

/** The locked request, still pending and not expired; else 404 or 409 (the loser of a race lands here). */
async function pendingRequest(tx: DbOrTx, companyId: string, requestId: string, now: Date): Promise<CostRequestRow> {
  const row = await costsRepo.lock(tx, companyId, requestId);
  if (!row) throw notFound('This request');
  const state = stateAt(row, now);
  if (state !== 'pending') throw new AppError('conflict', state === 'expired' ? 'This request has expired; nothing was changed.' : `This request was already ${state}.`);
  return row;
}

async function requesterOf(tx: DbOrTx, row: CostRequestRow): Promise<Person> {
  const person = await costsRepo.person(tx, row.requestedBy);
  if (!person) throw new Error(`cost request ${row.id} without its requester`);
  return person;
}

/**
 * An owner approves a cost request (SPEC 4.12): in one transaction the Company (KEY SHARE),
 * the owner's membership and the request row (FOR UPDATE) are locked, the change is checked
 * again against what was asked (the App, its plan, the requester's role, the name) and made
 * with the same code as a direct scale or booking. Approve, decline and a second approve
 * wait for each other on the request row: exactly one wins, the others get 409.
 */
export async function approveCostRequest(ctx: Ctx, actor: Actor, companyId: string, requestId: string): Promise<CostRequestView> {
  const now = ctx.clock.now();
  const appId = newId('app');
  let booked = false;
  const view = await recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    const { company } = await requireCompany(tx, now, actor, companyId, 'company.costApproval', { lock: true });
    const row = await pendingRequest(tx, company.id, requestId, now);
    const requester = await requesterOf(tx, row);
    const role = await costsRepo.roleOf(tx, company.id, requester.id);
    if (role !== 'admin' && role !== 'owner') throw changed(`${requester.firstName} ${requester.lastName} is no longer an admin of this Company.`);
    const approved = { id: row.id, requestedBy: requester };
    const planAfter = row.planAfter as Plan;
    if (row.kind === 'scale') {
      const locked = await lockApp(tx, row.appName);
      if (!locked || locked.app.id !== row.appId || locked.app.companyId !== company.id) throw changed(`The App "${row.appName}" is no longer in this Company.`);
      if (!row.planBefore || !samePlan(locked.app.plan, row.planBefore as Plan)) throw changed(`The plan of "${row.appName}" was changed since the request.`);
      await scaleAppIn(tx, ctx, now, actor, row.appName, planAfter, approved);
    } else {
      if (!row.region) throw new Error(`booking request ${row.id} without a region`);
      await bookAppIn(tx, ctx, now, actor, { name: row.appName, region: row.region, companyId: company.id, billingContactId: row.billingContactId, plan: planAfter }, appId, approved);
      booked = true;
    }
    const decided = await costsRepo.decide(tx, row.id, { state: 'approved', at: now, by: actor.id, ...(booked ? { appId } : {}) });
    if (!decided) throw new AppError('conflict', 'This request was decided by someone else a moment ago.');
    await recordActivity(tx, {
      at: now, actor, companyId: company.id, app: decided.appId ? { id: decided.appId, name: decided.appName } : null, action: 'cost_request.approved', category: 'app',
      details: { costRequestId: row.id, kind: row.kind, requestedBy: requester.id, currency: row.currency, monthlyBeforeCents: row.monthlyBeforeCents, monthlyAfterCents: row.monthlyAfterCents },
    });
    await mailCostOutcome(tx, ctx.config, now, requester, { state: 'approved', kind: row.kind as 'scale' | 'book', appName: row.appName, company, owner: actor });
    return viewFor(tx, ctx, decided, requester, now);
  }));
  if (booked) await createAppRepository(ctx, appId);
  return view;
}

/** An owner declines a cost request: nothing changes but its state; the requester is mailed. */
export async function declineCostRequest(ctx: Ctx, actor: Actor, companyId: string, requestId: string): Promise<CostRequestView> {
  const now = ctx.clock.now();
  return recordRefusals(ctx.db, () => inTransaction(ctx.db, async (tx) => {
    const { company } = await requireCompany(tx, now, actor, companyId, 'company.costApproval', { lock: true });
    const row = await pendingRequest(tx, company.id, requestId, now);
    const requester = await requesterOf(tx, row);
    const decided = await costsRepo.decide(tx, row.id, { state: 'declined', at: now, by: actor.id });
    if (!decided) throw new AppError('conflict', 'This request was decided by someone else a moment ago.');
    await recordActivity(tx, {
      at: now, actor, companyId: company.id, app: row.appId ? { id: row.appId, name: row.appName } : null, action: 'cost_request.declined', category: 'app',
      details: { costRequestId: row.id, kind: row.kind, requestedBy: requester.id, currency: row.currency, monthlyBeforeCents: row.monthlyBeforeCents, monthlyAfterCents: row.monthlyAfterCents },
    });
    await mailCostOutcome(tx, ctx.config, now, requester, { state: 'declined', kind: row.kind as 'scale' | 'book', appName: row.appName, company, owner: actor });
    return viewFor(tx, ctx, decided, requester, now);
  }));
}

/** The owner's view of a request: with the amounts including VAT. */
async function viewFor(tx: DbOrTx, ctx: Pick<Ctx, 'config'>, row: CostRequestRow, requester: Person, now: Date): Promise<CostRequestView> {
  const contact = await costsRepo.contactOf(tx, row);
  return costRequestView(row, requester, now, contact ? { seller: ctx.config.seller, contact } : undefined);
}
