import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
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

interface Row {
  session_id: string; id: string; email: string; email_verified: boolean; first_name: string;
  last_name: string; account_type: string; newsletter: boolean;
}

/**
 * Who is calling: one indexed query (sessions by token joined to the Account), on our
 * own hot path rather than Better Auth's (SPEC section 7).
 */
export async function findActorBySessionToken(db: Db, token: string, clock: Clock): Promise<Actor | null> {
  const result = await db.execute(sql`
    SELECT s.id AS session_id, a.id, a.email, a.email_verified, a.first_name, a.last_name, a.account_type, a.newsletter
    FROM sessions s JOIN accounts a ON a.id = s.account_id
    WHERE s.token = ${token} AND s.expires_at > ${clock.now()}`);
  const row = (result.rows as unknown as Row[])[0];
  if (!row) return null;
  return {
    id: row.id, email: row.email, emailVerified: row.email_verified, firstName: row.first_name,
    lastName: row.last_name, accountType: row.account_type === 'client' ? 'client' : 'developer',
    newsletter: row.newsletter, sessionId: row.session_id,
  };
}
