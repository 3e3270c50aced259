import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { namedQuery, pickRow, rowColumns } from '../../db/named.js';
import type { WriteBatch } from '../../db/writeBatch.js';
import { fingerprintedQuery, splitFingerprinted, type Fingerprinted } from '../../db/fingerprint.js';
import { appNames, apps, collaboratorApps, memberships } from '../../db/schema.js';
import type { Role } from '../../authz/permissions.js';

export type AppRow = typeof apps.$inferSelect;

export const NAME_RESERVATION_DAYS = 7;

export interface AppWithCompany {
  app: AppRow; company: { id: string; name: string } | null;
  /** The Company's "require two-factor for all members" (SPEC 4.10). */
  companyRequiresTwoFactor?: boolean;
}

export interface MyAppRow {
  name: string; status: string; plan: Record<string, string> | string; trial_ends_at: Date | string | null;
  company_id: string | null; company_name: string | null; role: string | null;
}

/** The page key of a row of `mine`: its Company id ('' for the trial App) and name. */
export function appPageKey(row: Pick<MyAppRow, 'company_id' | 'name'>): string {
  return JSON.stringify([row.company_id ?? '', row.name]);
}

function parseAppPageKey(key: string): [string, string | null] {
  try {
    const parsed: unknown = JSON.parse(key);
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      return [parsed[0], parsed[1]];
    }
  } catch { /* not a key of ours */ }
  // An unknown cursor reads from the start rather than failing.
  return ['', null];
}

const APP_BY_NAME = `SELECT ${rowColumns(apps, 'a')}, c.id AS company_id, c.name AS company_name, c.require_two_factor
  FROM apps a LEFT JOIN companies c ON c.id = a.company_id WHERE a.name = $1 AND a.status <> 'deleted'`;
const APP_BY_NAME_LOCKED = `${APP_BY_NAME} FOR UPDATE OF a`;
/** $1 the name. The trial App locked (t_…), or else the App and its Company as read. */
const APP_BY_NAME_LOCKING_TRIAL = `
  WITH t AS MATERIALIZED (
    SELECT ${rowColumns(apps, 'ta', 't_')} FROM apps ta WHERE ta.name = $1 AND ta.status <> 'deleted' AND ta.company_id IS NULL FOR UPDATE
  )
  SELECT t.*, ${rowColumns(apps, 'a')}, c.id AS company_id, c.name AS company_name, c.require_two_factor
  FROM (SELECT 1) AS one LEFT JOIN t ON true
  LEFT JOIN apps a ON t."t_id" IS NULL AND a.name = $1 AND a.status <> 'deleted'
  LEFT JOIN companies c ON c.id = a.company_id`;

const statements = new Map<string, { name: string; text: string }>();

/**
 * What every page of "my Apps" depends on (ADR 0120, 0122), without reading the Apps: the
 * caller, their trial App, and the caller's list version (account_list_versions, moved by
 * triggers with every change to the Apps or collaborators' App lists of a Company the caller
 * is a member of, and with every change to the caller's memberships: added, removed, role,
 * the Company's name or deletion). One index lookup, where it was one per membership (500 for
 * an agency: about 1 ms of PostgreSQL per page). The trial App is hashed apart, so no two
 * states hash the same text. $1 the account.
 */
const MY_APPS_FINGERPRINT = `md5(concat_ws('|', $1::text,
  md5(coalesce((SELECT concat_ws(':', t.name, t.status, t.trial_ends_at::text, t.plan::text) FROM apps t WHERE t.trial_account_id = $1 AND t.status = 'trial'), '')),
  coalesce((SELECT v.version FROM account_list_versions v WHERE v.account_id = $1), 0)::text))`;

/**
 * The text of `mine` for one shape of request, built once: the trial App (first page of
 * the unfiltered list) and the Company Apps in one statement, a named prepared statement.
 * $1 account, $2 limit, $3 the known fingerprint, then the Company filter, then the keyset (Company id, name).
 */
