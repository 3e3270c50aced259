import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { billingContacts, billingPeriods } from '../../db/schema.js';

export type BillingContactRow = typeof billingContacts.$inferSelect;
export type BillingPeriodRow = typeof billingPeriods.$inferSelect;

export const billingRepo = {
  async insertContact(tx: DbOrTx, row: typeof billingContacts.$inferInsert): Promise<BillingContactRow> {
    const [inserted] = await tx.insert(billingContacts).values(row).returning();
    return inserted;
  },

  /** A contact of this Company, or undefined (a contact id of another Company is not found). */
  async contact(tx: DbOrTx, companyId: string, id: string, lock = false): Promise<BillingContactRow | undefined> {
    const query = tx.select().from(billingContacts).where(and(eq(billingContacts.companyId, companyId), eq(billingContacts.id, id)));
    const [row] = lock ? await query.for('update') : await query;
    return row;
  },

  contacts(db: DbOrTx, companyId: string, after: string | null, limit: number): Promise<BillingContactRow[]> {
    return db.select().from(billingContacts)
      .where(and(eq(billingContacts.companyId, companyId), after ? gt(billingContacts.id, after) : undefined))
      .orderBy(asc(billingContacts.id)).limit(limit);
  },

  async updateContact(tx: DbOrTx, id: string, patch: Partial<typeof billingContacts.$inferInsert>): Promise<BillingContactRow> {
    const [row] = await tx.update(billingContacts).set(patch).where(eq(billingContacts.id, id)).returning();
    return row;
  },

  async openPeriod(tx: DbOrTx, appId: string): Promise<BillingPeriodRow | undefined> {
    const [row] = await tx.select().from(billingPeriods).where(and(eq(billingPeriods.appId, appId), isNull(billingPeriods.toDay)));
    return row;
  },

  async insertPeriod(tx: DbOrTx, row: typeof billingPeriods.$inferInsert): Promise<BillingPeriodRow> {
    const [inserted] = await tx.insert(billingPeriods).values(row).returning();
    return inserted;
  },

  async closePeriod(tx: DbOrTx, id: number, toDay: string): Promise<void> {
    await tx.update(billingPeriods).set({ toDay }).where(and(eq(billingPeriods.id, id), isNull(billingPeriods.toDay)));
  },

  async deletePeriod(tx: DbOrTx, id: number): Promise<void> {
    await tx.delete(billingPeriods).where(eq(billingPeriods.id, id));
  },

  periodsOf(db: DbOrTx, appId: string): Promise<BillingPeriodRow[]> {
    return db.select().from(billingPeriods).where(eq(billingPeriods.appId, appId)).orderBy(asc(billingPeriods.id));
  },
};
