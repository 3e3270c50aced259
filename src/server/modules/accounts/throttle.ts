import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';

/**
 * Per-Account sign-in throttling (SPEC 4.10, ADR 0040), beside Better Auth's per-address
 * limit. Keyed by the normalised e-mail, so unknown e-mails behave exactly like known ones.
 *
 * Every attempt first reserves a place atomically (one UPDATE … RETURNING), so parallel
 * requests from many addresses cannot get more than `MAX_FAILURES` guesses in between.
 * The attempt that fills the window locks the Account for 15 minutes, doubling with each
 * lockout up to 24 hours; while locked even the right password is refused with 429. A
 * successful sign-in or a password reset clears the record; a browser that has signed in
 * before (or reset the password) carries a signed pass and is not held by the lock.
 */
export const MAX_FAILURES = 10;
export const FAILURE_WINDOW_MS = 15 * 60_000;
export const FIRST_LOCK_MS = 15 * 60_000;
export const MAX_LOCK_MS = 24 * 60 * 60_000;
export const SIGN_IN_PASS_COOKIE = 'dashboard.sign_in_pass';
export const SIGN_IN_PASS_MAX_AGE_SECONDS = 90 * 24 * 60 * 60;

export type Reservation =
  | { allowed: true; failures: number; locksNow: boolean; lockMinutes: number }
  | { allowed: false; retryAfterSeconds: number };

/** Reserves one attempt for this e-mail, or says how long it stays locked. */
export async function reserveSignInAttempt(db: DbOrTx, email: string, now: Date): Promise<Reservation> {
  const windowStart = new Date(now.getTime() - FAILURE_WINDOW_MS);
  await db.execute(sql`INSERT INTO sign_in_guards (email, failures, window_started_at) VALUES (${email}, 0, ${now}) ON CONFLICT (email) DO NOTHING`);
  // A window older than FAILURE_WINDOW_MS starts again at 1; the MAX_FAILURES-th attempt sets the lock.
  const result = await db.execute<{ failures: number; locked_until: Date | string | null }>(sql`
    UPDATE sign_in_guards SET
      failures = CASE WHEN window_started_at <= ${windowStart} THEN 1 ELSE failures + 1 END,
      window_started_at = CASE WHEN window_started_at <= ${windowStart} THEN ${now} ELSE window_started_at END,
      locked_until = CASE
        WHEN (CASE WHEN window_started_at <= ${windowStart} THEN 1 ELSE failures + 1 END) >= ${MAX_FAILURES}
        THEN ${now}::timestamptz + LEAST(${FIRST_LOCK_MS}::bigint * (2 ^ LEAST(lockouts, 10))::bigint, ${MAX_LOCK_MS}::bigint) * interval '1 millisecond'
        ELSE NULL END
    WHERE email = ${email} AND (locked_until IS NULL OR locked_until <= ${now})
    RETURNING failures, locked_until`);
  const row = result.rows[0];
  if (row) {
    const lockMs = row.locked_until === null ? 0 : new Date(row.locked_until).getTime() - now.getTime();
    return { allowed: true, failures: Number(row.failures), locksNow: row.locked_until !== null, lockMinutes: Math.round(lockMs / 60_000) };
  }
  const locked = await db.execute<{ locked_until: Date | string }>(sql`SELECT locked_until FROM sign_in_guards WHERE email = ${email}`);
  const until = locked.rows[0] ? new Date(locked.rows[0].locked_until) : now;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) };
}

/** The wrong password was given: the reservation stands; a lock that began with it counts as one more lockout. */
export async function recordFailedAttempt(db: DbOrTx, email: string, locksNow: boolean): Promise<void> {
  if (!locksNow) return;
  await db.execute(sql`UPDATE sign_in_guards SET lockouts = lockouts + 1, failures = 0 WHERE email = ${email}`);
}

/** The attempt did not test the password (per-address limit, bad request): give the place back. */
export async function releaseAttempt(db: DbOrTx, email: string): Promise<void> {
  await db.execute(sql`UPDATE sign_in_guards SET failures = GREATEST(failures - 1, 0),
    locked_until = CASE WHEN failures - 1 < ${MAX_FAILURES} THEN NULL ELSE locked_until END
    WHERE email = ${email} AND failures > 0`);
}

/** The right password (or a password reset): the Account starts afresh. */
export async function clearGuard(db: DbOrTx, email: string): Promise<void> {
  await db.execute(sql`DELETE FROM sign_in_guards WHERE email = ${email}`);
}

function passSignature(secret: string, email: string, expires: number): Buffer {
  return createHmac('sha256', secret).update(`sign-in-pass|${email}|${expires}`).digest();
}

/** A signed pass for this browser and e-mail: sign-ins with it are not held by the lock. */
export function makeSignInPass(secret: string, email: string, now: Date): string {
  const expires = now.getTime() + SIGN_IN_PASS_MAX_AGE_SECONDS * 1000;
  return `${expires}.${passSignature(secret, email, expires).toString('base64url')}`;
}

export function checkSignInPass(secret: string, email: string, value: string | null, now: Date): boolean {
  if (!value) return false;
  const [expiresText, signature] = value.split('.');
  const expires = Number(expiresText);
  if (!Number.isSafeInteger(expires) || expires <= now.getTime() || !signature) return false;
  const given = Buffer.from(signature, 'base64url');
  const expected = passSignature(secret, email, expires);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