function mineStatement(withTrial: boolean, byCompany: boolean, keyed: boolean): { name: string; text: string } {
  const name = `my_apps_fp${withTrial ? '_trial' : ''}${byCompany ? '_company' : ''}${keyed ? '_after' : ''}`;
  let statement = statements.get(name);
  if (statement) return statement;
  let next = 4;
  const companyCondition = byCompany ? `AND m.company_id = $${next++}` : '';
  const keyset = keyed ? `AND m.company_id >= $${next} AND (m.company_id > $${next} OR a.name > $${next + 1})` : '';
  const companyApps = `
    SELECT 1 AS g, a.name, a.status, a.plan, a.trial_ends_at, m.company_id, m.company_name, m.role
    FROM memberships m
    CROSS JOIN LATERAL (
      SELECT a.id, a.name, a.status, a.plan, a.trial_ends_at FROM apps a
      WHERE a.company_id = m.company_id AND a.status <> 'deleted' ORDER BY a.name
    ) a
    WHERE m.account_id = $1 AND NOT m.company_deleted ${companyCondition} ${keyset}
      AND (m.role IN ('owner', 'admin') OR (m.role = 'collaborator' AND EXISTS (
        SELECT 1 FROM collaborator_apps ca WHERE ca.company_id = m.company_id AND ca.account_id = m.account_id AND ca.app_id = a.id)))
    ORDER BY m.company_id, a.name LIMIT $2`;
  const text = withTrial
    ? `(SELECT 0 AS g, a.name, a.status, a.plan, a.trial_ends_at, NULL::text AS company_id, NULL::text AS company_name, NULL::text AS role
        FROM apps a WHERE a.trial_account_id = $1 AND a.status = 'trial')
       UNION ALL (${companyApps})
       ORDER BY g, company_id, name LIMIT $2`
    : companyApps;
  statement = { name, text: fingerprintedQuery(MY_APPS_FINGERPRINT, text, 3) };
  statements.set(name, statement);
  return statement;
}

