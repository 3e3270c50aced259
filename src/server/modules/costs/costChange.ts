import type { Role } from '../../authz/permissions.js';
import type { DbOrTx } from '../../db/client.js';
import type { Ctx } from '../../services.js';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Actor } from '../accounts/session.js';
import { recordActivity } from '../activity/record.js';
import { isUniqueViolation } from '../apps/dbErrors.js';
import type { BillingContactRow } from '../billing/repo.js';
import type { Currency, Plan } from '../plans/catalogue.js';
import { monthlyPrice } from '../plans/pricing.js';
import { mailCostIncrease, mailCostRequested } from './mails.js';
import { costDetails, monthlyCost, type MonthlyCost } from './price.js';
import { costsRepo, type CostRequestRow } from './repo.js';
import { costRequestView, type CostRequestView } from './view.js';

/** SPEC 4.12: a request waits at most 7 days. */
export const COST_REQUEST_TTL_MS = 7 * 86_400_000;

/** A scale or booking about to be made, as the cost rules see it. */
export interface PlannedCostChange {
  kind: 'scale' | 'book';
  actor: Actor;
  /** The actor's role in the Company (from the server-side membership). */
  role: Role;
  company: { id: string; name: string };
  contact: BillingContactRow;
  appId: string | null;
  appName: string;
  region?: string;
  /** null for a booking: the Company paid nothing for this App before. */
  planBefore: Plan | null;
  planAfter: Plan;
}

/** An approved request being carried out: who asked, which request. */
export interface ApprovedRequest { id: string; requestedBy: { id: string; firstName: string; lastName: string; email: string } }

export function costsOf(ctx: Pick<Ctx, 'config'>, change: PlannedCostChange): { before: MonthlyCost; after: MonthlyCost } {
  const currency = change.contact.currency as Currency;
  const beforeNet = change.planBefore ? monthlyPrice(change.planBefore, currency).amount : 0;
  return {
    before: monthlyCost(ctx.config.seller, change.contact, beforeNet),
    after: monthlyCost(ctx.config.seller, change.contact, monthlyPrice(change.planAfter, currency).amount),
  };
}

/**
 * Before the change, in its transaction (the Company row is held FOR KEY SHARE, so the
 * owner's switch cannot flip underneath): in a Company that requires approval, a change by
 * an admin that raises the monthly cost is stored as a request, the owners are mailed, and
 * nothing else changes. Returns the request, or null when the change goes ahead.
 */
export async function requestIfApprovalNeeded(tx: DbOrTx, ctx: Pick<Ctx, 'config'>, at: Date, change: PlannedCostChange): Promise<CostRequestView | null> {
  if (change.role === 'owner') return null;
  const { before, after } = costsOf(ctx, change);
  if (after.net.amount <= before.net.amount) return null;
  if (!(await costsRepo.requiresApproval(tx, change.company.id))) return null;
  let row: CostRequestRow;
  try {
    row = await costsRepo.insert(tx, {
      id: newId('costreq'), companyId: change.company.id, kind: change.kind, appId: change.appId, appName: change.appName,
      region: change.region ?? null, billingContactId: change.contact.id, planBefore: change.planBefore, planAfter: change.planAfter,
      currency: change.contact.currency, monthlyBeforeCents: before.net.amount, monthlyAfterCents: after.net.amount,
      requestedBy: change.actor.id, state: 'pending', createdAt: at, expiresAt: new Date(at.getTime() + COST_REQUEST_TTL_MS),
    });
  } catch (err) {
    if (isUniqueViolation(err, 'cost_requests_one_pending_key')) {
      throw new AppError('conflict', `A request for "${change.appName}" is already waiting for an owner's approval.`);
    }
    throw err;
  }
  await recordActivity(tx, {
    at, actor: change.actor, companyId: change.company.id, app: change.appId ? { id: change.appId, name: change.appName } : null,
    action: 'cost_request.created', category: 'app',
    details: { costRequestId: row.id, kind: change.kind, planBefore: change.planBefore, planAfter: change.planAfter, ...costDetails(before, after) },
  });
  await mailCostRequested(tx, ctx.config, at, await costsRepo.owners(tx, change.company.id), {
    kind: change.kind, appName: change.appName, company: change.company, actor: change.actor, before, after, expiresAt: row.expiresAt,
  });
  return costRequestView(row, change.actor, at);
}

/**
 * After the change, in its transaction: when it raised the monthly cost, every owner but
 * the people who made it is mailed. Returns the amounts for the change's activity event.
 */
export async function noteCostChange(tx: DbOrTx, ctx: Pick<Ctx, 'config'>, at: Date, change: PlannedCostChange, approved?: ApprovedRequest | null) {
  const { before, after } = costsOf(ctx, change);
  if (after.net.amount > before.net.amount) {
    const billedFrom = change.kind === 'scale' ? new Date(at.getTime() + 86_400_000) : at;
    await mailCostIncrease(tx, ctx.config, at, await costsRepo.owners(tx, change.company.id), {
      kind: change.kind, appName: change.appName, company: change.company, billedFrom, before, after,
      actor: approved ? approved.requestedBy : change.actor, approver: approved ? change.actor : null,
    });
  }
  return { cost: costDetails(before, after), ...(approved ? { costRequestId: approved.id, requestedBy: approved.requestedBy.id } : {}) };
}
