import type { DbOrTx } from '../../db/client.js';
import { addDays, dayOf } from '../../shared/clock.js';
import type { Currency, Plan } from '../plans/catalogue.js';
import { monthlyPrice } from '../plans/pricing.js';
import { billingRepo } from './repo.js';

/**
 * Billing periods: who pays how much for an App, from which day to which day (inclusive,
 * UTC days), so daily-prorated invoices can be computed later.
 *
 * Day rule (SPEC 4.1.8, docs/decisions/0012-billing-day-rule.md): booking pays from the day
 * it happens; after a change (scale, and later handover or transfer) the previous terms pay
 * through the day of the change and the new terms from the next day; deletion ends the
 * period on the day of deletion. A period that has not begun yet is replaced, not closed.
 */
export interface BillingTerms { billingContactId: string; currency: Currency; plan: Plan }

export async function startBilling(tx: DbOrTx, appId: string, terms: BillingTerms, now: Date): Promise<void> {
  await billingRepo.insertPeriod(tx, {
    appId, billingContactId: terms.billingContactId, plan: terms.plan,
    monthlyPriceCents: monthlyPrice(terms.plan, terms.currency).amount, currency: terms.currency, fromDay: dayOf(now),
  });
}

export async function changeBilling(tx: DbOrTx, appId: string, terms: BillingTerms, now: Date): Promise<void> {
  const today = dayOf(now);
  const open = await billingRepo.openPeriod(tx, appId);
  let fromDay = addDays(today, 1);
  if (open && open.fromDay > today) {
    fromDay = open.fromDay;
    await billingRepo.deletePeriod(tx, open.id);
  } else if (open) {
    await billingRepo.closePeriod(tx, open.id, today);
  }
  await billingRepo.insertPeriod(tx, {
    appId, billingContactId: terms.billingContactId, plan: terms.plan,
    monthlyPriceCents: monthlyPrice(terms.plan, terms.currency).amount, currency: terms.currency, fromDay,
  });
}

export async function stopBilling(tx: DbOrTx, appId: string, now: Date): Promise<void> {
  const today = dayOf(now);
  const open = await billingRepo.openPeriod(tx, appId);
  if (!open) return;
  if (open.fromDay > today) await billingRepo.deletePeriod(tx, open.id);
  else await billingRepo.closePeriod(tx, open.id, today);
}