export const appsRepo = {
  /**
   * The caller's Apps: their trial App first, then the Apps of Companies where they are owner
   * or admin and the Apps assigned to them as collaborator, ordered by (Company id, name).
   * `after` is the key of the last row of the previous page (`appPageKey`). The order lets
   * each page be read along memberships_account_list_idx and apps_company_name_idx and stop
   * after `limit` rows, instead of sorting every App the caller can see: the Apps of each
   * membership are read by a LATERAL subquery, so PostgreSQL keeps the memberships' order and
   * sorts only within a Company (an incremental sort) even where it would otherwise hash-join
   * all the Apps and sort them (at 10k: 5.9 ms → 2.0 ms for a page of 500; issue 14).
   */
  async mine(db: Db, accountId: string, after: string | null, limit: number, companyId?: string): Promise<MyAppRow[]> {
    return (await this.mineUnlessKnown(db, accountId, after, limit, companyId, null)).rows!;
  },

  /**
   * The same page with its fingerprint (ADR 0120); when the fingerprint is `known`, the page
   * is not read at all (`rows` null) and the caller may answer with what it rendered before.
   */
  async mineUnlessKnown(db: Db, accountId: string, after: string | null, limit: number, companyId: string | undefined, known: string | null): Promise<Fingerprinted<MyAppRow>> {
    const [afterCompany, afterName] = after ? parseAppPageKey(after) : [null, null];
    const withTrial = !companyId && (afterCompany === null || (afterCompany === '' && afterName === null));
    const keyed = afterCompany !== null && !(afterCompany === '' && afterName === null);
    const { name, text } = mineStatement(withTrial, Boolean(companyId), keyed);
    const values: unknown[] = [accountId, limit, known];
    if (companyId) values.push(companyId);
    if (keyed) values.push(afterCompany, afterName ?? '');
    return splitFingerprinted(await namedQuery<MyAppRow & { fingerprint: string | null }>(db, name, text, values), known);
  },

  /**
   * A live App by name, with its Company; `lock` takes the App row (FOR UPDATE) for a change.
   * A named statement (issue 14: every App change starts here, two times with the lock).
   */
  async byName(tx: DbOrTx, name: string, lock = false): Promise<AppWithCompany | undefined> {
    const [row] = await namedQuery<Record<string, unknown>>(tx, lock ? 'app_by_name_locked' : 'app_by_name', lock ? APP_BY_NAME_LOCKED : APP_BY_NAME, [name]);
    if (!row) return undefined;
    return {
      app: pickRow<AppRow>(apps, row, ''), company: row.company_id ? { id: row.company_id as string, name: row.company_name as string } : null,
      companyRequiresTwoFactor: (row.require_two_factor as boolean | null) ?? false,
    };
  },

  /**
   * The first read of `lockApp` (issue 14): a live App by name with its Company, and, when it
   * is a trial App (no Company to lock before it), the App row locked FOR UPDATE in the same
   * statement (`locked`: its latest version). A Company's App is read without a lock; the
   * caller locks the Company, then the App. One statement instead of two for a trial App.
   */
  async byNameLockingTrial(tx: DbOrTx, name: string): Promise<(AppWithCompany & { locked: boolean }) | undefined> {
    const [row] = await namedQuery<Record<string, unknown>>(tx, 'app_by_name_locking_trial', APP_BY_NAME_LOCKING_TRIAL, [name]);
    if (row.t_id) return { app: pickRow<AppRow>(apps, row, 't_'), company: null, companyRequiresTwoFactor: false, locked: true };
    if (!row.id) return undefined;
    return {
      app: pickRow<AppRow>(apps, row, ''), company: row.company_id ? { id: row.company_id as string, name: row.company_name as string } : null,
      companyRequiresTwoFactor: (row.require_two_factor as boolean | null) ?? false, locked: false,
    };
  },

  /**
   * A handover's move of the App into its new Company, with its plan and billing contact (a
   * trial ends), and its collaborator assignments dropped: two fixed writes of the batch.
   */
  moveInBatch(batch: WriteBatch, appId: string, to: { companyId: string; billingContactId: string; plan: Record<string, string>; status: string }): void {
    batch.addText(`UPDATE apps SET company_id = $2, billing_contact_id = $3, plan = $4::jsonb, status = $5, trial_account_id = NULL, trial_ends_at = NULL
      WHERE id = $1`, [appId, to.companyId, to.billingContactId, JSON.stringify(to.plan), to.status]);
    batch.addText('DELETE FROM collaborator_apps WHERE app_id = $1', [appId]);
  },

  /** The caller's role in the App's Company and whether the App is assigned to them. */
  async memberAccess(tx: DbOrTx, accountId: string, companyId: string, appId: string, lock = false): Promise<{ role: Role; assigned: boolean } | null> {
    const query = tx.select({
      role: memberships.role,
      // Parameters, not column references: drizzle renders a column unqualified here, which would bind to ca's own column.
      assigned: sql<boolean>`EXISTS (SELECT 1 FROM collaborator_apps ca WHERE ca.company_id = ${companyId} AND ca.account_id = ${accountId} AND ca.app_id = ${appId})`,
    }).from(memberships).where(and(eq(memberships.companyId, companyId), eq(memberships.accountId, accountId)));
    // With `lock`, the membership row is held (FOR SHARE) until commit: a dismissal or role
    // change waits for this change, or this change sees the dismissal (issue 5 race).
    const [row] = lock ? await query.for('share', { of: memberships }) : await query;
    return row ? { role: row.role as Role, assigned: Boolean(row.assigned) } : null;
  },

  /**
   * Claims a name in one guarded statement: a new name, or one released more than 7 days
   * ago. Returns false when the name is in use or still reserved. The primary key on
   * app_names serialises racing claims; exactly one wins.
   */
  async claimName(tx: DbOrTx, name: string, appId: string, now: Date): Promise<boolean> {
    const reusableBefore = new Date(now.getTime() - NAME_RESERVATION_DAYS * 86_400_000);
    const result = await tx.execute(sql`
      INSERT INTO app_names (name, app_id, released_at) VALUES (${name}, ${appId}, NULL)
      ON CONFLICT (name) DO UPDATE SET app_id = EXCLUDED.app_id, released_at = NULL
      WHERE app_names.released_at IS NOT NULL AND app_names.released_at <= ${reusableBefore}
      RETURNING name`);
    return result.rows.length === 1;
  },

  async releaseName(tx: DbOrTx, name: string, appId: string, now: Date): Promise<void> {
    await tx.update(appNames).set({ releasedAt: now }).where(and(eq(appNames.name, name), eq(appNames.appId, appId)));
  },

  async insert(tx: DbOrTx, row: typeof apps.$inferInsert): Promise<AppRow> {
    const [inserted] = await tx.insert(apps).values(row).returning();
    return inserted;
  },

  async update(tx: DbOrTx, id: string, patch: Partial<typeof apps.$inferInsert>): Promise<AppRow> {
    const [row] = await tx.update(apps).set(patch).where(eq(apps.id, id)).returning();
    return row;
  },

  /** Guarded: only a live App changes; returns false when it was already deleted. */
  async updateIfLive(tx: DbOrTx, id: string, patch: Partial<typeof apps.$inferInsert>): Promise<boolean> {
    const rows = await tx.update(apps).set(patch).where(and(eq(apps.id, id), ne(apps.status, 'deleted'))).returning({ id: apps.id });
    return rows.length > 0;
  },

  async trialOf(tx: DbOrTx, accountId: string): Promise<AppRow | undefined> {
    const [row] = await tx.select().from(apps).where(and(eq(apps.trialAccountId, accountId), eq(apps.status, 'trial')));
    return row;
  },

  async liveAppsOfCompany(tx: DbOrTx, companyId: string): Promise<AppRow[]> {
    return tx.select().from(apps).where(and(eq(apps.companyId, companyId), ne(apps.status, 'deleted'))).for('update');
  },

  async unassignAll(tx: DbOrTx, appId: string): Promise<void> {
    await tx.delete(collaboratorApps).where(eq(collaboratorApps.appId, appId));
  },
};
