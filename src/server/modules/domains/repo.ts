import { and, asc, count, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { appDomains } from '../../db/schema.js';

export type DomainRow = typeof appDomains.$inferSelect;
export type CheckResult = 'found' | 'missing' | 'mismatch' | 'lookup_failed';

/** Queries for an App's custom domains; the App is always part of the condition. */
export const domainsRepo = {
  /** The App's domains by host name (app_domains_app_idx); at most 20, so no paging. */
  async ofApp(db: DbOrTx, appId: string): Promise<DomainRow[]> {
    return db.select().from(appDomains).where(eq(appDomains.appId, appId)).orderBy(asc(appDomains.hostname));
  },

  async one(db: DbOrTx, appId: string, hostname: string): Promise<DomainRow | undefined> {
    const [row] = await db.select().from(appDomains).where(and(eq(appDomains.appId, appId), eq(appDomains.hostname, hostname)));
    return row;
  },

  /** Which App holds a host name, if any (the unique index app_domains_hostname_key). */
  async holder(db: DbOrTx, hostname: string): Promise<string | undefined> {
    const [row] = await db.select({ appId: appDomains.appId }).from(appDomains).where(eq(appDomains.hostname, hostname));
    return row?.appId;
  },

  async countOfApp(db: DbOrTx, appId: string): Promise<number> {
    const [row] = await db.select({ n: count() }).from(appDomains).where(eq(appDomains.appId, appId));
    return Number(row?.n ?? 0);
  },

  /**
   * Inserts unless the host name is taken (by any App). A racing insert of the same name
   * waits for the other transaction and then yields nothing: exactly one wins.
   */
  async insertIfFree(tx: DbOrTx, row: typeof appDomains.$inferInsert): Promise<DomainRow | undefined> {
    const [inserted] = await tx.insert(appDomains).values(row).onConflictDoNothing({ target: appDomains.hostname }).returning();
    return inserted;
  },

  /** Records a look-up; a `found` turns a pending domain verified (guarded: only once). */
  async recordCheck(tx: DbOrTx, id: string, appId: string, result: CheckResult, at: Date): Promise<{ row: DomainRow; becameVerified: boolean } | undefined> {
    if (result === 'found') {
      const [verified] = await tx.update(appDomains)
        .set({ state: 'verified', verifiedAt: at, checkedAt: at, checkResult: result })
        .where(and(eq(appDomains.id, id), eq(appDomains.appId, appId), eq(appDomains.state, 'pending'))).returning();
      if (verified) return { row: verified, becameVerified: true };
    }
    const [row] = await tx.update(appDomains)
      .set({ checkedAt: at, checkResult: result })
      .where(and(eq(appDomains.id, id), eq(appDomains.appId, appId))).returning();
    return row ? { row, becameVerified: false } : undefined;
  },

  async remove(tx: DbOrTx, appId: string, hostname: string): Promise<DomainRow | undefined> {
    const [row] = await tx.delete(appDomains).where(and(eq(appDomains.appId, appId), eq(appDomains.hostname, hostname))).returning();
    return row;
  },

  /** The App is deleted: its host names are free for other Apps (SPEC 4.13). */
  async removeAllOfApp(tx: DbOrTx, appId: string): Promise<string[]> {
    const rows = await tx.delete(appDomains).where(eq(appDomains.appId, appId)).returning({ hostname: appDomains.hostname });
    return rows.map((r) => r.hostname);
  },
};

