import { and, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { accounts, apps, deployments, sshKeys } from '../../db/schema.js';

export interface KeyRow { id: string; accountId: string; publicKey: string; keyType: string }

/** What the access decision needs, read in one statement (see `codeAccess`). */
export interface CodeAccessRow {
  account_id: string; first_name: string; last_name: string; email: string;
  app_id: string | null; app_name: string | null; status: string | null; company_id: string | null; trial_account_id: string | null;
  role: string | null; assigned: boolean | null;
}

export interface DeploymentRow { id: number; commit: string; branch: string; at: Date; firstName: string; lastName: string }

export const deploymentsRepo = {
  /** The SSH key with this fingerprint (unique index ssh_keys_fingerprint_key). */
  async keyByFingerprint(db: DbOrTx, fingerprint: string): Promise<KeyRow | undefined> {
    const [row] = await db.select({ id: sshKeys.id, accountId: sshKeys.accountId, publicKey: sshKeys.publicKey, keyType: sshKeys.keyType })
      .from(sshKeys).where(eq(sshKeys.fingerprint, fingerprint));
    return row;
  },

  /**
   * Who holds this key, and how they reach the live App of this name: as the creator of a
   * trial App, or by their membership (role, collaborator assignment) in the App's Company.
   * One statement along unique indexes (key fingerprint, live App name, membership primary
   * key, assignment primary key); no row: the key is gone.
   */
  async codeAccess(db: DbOrTx, keyId: string, fingerprint: string, appName: string): Promise<CodeAccessRow | undefined> {
    const result = await db.execute(sql`
      SELECT k.account_id, acc.first_name, acc.last_name, acc.email,
        a.id AS app_id, a.name AS app_name, a.status, a.company_id, a.trial_account_id,
        m.role, (ca.app_id IS NOT NULL) AS assigned
      FROM ssh_keys k
      JOIN accounts acc ON acc.id = k.account_id
      LEFT JOIN apps a ON a.name = ${appName} AND a.status <> 'deleted'
      LEFT JOIN companies c ON c.id = a.company_id AND c.deleted_at IS NULL
      LEFT JOIN memberships m ON m.company_id = c.id AND m.account_id = k.account_id
      LEFT JOIN collaborator_apps ca ON ca.company_id = m.company_id AND ca.account_id = m.account_id AND ca.app_id = a.id
      WHERE k.fingerprint = ${fingerprint} AND k.id = ${keyId}`);
    return result.rows[0] as unknown as CodeAccessRow | undefined;
  },

  async insert(tx: DbOrTx, row: typeof deployments.$inferInsert): Promise<number> {
    const [inserted] = await tx.insert(deployments).values(row).returning({ id: deployments.id });
    return inserted.id;
  },

  /** Newest first, along deployments_app_idx; `before` is the id of the last row of the previous page. */
  async page(db: DbOrTx, appId: string, before: number | null, limit: number): Promise<DeploymentRow[]> {
    return db.select({
      id: deployments.id, commit: deployments.commit, branch: deployments.branch, at: deployments.at,
      firstName: accounts.firstName, lastName: accounts.lastName,
    }).from(deployments).innerJoin(accounts, eq(accounts.id, deployments.pushedBy))
      .where(and(eq(deployments.appId, appId), before === null ? undefined : lt(deployments.id, before)))
      .orderBy(desc(deployments.id)).limit(limit);
  },

  /** Ids of Apps deleted since `since` (apps_deleted_at_idx), for the repository sweep. */
  async deletedSince(db: DbOrTx, since: Date): Promise<string[]> {
    const rows = await db.select({ id: apps.id }).from(apps)
      .where(and(eq(apps.status, 'deleted'), gt(apps.deletedAt, since)));
    return rows.map((r) => r.id);
  },
};
