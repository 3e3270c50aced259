import { z } from 'zod';
import type { SellerConfig } from '../../config.js';
import type { Currency } from '../plans/catalogue.js';
import type { Money } from '../plans/pricing.js';
import { monthlyCost } from './price.js';
import type { CostRequestRow } from './repo.js';

export const COST_REQUEST_STATES = ['pending', 'approved', 'declined', 'expired'] as const;
export type CostRequestState = (typeof COST_REQUEST_STATES)[number];

/** API.md "Domains and cost approvals", plus the plans and (owners only) the amounts with VAT. */
export interface CostRequestView {
  id: string;
  kind: 'scale' | 'book';
  appName: string;
  requestedBy: { firstName: string; lastName: string };
  monthlyBefore: Money;
  monthlyAfter: Money;
  state: CostRequestState;
  createdAt: string;
  expiresAt: string;
  planBefore: Record<string, string> | null;
  planAfter: Record<string, string>;
  decidedAt: string | null;
  /** Owners only (they see the billing contact, hence its VAT): the amounts including VAT. */
  monthlyBeforeWithVat?: Money;
  monthlyAfterWithVat?: Money;
}

const money = z.object({ amount: z.number().int(), currency: z.enum(['EUR', 'USD']) });
export const costRequestSchema = z.object({
  id: z.string(), kind: z.enum(['scale', 'book']), appName: z.string(),
  requestedBy: z.object({ firstName: z.string(), lastName: z.string() }),
  monthlyBefore: money, monthlyAfter: money, state: z.enum(COST_REQUEST_STATES), createdAt: z.string(), expiresAt: z.string(),
  planBefore: z.record(z.string(), z.string()).nullable(), planAfter: z.record(z.string(), z.string()), decidedAt: z.string().nullable(),
  monthlyBeforeWithVat: money.optional(), monthlyAfterWithVat: money.optional(),
});

/** A pending request past its expiry reads as expired at once, before the job has marked it. */
export function stateAt(row: Pick<CostRequestRow, 'state' | 'expiresAt'>, now: Date): CostRequestState {
  return row.state === 'pending' && row.expiresAt.getTime() <= now.getTime() ? 'expired' : (row.state as CostRequestState);
}

export function costRequestView(row: CostRequestRow, requestedBy: { firstName: string; lastName: string }, now: Date,
  withVat?: { seller: SellerConfig; contact: { country: string; vatNumber: string | null } }): CostRequestView {
  const currency = row.currency as Currency;
  const view: CostRequestView = {
    id: row.id, kind: row.kind as 'scale' | 'book', appName: row.appName,
    requestedBy: { firstName: requestedBy.firstName, lastName: requestedBy.lastName },
    monthlyBefore: { amount: row.monthlyBeforeCents, currency }, monthlyAfter: { amount: row.monthlyAfterCents, currency },
    state: stateAt(row, now), createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString(),
    planBefore: row.planBefore ?? null, planAfter: row.planAfter, decidedAt: row.decidedAt?.toISOString() ?? null,
  };
  if (withVat) {
    const contact = { ...withVat.contact, currency };
    view.monthlyBeforeWithVat = monthlyCost(withVat.seller, contact, row.monthlyBeforeCents).gross;
    view.monthlyAfterWithVat = monthlyCost(withVat.seller, contact, row.monthlyAfterCents).gross;
  }
  return view;
}

/** The 202 answer of a scale or booking that waits for an owner (API.md). */
export interface CostRequestAnswer { costRequest: CostRequestView }
export const costRequestAnswerSchema = z.object({ costRequest: costRequestSchema });
