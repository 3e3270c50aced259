import { and, desc, eq, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { namedQuery, pickRow, rowColumns } from '../../db/named.js';
import type { WriteBatch } from '../../db/writeBatch.js';
import { apps, companies, invitations, retiredInvitationTokens } from '../../db/schema.js';
import type { AppRow } from '../apps/repo.js';

export type InvitationRow = typeof invitations.$inferSelect;
export type InvitationKind = 'client' | 'team';
export type InvitationState = 'pending' | 'accepted' | 'revoked' | 'declined' | 'expired';

export interface InvitationWithContext {
  invitation: InvitationRow;
  inviter: { id: string; email: string; firstName: string; lastName: string; language: string | null; timeZone: string | null };
  /** `currency`: the currency of the App's billing contact (what it is billed in now); null for a trial. */
  app: { id: string; name: string; status: string; companyId: string | null; trialAccountId: string | null; currency: string | null } | null;
  company: { id: string; name: string; deletedAt: Date | null } | null;
}

const INVITATION_BY_TOKEN_HASH = `
  SELECT ${rowColumns(invitations, 'i')},
    a.id AS inviter_id, a.email AS inviter_email, a.first_name AS inviter_first_name, a.last_name AS inviter_last_name,
    a.language AS inviter_language, a.time_zone AS inviter_time_zone,
    ap.id AS app_id, ap.name AS app_name, ap.status AS app_status, ap.company_id AS app_company_id, ap.trial_account_id AS app_trial_account_id,
    bc.currency AS app_currency,
    c.id AS company_id, c.name AS company_name, c.deleted_at AS company_deleted_at
  FROM invitations i
  JOIN accounts a ON a.id = i.inviter_id
  LEFT JOIN apps ap ON ap.id = i.app_id
  LEFT JOIN billing_contacts bc ON bc.id = ap.billing_contact_id AND bc.company_id = ap.company_id
  LEFT JOIN companies c ON c.id = i.company_id
  WHERE i.token_hash = $1`;

/** $1 invitation, $2 now, $3 the accepting Account, $4 the link's token hash, $5 the App. */
const ACCEPT_LOCKING_APP = `
  WITH app AS MATERIALIZED (
    SELECT ${rowColumns(apps, 'a', 'app_')} FROM apps a WHERE a.id = $5 AND a.status <> 'deleted' FOR UPDATE
  ), accepted AS (
    UPDATE invitations SET state = 'accepted', decided_at = $2, accepted_by = $3
    WHERE id = $1 AND state = 'pending' AND expires_at > $2 AND token_hash = $4 AND (SELECT count(*) FROM app) >= 0
    RETURNING id
  )
  SELECT app.*, (SELECT count(*) FROM accepted) AS accepted FROM (SELECT 1) AS one LEFT JOIN app ON true`;

/** Invitations of both kinds (client handover, team). Tokens are stored only as SHA-256 hashes. */
export const invitationsRepo = {
  async insert(tx: DbOrTx, row: typeof invitations.$inferInsert): Promise<InvitationRow> {
    const [inserted] = await tx.insert(invitations).values(row).returning();
    return inserted;
  },

  /**
   * An invitation by token hash with its inviter, App and Company (for the invitee's pages,
   * and accept's first read): one named statement (issue 14), outside any transaction.
   */
  async byTokenHash(db: DbOrTx, tokenHash: string): Promise<InvitationWithContext | undefined> {
    const [row] = await namedQuery<Record<string, unknown>>(db, 'invitation_by_token_hash', INVITATION_BY_TOKEN_HASH, [tokenHash]);
    if (!row) return undefined;
    return {
      invitation: pickRow<InvitationRow>(invitations, row, ''),
      inviter: { id: row.inviter_id as string, email: row.inviter_email as string, firstName: row.inviter_first_name as string, lastName: row.inviter_last_name as string, language: row.inviter_language as string | null, timeZone: row.inviter_time_zone as string | null },
      app: row.app_id ? { id: row.app_id as string, name: row.app_name as string, status: row.app_status as string, companyId: row.app_company_id as string | null, trialAccountId: row.app_trial_account_id as string | null, currency: row.app_currency as string | null } : null,
      company: row.company_id ? { id: row.company_id as string, name: row.company_name as string, deletedAt: row.company_deleted_at as Date | null } : null,
    };
  },

  async byId(db: DbOrTx, id: string): Promise<InvitationRow | undefined> {
    const [row] = await db.select().from(invitations).where(eq(invitations.id, id));
    return row;
  },

  forApp(db: DbOrTx, appId: string): Promise<InvitationRow[]> {
    return db.select().from(invitations)
      .where(and(eq(invitations.kind, 'client'), eq(invitations.appId, appId)))
      .orderBy(desc(invitations.createdAt), desc(invitations.id)).limit(100);
  },

  /** Pending invitations whose time ran out become `expired`, so a new one may be opened. */
  async expireStale(tx: DbOrTx, where: { appId?: string; companyId?: string; email?: string }, now: Date): Promise<void> {
    await tx.update(invitations).set({ state: 'expired' }).where(and(
      eq(invitations.state, 'pending'), lte(invitations.expiresAt, now),
      where.appId ? eq(invitations.appId, where.appId) : undefined,
      where.companyId ? eq(invitations.companyId, where.companyId) : undefined,
      where.email ? eq(invitations.email, where.email) : undefined,
    ));
  },

  /**
   * The one guarded state change of an invitation: it happens only if the invitation is
   * still in one of `from` (and, for acceptance, unexpired at this moment, and still carrying
   * the token hash it was looked up by: a resend in between kills the old link, SPEC 5).
   * Returns the row, or undefined when someone else got there first.
   */
  async transition(tx: DbOrTx, id: string, from: InvitationState[], to: InvitationState, now: Date, extra: Partial<typeof invitations.$inferInsert> = {}, guard: { unexpired?: boolean; tokenHash?: string } = {}): Promise<InvitationRow | undefined> {
    const [row] = await tx.update(invitations)
      .set({ state: to, decidedAt: now, ...extra })
      .where(and(
        eq(invitations.id, id),
        sql`${invitations.state} IN (${sql.join(from.map((s) => sql`${s}`), sql`, `)})`,
        guard.unexpired ? sql`${invitations.expiresAt} > ${now}` : undefined,
        guard.tokenHash ? eq(invitations.tokenHash, guard.tokenHash) : undefined,
      ))
      .returning();
    return row;
  },

  /**
   * Accept's App lock and guarded transition in one statement (issue 14): the live App row
   * locked FOR UPDATE first (the lock order of ADR 0016: the App before the invitation; the
   * update's condition reads the locked App, so it runs after), then the transition of
   * `transition(… ['pending'], 'accepted', … { unexpired, tokenHash })`: only a pending,
   * unexpired invitation still carrying this link's token hash becomes accepted. `app` is
   * undefined when the App is gone; `accepted` false when someone else got there first.
   */
  async acceptLockingApp(tx: DbOrTx, id: string, appId: string, now: Date, acceptedBy: string, tokenHash: string): Promise<{ app: AppRow | undefined; accepted: boolean }> {
    const [row] = await namedQuery<Record<string, unknown>>(tx, 'invitation_accept_locking_app', ACCEPT_LOCKING_APP, [id, now, acceptedBy, tokenHash, appId]);
    return { app: row.app_id ? pickRow<AppRow>(apps, row, 'app_') : undefined, accepted: Number(row.accepted) === 1 };
  },

  /** Resend: a new token and a new expiry; the old link dies with the old hash, which is kept as retired. */
  async rotate(tx: DbOrTx, id: string, tokenHash: string, expiresAt: Date, now: Date): Promise<InvitationRow | undefined> {
    await tx.insert(retiredInvitationTokens)
      .select(tx.select({ tokenHash: invitations.tokenHash, invitationId: invitations.id, retiredAt: sql`${now}::timestamptz`.as('retired_at') })
        .from(invitations).where(and(eq(invitations.id, id), sql`${invitations.state} IN ('pending', 'expired')`)))
      .onConflictDoNothing();
    const [row] = await tx.update(invitations)
      .set({ tokenHash, expiresAt, state: 'pending', decidedAt: null })
      .where(and(eq(invitations.id, id), sql`${invitations.state} IN ('pending', 'expired')`))
      .returning();
    return row;
  },

  /** The invitation a retired (resent) link belonged to. */
  async byRetiredTokenHash(db: DbOrTx, tokenHash: string): Promise<{ invitationId: string; state: string } | undefined> {
    const [row] = await db.select({ invitationId: invitations.id, state: invitations.state }).from(retiredInvitationTokens)
      .innerJoin(invitations, eq(invitations.id, retiredInvitationTokens.invitationId))
      .where(eq(retiredInvitationTokens.tokenHash, tokenHash));
    return row;
  },

  /** An App deleted, handed over or moved: its open client invitations die with it. */
  async revokeOpenForApp(tx: DbOrTx, appId: string, now: Date): Promise<InvitationRow[]> {
    return tx.update(invitations).set({ state: 'revoked', decidedAt: now })
      .where(and(eq(invitations.appId, appId), eq(invitations.kind, 'client'), eq(invitations.state, 'pending')))
      .returning();
  },

  /** `revokeOpenForApp` as a fixed write of a batch (the accepted invitation is no longer pending, so it stays). */
  revokeOpenForAppInBatch(batch: WriteBatch, appId: string, now: Date): void {
    batch.addText(`UPDATE invitations SET state = 'revoked', decided_at = $2 WHERE app_id = $1 AND kind = 'client' AND state = 'pending'`, [appId, now.toISOString()]);
  },

  async companyBlocksTransfersOut(db: DbOrTx, companyId: string): Promise<boolean> {
    const [row] = await db.select({ block: companies.blockTransfersOut }).from(companies).where(eq(companies.id, companyId));
    return Boolean(row?.block);
  },

  /** Someone just became a member: no pending team invitation to the same Company stays open for them. */
  async revokePendingTeamFor(tx: DbOrTx, companyId: string, email: string, now: Date): Promise<void> {
    await tx.update(invitations).set({ state: 'revoked', decidedAt: now })
      .where(and(eq(invitations.companyId, companyId), eq(invitations.kind, 'team'), eq(invitations.email, email), eq(invitations.state, 'pending')));
  },

  async revokeOpenForCompany(tx: DbOrTx, companyId: string, now: Date): Promise<void> {
    await tx.update(invitations).set({ state: 'revoked', decidedAt: now })
      .where(and(eq(invitations.companyId, companyId), eq(invitations.state, 'pending')));
  },
};

/** The state a person sees: a pending invitation past its expiry is expired. */
export function effectiveState(row: InvitationRow, now: Date): InvitationState {
  if (row.state === 'pending' && row.expiresAt.getTime() <= now.getTime()) return 'expired';
  return row.state as InvitationState;
}
