import { and, desc, eq, gt, lt, ne } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { accounts, sessions, signInEvents } from '../../db/schema.js';
import type { Ctx } from '../../services.js';
import { notFound } from '../../shared/errors.js';
import { enqueueMail } from '../mail/outbox.js';
import { lockedMail, newDeviceMail } from './mails.js';
import { accountsRepo } from './repo.js';
import type { Actor } from './session.js';
import { deviceLabel } from './userAgent.js';

/** Account security (SPEC 4.10): sessions, sign-in history and the new-device mail. */

export type SignInOutcome = 'succeeded' | 'wrong_password' | 'locked' | 'wrong_code';

export interface SessionView {
  id: string; current: boolean; userAgent: string | null; device: string; ip: string | null; createdAt: string; lastSeenAt: string;
}

export interface SignInView { id: string; at: string; ip: string | null; userAgent: string | null; device: string; outcome: SignInOutcome; succeeded: boolean }

/** A session counts as "seen" again at most every 5 minutes (one UPDATE then, none in between). */
export const LAST_SEEN_PRECISION_MS = 5 * 60_000;

export function needsTouch(lastSeenAt: Date | null, now: Date): boolean {
  return !lastSeenAt || now.getTime() - lastSeenAt.getTime() >= LAST_SEEN_PRECISION_MS;
}

/** Keeps "last seen" to 5 minutes. */
export async function touchSession(db: Db, sessionId: string, lastSeenAt: Date | null, now: Date): Promise<void> {
  if (!needsTouch(lastSeenAt, now)) return;
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, sessionId));
}

export async function listSessions(ctx: Ctx, actor: Actor): Promise<SessionView[]> {
  const rows = await ctx.db.select().from(sessions)
    .where(and(eq(sessions.userId, actor.id), gt(sessions.expiresAt, ctx.clock.now())))
    .orderBy(desc(sessions.createdAt), desc(sessions.id));
  const views = rows.map((s) => ({
    id: s.id,
    current: s.id === actor.sessionId,
    userAgent: s.userAgent || null,
    device: deviceLabel(s.userAgent),
    ip: s.ipAddress || null,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: (s.lastSeenAt ?? s.createdAt).toISOString(),
  }));
  // The current session first, then the most recently seen.
  return views.sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt));
}

/** Ends one of the caller's sessions (the current one too: that signs out). */
export async function endSession(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  const rows = await ctx.db.delete(sessions).where(and(eq(sessions.id, id), eq(sessions.userId, actor.id))).returning({ id: sessions.id });
  if (rows.length === 0) throw notFound('This session');
}

export async function endOtherSessions(db: DbOrTx, accountId: string, keepSessionId: string | null): Promise<number> {
  const where = keepSessionId ? and(eq(sessions.userId, accountId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, accountId);
  const rows = await db.delete(sessions).where(where).returning({ id: sessions.id });
  return rows.length;
}

export async function recordSignIn(db: DbOrTx, event: { accountId: string; at: Date; ip: string | null; userAgent: string | null; outcome: SignInOutcome }): Promise<void> {
  await db.insert(signInEvents).values({
    accountId: event.accountId, at: event.at, ipAddress: event.ip, userAgent: event.userAgent?.slice(0, 500) ?? null, outcome: event.outcome,
  });
}

export async function listSignIns(ctx: Ctx, actor: Actor, page: { cursor?: string; limit?: number }): Promise<{ items: SignInView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(page.limit ?? 20, 1), 100);
  const cursor = page.cursor && /^\d{1,18}$/.test(page.cursor) ? Number(page.cursor) : null;
  const rows = await ctx.db.select().from(signInEvents)
    .where(cursor === null ? eq(signInEvents.accountId, actor.id) : and(eq(signInEvents.accountId, actor.id), lt(signInEvents.id, cursor)))
    .orderBy(desc(signInEvents.id)).limit(limit + 1);
  const items = rows.slice(0, limit).map((r) => ({
    id: String(r.id), at: r.at.toISOString(), ip: r.ipAddress, userAgent: r.userAgent, device: deviceLabel(r.userAgent),
    outcome: r.outcome as SignInOutcome, succeeded: r.outcome === 'succeeded',
  }));
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}

/**
 * After a successful sign-in: a mail when the browser (family and system, see deviceLabel)
 * is new for this Account, that is, neither an earlier successful sign-in nor another open
 * session used it. The very first session of an Account (the verification link) mails nothing.
 */
export async function mailIfNewDevice(ctx: Ctx, input: { accountId: string; newSessionId: string | null; ip: string | null; userAgent: string | null }): Promise<boolean> {
  const label = deviceLabel(input.userAgent);
  const [earlierEvents, otherSessions] = await Promise.all([
    ctx.db.selectDistinct({ userAgent: signInEvents.userAgent }).from(signInEvents)
      .where(and(eq(signInEvents.accountId, input.accountId), eq(signInEvents.outcome, 'succeeded'))),
    ctx.db.select({ userAgent: sessions.userAgent }).from(sessions)
      .where(input.newSessionId ? and(eq(sessions.userId, input.accountId), ne(sessions.id, input.newSessionId)) : eq(sessions.userId, input.accountId)),
  ]);
  const known = [...earlierEvents, ...otherSessions];
  // Called before this success is recorded: nothing known yet means the Account's first browser.
  if (known.length === 0 || known.some((k) => deviceLabel(k.userAgent) === label)) return false;
  const [account] = await ctx.db.select({ email: accounts.email, firstName: accounts.firstName, name: accounts.name })
    .from(accounts).where(eq(accounts.id, input.accountId));
  if (!account) return false;
  const at = ctx.clock.now();
  const prefs = await accountsRepo.mailPrefs(ctx.db, account.email);
  await enqueueMail(ctx.db, newDeviceMail({
    to: account.email, name: account.firstName || account.name, device: label, ip: input.ip ?? null, at, url: `${ctx.config.publicUrl}/profile/security`,
  }, prefs), at);
  return true;
}

export async function mailLockout(ctx: Ctx, email: string, minutes: number): Promise<void> {
  const [account] = await ctx.db.select({ email: accounts.email, firstName: accounts.firstName, name: accounts.name })
    .from(accounts).where(eq(accounts.email, email));
  if (!account) return;
  const prefs = await accountsRepo.mailPrefs(ctx.db, account.email);
  await enqueueMail(ctx.db, lockedMail({ to: account.email, name: account.firstName || account.name, minutes, url: `${ctx.config.publicUrl}/forgot-password` }, prefs), ctx.clock.now());
}
