import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { credentials, sessions } from '../../db/schema.js';
import type { Ctx } from '../../services.js';
import { AppError } from '../../shared/errors.js';
import { passwordHasher } from './passwords.js';
import type { Actor } from './session.js';
import { clearGuard, reserveSignInAttempt } from './throttle.js';

/**
 * Re-authentication (SPEC 4.10, ADR 0040): deleting a Company, changing a payment method,
 * transferring an App and turning two-factor off need the password (or a code) within the
 * last 10 minutes. A session is fresh for 10 minutes after a password sign-in, a completed
 * two-factor sign-in, or POST /api/v1/me/reauthenticate — never just because it is young.
 */
export const REAUTH_WINDOW_MS = 10 * 60_000;

export async function isFresh(db: DbOrTx, sessionId: string, now: Date): Promise<boolean> {
  const [row] = await db.select({ at: sessions.reauthenticatedAt }).from(sessions).where(eq(sessions.id, sessionId));
  return !!row?.at && now.getTime() - row.at.getTime() <= REAUTH_WINDOW_MS && row.at.getTime() <= now.getTime() + 60_000;
}

/** Throws 403 reauthentication_required unless the caller proved the password or a code within 10 minutes. */
export async function requireFresh(db: DbOrTx, actor: Actor, now: Date, what: string): Promise<void> {
  if (await isFresh(db, actor.sessionId, now)) return;
  throw new AppError('reauthentication_required', `${what} needs your password again (or a code from your authenticator app). Please confirm it and try again.`);
}

export async function markReauthenticated(db: DbOrTx, sessionId: string, at: Date): Promise<void> {
  await db.update(sessions).set({ reauthenticatedAt: at }).where(eq(sessions.id, sessionId));
}

/**
 * Checks the caller's password for a re-authentication. Wrong passwords count against the
 * same per-Account limit as sign-ins (a stolen session cannot guess the password freely).
 */
export async function reauthenticateWithPassword(ctx: Ctx, actor: Actor, password: string): Promise<void> {
  const now = ctx.clock.now();
  const reservation = await reserveSignInAttempt(ctx.db, actor.email, now);
  if (!reservation.allowed) throw new AppError('rate_limited', 'Too many wrong passwords for this account. Please wait a while and try again.', undefined, { reason: 'locked' });
  const [row] = await ctx.db.select({ hash: credentials.password }).from(credentials)
    .where(and(eq(credentials.userId, actor.id), eq(credentials.providerId, 'credential')));
  if (!row?.hash || !(await passwordHasher.verify({ hash: row.hash, password }))) {
    throw new AppError('validation_failed', 'That password is not right.', [{ path: 'password', message: 'That password is not right.', reason: 'password_wrong' }]);
  }
  await clearGuard(ctx.db, actor.email);
  await markReauthenticated(ctx.db, actor.sessionId, now);
}
