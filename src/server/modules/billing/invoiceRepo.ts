import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { invoiceCounters, invoices } from '../../db/schema.js';

export type InvoiceRow = typeof invoices.$inferSelect;

/** Invoice queries; reads for people are always scoped by Company. */
export const invoiceRepo = {
  /**
   * Takes the seller's next number: the counter row stays locked until the transaction ends,
   * so numbers are handed out in commit order and a rollback gives its number back (gapless).
   */
  async takeNumber(tx: DbOrTx, seller: string): Promise<number> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await tx.execute(sql`UPDATE invoice_counters SET last_number = last_number + 1 WHERE seller = ${seller} RETURNING last_number`);
      const row = (result.rows as unknown as { last_number: number }[])[0];
      if (row) return Number(row.last_number);
      await tx.execute(sql`INSERT INTO invoice_counters (seller, last_number) VALUES (${seller}, 0) ON CONFLICT (seller) DO NOTHING`);
    }
    throw new Error(`invoice counter ${seller} could not be created`);
  },

  /**
   * Locks the seller's counter row until the transaction ends (creating it on first use) and
   * returns the last number taken. The numbering transaction of the monthly run (ADR 0106)
   * takes this lock, then checks which invoices exist (a statement after the lock sees every
   * invoice committed before it), then sets the counter with `counterTo`.
   */
  async lockCounter(tx: DbOrTx, seller: string): Promise<number> {
    const result = await tx.execute(sql`INSERT INTO invoice_counters (seller, last_number) VALUES (${seller}, 0)
      ON CONFLICT (seller) DO UPDATE SET last_number = invoice_counters.last_number RETURNING last_number`);
    return Number((result.rows as unknown as { last_number: number }[])[0].last_number);
  },

  /** The counter update after lockCounter, as a builder for a write batch. */
  counterTo(tx: DbOrTx, seller: string, lastNumber: number) {
    return tx.update(invoiceCounters).set({ lastNumber }).where(eq(invoiceCounters.seller, seller));
  },

  /** Which of these contacts have an invoice (or credit note) of the month. */
  async existingOf(tx: DbOrTx, contactIds: string[], month: string, kind: 'invoice' | 'credit_note'): Promise<Set<string>> {
    if (contactIds.length === 0) return new Set();
    const rows = await tx.select({ id: invoices.billingContactId }).from(invoices)
      .where(and(inArray(invoices.billingContactId, contactIds), eq(invoices.month, month), eq(invoices.kind, kind)));
    return new Set(rows.map((r) => r.id));
  },

  async insert(tx: DbOrTx, row: typeof invoices.$inferInsert): Promise<InvoiceRow> {
    const [inserted] = await tx.insert(invoices).values(row).returning();
    return inserted;
  },

  async ofCompany(db: DbOrTx, companyId: string, invoiceId: string): Promise<InvoiceRow | undefined> {
    const [row] = await db.select().from(invoices).where(and(eq(invoices.companyId, companyId), eq(invoices.id, invoiceId)));
    return row;
  },

  /** Newest first; the cursor is the last row's (issued_at, id). */
  listOfCompany(db: DbOrTx, companyId: string, after: { issuedAt: Date; id: string } | null, limit: number): Promise<InvoiceRow[]> {
    return db.select().from(invoices)
      .where(and(eq(invoices.companyId, companyId), after
        ? or(lt(invoices.issuedAt, after.issuedAt), and(eq(invoices.issuedAt, after.issuedAt), lt(invoices.id, after.id)))
        : undefined))
      .orderBy(desc(invoices.issuedAt), desc(invoices.id)).limit(limit);
  },

  async byNumber(db: DbOrTx, number: string, lock = false): Promise<InvoiceRow | undefined> {
    const query = db.select().from(invoices).where(eq(invoices.number, number));
    const [row] = lock ? await query.for('update') : await query;
    return row;
  },

  async byId(db: DbOrTx, id: string, lock = false): Promise<InvoiceRow | undefined> {
    const query = db.select().from(invoices).where(eq(invoices.id, id));
    const [row] = lock ? await query.for('update') : await query;
    return row;
  },

  async update(tx: DbOrTx, id: string, patch: Partial<Pick<InvoiceRow, 'state' | 'nextChargeAt' | 'chargeAttempts' | 'paidAt' | 'suspendedAt' | 'stateChangedAt' | 'mailedAt'>>): Promise<InvoiceRow> {
    const [row] = await tx.update(invoices).set(patch).where(eq(invoices.id, id)).returning();
    return row;
  },

  /** The credit note of an invoice, if any. */
  async creditOf(db: DbOrTx, invoiceId: string): Promise<InvoiceRow | undefined> {
    const [row] = await db.select().from(invoices).where(eq(invoices.creditsInvoiceId, invoiceId));
    return row;
  },
};

export function formatInvoiceNumber(prefix: string, issuedAt: Date, n: number): string {
  return `${prefix}-${issuedAt.getUTCFullYear()}-${String(n).padStart(6, '0')}`;
}
