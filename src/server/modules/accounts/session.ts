import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import { accounts, sessions } from '../../db/schema.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../shared/clock.js';

export interface Actor {
  id: string;
  email: string;
  emailVerified: boolean;
  firstName: string;
  lastName: string;
  accountType: 'developer' | 'client';
  newsletter: boolean;
  sessionId: string;
}

/** The raw session token from a signed Better Auth cookie value (`token.signature`), or null. */
export function unsignCookie(raw: string, secret: string): string | null {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return null;
  }
  const dot = value.lastIndexOf('.');
  if (dot < 1) return null;
  const token = value.slice(0, dot);
  const signature = Buffer.from(value.slice(dot + 1), 'base64');
  const expected = createHmac('sha256', secret).update(token).digest();
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return null;
  return token;
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function prepareLookup(db: Db) {
  return db.select({
    sessionId: sessions.id, id: accounts.id, email: accounts.email, emailVerified: accounts.emailVerified,
    firstName: accounts.firstName, lastName: accounts.lastName, accountType: accounts.accountType, newsletter: accounts.newsletter,
  }).from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.userId))
    .where(and(eq(sessions.token, sql.placeholder('token')), gt(sessions.expiresAt, sql.placeholder('now'))))
    .prepare('actor_by_session_token');
}

const prepared = new WeakMap<Db, ReturnType<typeof prepareLookup>>();

/**
 * Who is calling: one indexed query (sessions by token joined to the Account), on our
 * own hot path rather than Better Auth's (SPEC section 7). A named prepared statement, so
 * PostgreSQL parses and plans it once per connection, not once per request.
 */
export async function findActorBySessionToken(db: Db, token: string, clock: Clock): Promise<Actor | null> {
  let statement = prepared.get(db);
  if (!statement) {
    statement = prepareLookup(db);
    prepared.set(db, statement);
  }
  const [row] = await statement.execute({ token, now: clock.now() });
  if (!row) return null;
  return { ...row, accountType: row.accountType === 'client' ? 'client' : 'developer' };
}
