import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { namedQuery } from '../../db/named.js';
import type { WriteBatch } from '../../db/writeBatch.js';
import { accounts, sessions, sshKeys, verifications } from '../../db/schema.js';
import { normalizeEmail } from '../../shared/ids.js';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../../../shared/i18n/index.js';

/** How a mail to someone is written (ADR 0050, 0070): their Account's language and zone, else English and none. */
export interface MailPrefs { language: Language; timeZone: string | null }
export const DEFAULT_MAIL_PREFS: MailPrefs = { language: DEFAULT_LANGUAGE, timeZone: null };

export type AccountRow = typeof accounts.$inferSelect;
export type SshKeyRow = typeof sshKeys.$inferSelect;

export const accountsRepo = {
  async byId(db: DbOrTx, id: string): Promise<AccountRow | undefined> {
    const [row] = await db.select().from(accounts).where(eq(accounts.id, id));
    return row;
  },
  /** The Account a password-reset link belongs to (Better Auth's verification row), before it is used up. */
  async idOfResetToken(db: DbOrTx, token: string): Promise<string | null> {
    const [row] = await db.select({ value: verifications.value }).from(verifications).where(eq(verifications.identifier, `reset-password:${token}`));
    return row?.value ?? null;
  },
  /** The Account id a Better Auth verification row holds (the pending two-factor sign-in). */
  async idOfVerification(db: DbOrTx, identifier: string): Promise<string | null> {
    const [row] = await db.select({ value: verifications.value }).from(verifications).where(eq(verifications.identifier, identifier));
    return row?.value ?? null;
  },
  /** The language and zone of the Account with this e-mail; English and no zone for an address without one. */
  async mailPrefs(db: DbOrTx, email: string): Promise<MailPrefs> {
    const [row] = await db.select({ language: accounts.language, timeZone: accounts.timeZone }).from(accounts).where(eq(accounts.email, normalizeEmail(email)));
    return row && isLanguage(row.language) ? { language: row.language, timeZone: row.timeZone } : { ...DEFAULT_MAIL_PREFS, timeZone: row?.timeZone ?? null };
  },
  /** mailPrefs for several addresses in one query; an address without an Account gets English and no zone. */
  async mailPrefsFor(db: DbOrTx, emails: string[]): Promise<(email: string, fallback?: MailPrefs) => MailPrefs> {
    const wanted = [...new Set(emails.map(normalizeEmail))];
    const rows = wanted.length
      ? await db.select({ email: accounts.email, language: accounts.language, timeZone: accounts.timeZone }).from(accounts).where(inArray(accounts.email, wanted))
      : [];
    const found = new Map(rows.map((r) => [r.email, { language: isLanguage(r.language) ? r.language : DEFAULT_LANGUAGE, timeZone: r.timeZone }]));
    return (email, fallback = DEFAULT_MAIL_PREFS) => found.get(normalizeEmail(email)) ?? fallback;
  },
  async byEmail(db: DbOrTx, email: string): Promise<AccountRow | undefined> {
    const [row] = await db.select().from(accounts).where(eq(accounts.email, email));
    return row;
  },
  async update(db: DbOrTx, id: string, patch: Partial<Pick<AccountRow, 'firstName' | 'lastName' | 'name' | 'accountType' | 'newsletter' | 'language' | 'timeZone' | 'updatedAt'>>) {
    const [row] = await db.update(accounts).set(patch).where(eq(accounts.id, id)).returning();
    return row;
  },
  listSshKeys(db: DbOrTx, accountId: string): Promise<SshKeyRow[]> {
    return db.select().from(sshKeys).where(eq(sshKeys.accountId, accountId)).orderBy(asc(sshKeys.createdAt), asc(sshKeys.id));
  },
  /** Inserts a key; returns null when the fingerprint is already registered (unique index). */
  async insertSshKey(db: DbOrTx, row: typeof sshKeys.$inferInsert): Promise<SshKeyRow | null> {
    const [inserted] = await db.insert(sshKeys).values(row).onConflictDoNothing().returning();
    return inserted ?? null;
  },
  async deleteSshKey(db: DbOrTx, accountId: string, id: string): Promise<boolean> {
    const rows = await db.delete(sshKeys).where(and(eq(sshKeys.id, id), eq(sshKeys.accountId, accountId))).returning({ id: sshKeys.id });
    return rows.length > 0;
  },
};

/** A session's new token and lifetime (after a handover; see http/sessionCookie.ts). */
export interface SessionRenewal { sessionId: string; token: string; expiresAt: Date; at: Date }

const RENEW_SESSION = `UPDATE sessions SET token = $2, expires_at = $3, created_at = $4, updated_at = $4, last_seen_at = $4, reauthenticated_at = NULL
  WHERE id = $1`;

export const sessionsRepo = {
  /** A password sign-in: the session is fresh (re-authenticated) and seen now. */
  async markSignedIn(db: DbOrTx, token: string, at: Date): Promise<{ id: string } | undefined> {
    const [row] = await db.update(sessions).set({ reauthenticatedAt: at, lastSeenAt: at }).where(eq(sessions.token, token)).returning({ id: sessions.id });
    return row;
  },
  /**
   * A session renewed in place (issue 14: one statement instead of a new session plus a
   * delete): a new token, so the old cookie stops working at once, a new lifetime and no
   * re-authentication, as a new session would have. Returns false when the session has
   * ended meanwhile (signed out elsewhere): then there is nothing to renew.
   */
  async renew(db: Db, r: SessionRenewal): Promise<boolean> {
    const rows = await namedQuery(db, 'session_renew', `${RENEW_SESSION} RETURNING id`, [r.sessionId, r.token, r.expiresAt, r.at]);
    return rows.length === 1;
  },
  /** The same renewal as one more write of a transaction's batch: it commits with the change it follows. */
  renewInBatch(batch: WriteBatch, r: SessionRenewal): void {
    batch.addText(RENEW_SESSION, [r.sessionId, r.token, r.expiresAt.toISOString(), r.at.toISOString()]);
  },
};
