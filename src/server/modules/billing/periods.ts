import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { WriteBatch } from '../../db/writeBatch.js';
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

/**
 * `changeBilling` as part of a write batch (issue 14: the handover's writes in one statement):
 * the same rule, as ordered CTEs. The new period is inserted only after the open one is closed
 * (or removed, when it had not begun): its insert reads both results, so PostgreSQL runs them
 * first, and the one-open-period unique index never sees two open periods.
 */
export function changeBillingInBatch(batch: WriteBatch, appId: string, terms: BillingTerms, now: Date): void {
  const today = dayOf(now);
  const tomorrow = addDays(today, 1);
  const p = batch.prefix();
  const open = sql.identifier(`${p}open`);
  const closed = sql.identifier(`${p}closed`);
  const removed = sql.identifier(`${p}removed`);
  const inserted = sql.identifier(`${p}inserted`);
  const cents = monthlyPrice(terms.plan, terms.currency).amount;
  batch.addGroup(sql`${open} AS (
      SELECT id, from_day FROM billing_periods WHERE app_id = ${appId} AND to_day IS NULL FOR UPDATE
    ), ${closed} AS (
      UPDATE billing_periods SET to_day = ${today}::date
      WHERE id IN (SELECT id FROM ${open} WHERE from_day <= ${today}::date) RETURNING id
    ), ${removed} AS (
      DELETE FROM billing_periods WHERE id IN (SELECT id FROM ${open} WHERE from_day > ${today}::date) RETURNING from_day
    ), ${inserted} AS (
      INSERT INTO billing_periods (app_id, billing_contact_id, plan, monthly_price_cents, currency, from_day)
      SELECT ${appId}, ${terms.billingContactId}, ${JSON.stringify(terms.plan)}::jsonb, ${cents}, ${terms.currency},
             COALESCE((SELECT from_day FROM ${removed}), ${tomorrow}::date)
      WHERE (SELECT count(*) FROM ${closed}) >= 0
    )`);
}

export async function stopBilling(tx: DbOrTx, appId: string, now: Date): Promise<void> {
  const today = dayOf(now);
  const open = await billingRepo.openPeriod(tx, appId);
  if (!open) return;
  if (open.fromDay > today) await billingRepo.deletePeriod(tx, open.id);
  else await billingRepo.closePeriod(tx, open.id, today);
}
