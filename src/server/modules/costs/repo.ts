import { and, desc, eq, gt, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { accounts, billingContacts, companies, costRequests, memberships } from '../../db/schema.js';
import { NAME_RESERVATION_DAYS } from '../apps/repo.js';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../../../shared/i18n/index.js';

export type CostRequestRow = typeof costRequests.$inferSelect;
export interface Person { id: string; email: string; firstName: string; lastName: string; language: Language; timeZone: string | null }

interface PersonRow { id: string; email: string; first_name: string; last_name: string; language: string | null; time_zone: string | null }

function person(row: PersonRow): Person {
  return { id: row.id, email: row.email, firstName: row.first_name, lastName: row.last_name, language: isLanguage(row.language) ? row.language : DEFAULT_LANGUAGE, timeZone: row.time_zone ?? null };
}

/** The recipient's language and time zone (ADR 0070): null language means English for mails. */
const PERSON = sql.raw('a.id, a.email, a.first_name, a.last_name, a.language, a.time_zone');

/** Queries for cost requests and the people they are mailed to; always scoped by the Company. */
export const costsRepo = {
  async owners(tx: DbOrTx, companyId: string): Promise<Person[]> {
    const result = await tx.execute(sql`SELECT ${PERSON} FROM memberships m JOIN accounts a ON a.id = m.account_id
      WHERE m.company_id = ${companyId} AND m.role = 'owner' ORDER BY a.id`);
    return (result.rows as unknown as PersonRow[]).map(person);
  },

  async person(tx: DbOrTx, accountId: string): Promise<Person | undefined> {
    const result = await tx.execute(sql`SELECT ${PERSON} FROM accounts a WHERE a.id = ${accountId}`);
    const [row] = result.rows as unknown as PersonRow[];
    return row ? person(row) : undefined;
  },

  async requiresApproval(tx: DbOrTx, companyId: string): Promise<boolean> {
    const result = await tx.execute(sql`SELECT require_cost_approval FROM companies WHERE id = ${companyId}`);
    const [row] = result.rows as unknown as { require_cost_approval: boolean }[];
    return row?.require_cost_approval === true;
  },

  /** Whether an App name could be claimed now (the check of a booking request; the claim comes on approval). */
  async nameFree(tx: DbOrTx, name: string, now: Date): Promise<boolean> {
    const reusableBefore = new Date(now.getTime() - NAME_RESERVATION_DAYS * 86_400_000);
    const result = await tx.execute(sql`SELECT 1 FROM app_names WHERE name = ${name} AND (released_at IS NULL OR released_at > ${reusableBefore})`);
    return result.rows.length === 0;
  },

  async insert(tx: DbOrTx, row: typeof costRequests.$inferInsert): Promise<CostRequestRow> {
    const [inserted] = await tx.insert(costRequests).values(row).returning();
    return inserted;
  },

  /** One request of this Company, locked FOR UPDATE (approve and decline wait for each other). */
  async lock(tx: DbOrTx, companyId: string, id: string): Promise<CostRequestRow | undefined> {
    const [row] = await tx.select().from(costRequests).where(and(eq(costRequests.companyId, companyId), eq(costRequests.id, id))).for('update');
    return row;
  },

  /** The guarded state change: only a pending request changes, once. */
  async decide(tx: DbOrTx, id: string, change: { state: 'approved' | 'declined' | 'expired'; at: Date; by: string | null; appId?: string }): Promise<CostRequestRow | undefined> {
    const [row] = await tx.update(costRequests)
      .set({ state: change.state, decidedAt: change.at, decidedBy: change.by, ...(change.appId ? { appId: change.appId } : {}) })
      .where(and(eq(costRequests.id, id), eq(costRequests.state, 'pending'))).returning();
    return row;
  },

  /** A Company being deleted: every request still waiting is declined by the owner who deletes it. */
  async declinePendingOfCompany(tx: DbOrTx, companyId: string, at: Date, by: string): Promise<CostRequestRow[]> {
    return tx.update(costRequests).set({ state: 'declined', decidedAt: at, decidedBy: by })
      .where(and(eq(costRequests.companyId, companyId), eq(costRequests.state, 'pending'))).returning();
  },

  /**
   * Newest first; `requestedBy` narrows the list to one person's requests; keyset (createdAt, id).
   * A pending request past its expiry counts as expired (the job marks it within a minute).
   */
  async list(db: DbOrTx, companyId: string, opts: { requestedBy?: string; state?: string; now: Date; after?: { createdAt: Date; id: string } | null; limit: number }) {
    const byState = opts.state === 'pending' ? and(eq(costRequests.state, 'pending'), gt(costRequests.expiresAt, opts.now))
      : opts.state === 'expired' ? or(eq(costRequests.state, 'expired'), and(eq(costRequests.state, 'pending'), lte(costRequests.expiresAt, opts.now)))
        : opts.state ? eq(costRequests.state, opts.state) : undefined;
    return db.select({
      request: costRequests, firstName: accounts.firstName, lastName: accounts.lastName,
      contact: { country: billingContacts.country, vatNumber: billingContacts.vatNumber },
    })
      .from(costRequests).innerJoin(accounts, eq(accounts.id, costRequests.requestedBy))
      .innerJoin(billingContacts, eq(billingContacts.id, costRequests.billingContactId))
      .where(and(
        eq(costRequests.companyId, companyId),
        opts.requestedBy ? eq(costRequests.requestedBy, opts.requestedBy) : undefined,
        byState,
        opts.after ? or(lt(costRequests.createdAt, opts.after.createdAt), and(eq(costRequests.createdAt, opts.after.createdAt), lt(costRequests.id, opts.after.id))) : undefined,
      ))
      .orderBy(desc(costRequests.createdAt), desc(costRequests.id)).limit(opts.limit);
  },

  async contactOf(tx: DbOrTx, row: CostRequestRow): Promise<{ country: string; vatNumber: string | null } | undefined> {
    const [contact] = await tx.select({ country: billingContacts.country, vatNumber: billingContacts.vatNumber }).from(billingContacts)
      .where(and(eq(billingContacts.id, row.billingContactId), eq(billingContacts.companyId, row.companyId)));
    return contact;
  },

  async company(tx: DbOrTx, id: string): Promise<{ id: string; name: string } | undefined> {
    const [row] = await tx.select({ id: companies.id, name: companies.name }).from(companies).where(eq(companies.id, id));
    return row;
  },

  /** The requester's role in the Company now (they may have left or changed role since asking). */
  async roleOf(tx: DbOrTx, companyId: string, accountId: string): Promise<string | null> {
    const [row] = await tx.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.companyId, companyId), eq(memberships.accountId, accountId)));
    return row?.role ?? null;
  },

  /** Claims pending requests past their expiry (any number of processes: SKIP LOCKED) and marks them expired. */
  async expireDue(tx: DbOrTx, now: Date, limit: number): Promise<CostRequestRow[]> {
    const result = await tx.execute(sql`
      UPDATE cost_requests SET state = 'expired', decided_at = ${now}
      WHERE id IN (SELECT id FROM cost_requests WHERE state = 'pending' AND expires_at <= ${now} ORDER BY expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        AND state = 'pending'
      RETURNING id`);
    const ids = (result.rows as unknown as { id: string }[]).map((r) => r.id);
    if (!ids.length) return [];
    return tx.select().from(costRequests).where(inArray(costRequests.id, ids));
  },
};
