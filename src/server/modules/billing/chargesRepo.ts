import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Currency, Plan } from '../plans/catalogue.js';
import type { PeriodInput } from './charges.js';

interface PeriodSqlRow {
  app_id: string; app_name: string; billing_contact_id: string; plan: Plan; monthly_price_cents: number;
  currency: Currency; from_day: string | Date; to_day: string | Date | null;
}

function day(value: string | Date | null): string | null {
  if (value === null) return null;
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}

function toInput(r: PeriodSqlRow): PeriodInput {
  return {
    appId: r.app_id, appName: r.app_name, billingContactId: r.billing_contact_id, plan: r.plan,
    monthlyPriceCents: Number(r.monthly_price_cents), currency: r.currency, fromDay: day(r.from_day)!, toDay: day(r.to_day),
  };
}

/** Billing periods read for charge computation; always scoped by Company or by contact. */
export const chargesRepo = {
  /** Periods of the Company's billing contacts that touch [fromDay, toDay]. */
  async periodsOfCompany(db: DbOrTx, companyId: string, fromDay: string, toDay: string): Promise<PeriodInput[]> {
    const result = await db.execute(sql`
      SELECT p.app_id, a.name AS app_name, p.billing_contact_id, p.plan, p.monthly_price_cents, p.currency, p.from_day, p.to_day
      FROM billing_periods p JOIN billing_contacts c ON c.id = p.billing_contact_id JOIN apps a ON a.id = p.app_id
      WHERE c.company_id = ${companyId} AND p.from_day <= ${toDay} AND (p.to_day IS NULL OR p.to_day >= ${fromDay})
      ORDER BY p.id`);
    return (result.rows as unknown as PeriodSqlRow[]).map(toInput);
  },

  /** Periods of one billing contact that touch [fromDay, toDay]. */
  async periodsOfContact(db: DbOrTx, contactId: string, fromDay: string, toDay: string): Promise<PeriodInput[]> {
    const result = await db.execute(sql`
      SELECT p.app_id, a.name AS app_name, p.billing_contact_id, p.plan, p.monthly_price_cents, p.currency, p.from_day, p.to_day
      FROM billing_periods p JOIN apps a ON a.id = p.app_id
      WHERE p.billing_contact_id = ${contactId} AND p.from_day <= ${toDay} AND (p.to_day IS NULL OR p.to_day >= ${fromDay})
      ORDER BY p.id`);
    return (result.rows as unknown as PeriodSqlRow[]).map(toInput);
  },

  /** Billing contacts with a period touching [fromDay, toDay], after `afterId`, in id order (the monthly run's pages). */
  async contactsWithCharges(db: DbOrTx, fromDay: string, toDay: string, afterId: string, limit: number): Promise<string[]> {
    const result = await db.execute(sql`
      SELECT DISTINCT p.billing_contact_id AS id FROM billing_periods p
      WHERE p.from_day <= ${toDay} AND (p.to_day IS NULL OR p.to_day >= ${fromDay}) AND p.billing_contact_id > ${afterId}
      ORDER BY p.billing_contact_id LIMIT ${limit}`);
    return (result.rows as unknown as { id: string }[]).map((r) => r.id);
  },
};
