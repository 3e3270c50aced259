import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';

export interface ActivityRow {
  id: string | number; at: Date | string; actor_id: string | null; actor_name: string; action: string;
  app_name: string | null; outcome: string; details: Record<string, unknown> | string;
}

export type ActivityFilter = { kind: 'all' } | { kind: 'billing' } | { kind: 'collaborator'; accountId: string };

export const activityRepo = {
  /** Newest first along activity_company_idx (company_id, id); `before` is the last id of the previous page. */
  async page(db: DbOrTx, companyId: string, filter: ActivityFilter, before: number | null, limit: number): Promise<ActivityRow[]> {
    const where = filter.kind === 'billing'
      ? sql`AND e.category = 'billing'`
      : filter.kind === 'collaborator'
        ? sql`AND e.category <> 'billing' AND e.app_id IN (SELECT ca.app_id FROM collaborator_apps ca WHERE ca.company_id = ${companyId} AND ca.account_id = ${filter.accountId})`
        : sql``;
    const result = await db.execute(sql`
      SELECT e.id, e.at, e.actor_id, e.actor_name, e.action, e.app_name, e.outcome, e.details FROM activity_events e
      WHERE e.company_id = ${companyId} ${before ? sql`AND e.id < ${before}` : sql``} ${where}
      ORDER BY e.id DESC LIMIT ${limit}`);
    return result.rows as unknown as ActivityRow[];
  },
};
