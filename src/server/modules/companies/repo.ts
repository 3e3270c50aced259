import { and, asc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { namedQuery } from '../../db/named.js';
import { fingerprintedQuery, splitFingerprinted, type Fingerprinted } from '../../db/fingerprint.js';
import { accounts, collaboratorApps, companies, memberships } from '../../db/schema.js';
import type { Role } from '../../authz/permissions.js';

export type CompanyRow = typeof companies.$inferSelect;

export interface MembersPage { callerRole: Role; callerAppNames: string[]; members: MemberRow[]; requireTwoFactor: boolean }

/** The live Apps a collaborator of the Company is assigned to, by name, as a JSON array. */
const assignedApps = (account: string) => `(SELECT json_agg(ap.name ORDER BY ap.name) FROM collaborator_apps ca
  JOIN apps ap ON ap.id = ca.app_id AND ap.status <> 'deleted' WHERE ca.company_id = $1 AND ca.account_id = ${account})`;

/** $1 Company, $2 caller, $3 limit, $4 the last account id of the previous page. */
const membersPage = (keyset: string) => `
  SELECT me.role AS caller_role, c.require_two_factor, CASE WHEN me.role = 'collaborator' THEN ${assignedApps('me.account_id')} END AS caller_apps,
    p.account_id, p.email, p.first_name, p.last_name, p.role, p.app_names
  FROM memberships me
  JOIN companies c ON c.id = me.company_id AND c.deleted_at IS NULL
  LEFT JOIN LATERAL (
    SELECT m.account_id, a.email, a.first_name, a.last_name, m.role,
      CASE WHEN m.role = 'collaborator' THEN ${assignedApps('m.account_id')} END AS app_names
    FROM memberships m JOIN accounts a ON a.id = m.account_id
    WHERE m.company_id = $1 ${keyset}
    ORDER BY m.account_id LIMIT $3
  ) p ON true
  WHERE me.company_id = $1 AND me.account_id = $2
  ORDER BY p.account_id`;
const MEMBERS_PAGE = membersPage('');
/** $1 account, $2 limit, $3 the last Company id of the previous page. */
const MY_COMPANIES = `
  SELECT m.company_id AS id, m.company_name AS name, m.role FROM memberships m
  WHERE m.account_id = $1 AND NOT m.company_deleted $KEYSET ORDER BY m.company_id LIMIT $2`;
type MyCompanyRow = { id: string; name: string; role: string; fingerprint: string | null };
/** $1 account, $2 limit, $3 the known fingerprint, $4 the keyset. Names are length-prefixed, so no two pages hash the same text. */
const MY_COMPANIES_PAGE_FINGERPRINT = `SELECT md5($1::text || '|' || coalesce(string_agg(d.id || ':' || d.role || ':' || length(d.name) || ':' || d.name, ','), '')) FROM d`;
const MY_COMPANIES_FP = fingerprintedQuery(MY_COMPANIES_PAGE_FINGERPRINT, MY_COMPANIES.replace('$KEYSET', ''), 3);
const MY_COMPANIES_AFTER_FP = fingerprintedQuery(MY_COMPANIES_PAGE_FINGERPRINT, MY_COMPANIES.replace('$KEYSET', 'AND m.company_id > $4'), 3);
const MEMBERS_PAGE_AFTER = membersPage('AND m.account_id > $4');

export interface MemberRow {
  accountId: string; email: string; firstName: string; lastName: string; role: Role;
  /** The live Apps assigned to a collaborator, by name; empty for other roles. */
  appNames: string[];
}

function parseNames(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[];
  if (typeof value === 'string') return JSON.parse(value) as string[];
  return [];
}

/** Queries for Companies; always scoped by the caller's membership (an outsider gets nothing). */
export const companiesRepo = {
  async insert(tx: DbOrTx, row: typeof companies.$inferInsert): Promise<CompanyRow> {
    const [inserted] = await tx.insert(companies).values(row).returning();
    return inserted;
  },

  async addMembership(tx: DbOrTx, row: { companyId: string; accountId: string; role: Role; createdAt: Date }): Promise<void> {
    await tx.insert(memberships).values(row);
  },

  /**
   * The caller's live Company and role. With `lock`, the Company row is locked first (KEY
   * SHARE, or UPDATE for changes to the Company itself) and then the membership row (SHARE,
   * so a role change waits until commit). Always Company before membership: one lock order
   * for every use-case, so they cannot deadlock.
   */
  async access(tx: DbOrTx, accountId: string, companyId: string, lock: false | 'share' | 'update' = false): Promise<{ company: CompanyRow; role: Role } | null> {
    if (lock) {
      const locked = tx.select({ id: companies.id }).from(companies).where(eq(companies.id, companyId));
      await (lock === 'update' ? locked.for('update') : locked.for('key share'));
    }
    const query = tx.select({ company: companies, role: memberships.role })
      .from(memberships)
      .innerJoin(companies, eq(companies.id, memberships.companyId))
      .where(and(eq(memberships.companyId, companyId), eq(memberships.accountId, accountId), isNull(companies.deletedAt)));
    const [row] = lock ? await query.for('share', { of: memberships }) : await query;
    return row ? { company: row.company, role: row.role as Role } : null;
  },

  /**
   * My Companies, paged by Company id: one index-only scan of memberships_account_list_idx
   * (account_id, company_id, with the role and the Company's name kept on the membership by
   * triggers; ADR 0117), a named prepared statement, rows as plain objects (issue 14).
   */
  async listForAccount(db: Db, accountId: string, after: string | null, limit: number): Promise<{ id: string; name: string; role: string }[]> {
    return (await this.listForAccountUnlessKnown(db, accountId, after, limit, null)).rows!;
  },

  /**
   * The same page with its fingerprint (ADR 0120): an md5 over the page's rows themselves,
   * computed in PostgreSQL; the rows are sent only when it differs from `known`.
   */
  async listForAccountUnlessKnown(db: Db, accountId: string, after: string | null, limit: number, known: string | null): Promise<Fingerprinted<{ id: string; name: string; role: string }>> {
    const rows = after
      ? await namedQuery<MyCompanyRow>(db, 'my_companies_after_fp', MY_COMPANIES_AFTER_FP, [accountId, limit, known, after])
      : await namedQuery<MyCompanyRow>(db, 'my_companies_fp', MY_COMPANIES_FP, [accountId, limit, known]);
    return splitFingerprinted(rows, known);
  },

  async update(tx: DbOrTx, id: string, patch: Partial<Pick<CompanyRow, 'name' | 'blockTransfersOut' | 'requireTwoFactor' | 'requireCostApproval' | 'deletedAt'>>): Promise<CompanyRow> {
    const [row] = await tx.update(companies).set(patch).where(eq(companies.id, id)).returning();
    return row;
  },

  /**
   * Locks the Company row (FOR UPDATE): every change to its members, invitations, name or
   * existence, and every App moving in or out, goes through this lock. The first lock of a
   * transaction (docs/decisions/0016-lock-order.md).
   */
  async lock(tx: DbOrTx, id: string): Promise<CompanyRow | undefined> {
    const [row] = await tx.select().from(companies).where(eq(companies.id, id)).for('update');
    return row;
  },

  /** Several Companies locked FOR UPDATE, always in id order, so two such transactions cannot deadlock. */
  async lockAll(tx: DbOrTx, ids: (string | null | undefined)[]): Promise<Map<string, CompanyRow>> {
    const result = new Map<string, CompanyRow>();
    for (const id of [...new Set(ids.filter((x): x is string => Boolean(x)))].sort()) {
      const row = await companiesRepo.lock(tx, id);
      if (row) result.set(id, row);
    }
    return result;
  },

  /**
   * Holds the Company row against deletion and member changes (FOR KEY SHARE) while one of
   * its Apps or billing contacts changes: the Company lock of App-level use-cases.
   */
  async lockShared(tx: DbOrTx, id: string): Promise<void> {
    await tx.select({ id: companies.id }).from(companies).where(eq(companies.id, id)).for('key share');
  },

  async countOwnersExcept(tx: DbOrTx, companyId: string, accountId: string): Promise<number> {
    const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(memberships)
      .where(and(eq(memberships.companyId, companyId), eq(memberships.role, 'owner'), ne(memberships.accountId, accountId)));
    return Number(row.n);
  },

  /** Members with their collaborator App lists, in one statement (paged by account id). */
  async members(db: DbOrTx, companyId: string, after: string | null, limit: number): Promise<MemberRow[]> {
    const rows = await db.select({
      accountId: memberships.accountId, email: accounts.email, firstName: accounts.firstName, lastName: accounts.lastName, role: memberships.role,
      // Parameters, not column references, for the Company (see appsRepo.memberAccess).
      appNames: sql<string[] | null>`CASE WHEN ${memberships.role} = 'collaborator' THEN (
        SELECT json_agg(ap.name ORDER BY ap.name) FROM collaborator_apps ca JOIN apps ap ON ap.id = ca.app_id AND ap.status <> 'deleted'
        WHERE ca.company_id = ${companyId} AND ca.account_id = "memberships"."account_id") END`,
    }).from(memberships)
      .innerJoin(accounts, eq(accounts.id, memberships.accountId))
      .where(and(eq(memberships.companyId, companyId), after ? gt(memberships.accountId, after) : undefined))
      .orderBy(asc(memberships.accountId))
      .limit(limit);
    return rows.map((r) => ({ ...r, role: r.role as Role, appNames: parseNames(r.appNames) }));
  },

  /**
   * One page of members together with the caller's own access, in one named statement
   * (issue 14): the caller's membership in the live Company (none: null, the caller is an
   * outsider), their role, their own assigned Apps, and the page. The permission check
   * stays in the use-case; this only saves the separate access query.
   */
  async membersForCaller(db: Db, callerId: string, companyId: string, after: string | null, limit: number): Promise<MembersPage | null> {
    const rows = await namedQuery<{
      caller_role: Role; require_two_factor: boolean; caller_apps: unknown; account_id: string | null; email: string; first_name: string; last_name: string; role: Role; app_names: unknown;
    }>(db, after ? 'members_page_after' : 'members_page', after ? MEMBERS_PAGE_AFTER : MEMBERS_PAGE, after ? [companyId, callerId, limit, after] : [companyId, callerId, limit]);
    if (rows.length === 0) return null;
    const members: MemberRow[] = [];
    for (const r of rows) {
      if (r.account_id === null) continue;
      members.push({ accountId: r.account_id, email: r.email, firstName: r.first_name, lastName: r.last_name, role: r.role, appNames: parseNames(r.app_names) });
    }
    return { callerRole: rows[0].caller_role, callerAppNames: parseNames(rows[0].caller_apps), members, requireTwoFactor: rows[0].require_two_factor === true };
  },

  /** App ids assigned to collaborators of a Company, by account. */
  async collaboratorAppNames(db: DbOrTx, companyId: string, accountIds: string[]): Promise<Map<string, { appId: string; name: string }[]>> {
    const result = new Map<string, { appId: string; name: string }[]>();
    if (accountIds.length === 0) return result;
    const rows = await db.execute(sql`
      SELECT ca.account_id, a.id AS app_id, a.name FROM collaborator_apps ca JOIN apps a ON a.id = ca.app_id
      WHERE ca.company_id = ${companyId} AND a.status <> 'deleted' AND ca.account_id IN (${sql.join(accountIds.map((id) => sql`${id}`), sql`, `)})
      ORDER BY a.name`);
    for (const row of rows.rows as { account_id: string; app_id: string; name: string }[]) {
      const list = result.get(row.account_id) ?? [];
      list.push({ appId: row.app_id, name: row.name });
      result.set(row.account_id, list);
    }
    return result;
  },

  async assignApps(tx: DbOrTx, companyId: string, accountId: string, appIds: string[]): Promise<void> {
    if (appIds.length === 0) return;
    await tx.insert(collaboratorApps).values(appIds.map((appId) => ({ companyId, accountId, appId }))).onConflictDoNothing();
  },

  async deleteMembership(tx: DbOrTx, companyId: string, accountId: string): Promise<boolean> {
    const rows = await tx.delete(memberships).where(and(eq(memberships.companyId, companyId), eq(memberships.accountId, accountId))).returning({ id: memberships.accountId });
    return rows.length > 0;
  },

  async setRole(tx: DbOrTx, companyId: string, accountId: string, role: Role): Promise<boolean> {
    const rows = await tx.update(memberships).set({ role }).where(and(eq(memberships.companyId, companyId), eq(memberships.accountId, accountId))).returning({ id: memberships.accountId });
    return rows.length > 0;
  },

  async deleteAllMemberships(tx: DbOrTx, companyId: string): Promise<number> {
    const rows = await tx.delete(memberships).where(eq(memberships.companyId, companyId)).returning({ id: memberships.accountId });
    return rows.length;
  },

  async ownerEmails(db: DbOrTx, companyId: string): Promise<string[]> {
    const rows = await db.select({ email: accounts.email }).from(memberships).innerJoin(accounts, eq(accounts.id, memberships.accountId))
      .where(and(eq(memberships.companyId, companyId), eq(memberships.role, 'owner')))
      // The first owner is the longest-standing one (billing mails and invoices take their language).
      .orderBy(asc(memberships.createdAt), asc(memberships.accountId));
    return rows.map((r) => r.email);
  },
};
