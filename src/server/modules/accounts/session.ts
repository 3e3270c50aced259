import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { namedQuery } from '../../db/named.js';
import type { Clock } from '../../shared/clock.js';
import { isLanguage, type Language } from '../../../shared/i18n/index.js';

export interface Actor {
  id: string;
  email: string;
  emailVerified: boolean;
  firstName: string;
  lastName: string;
  accountType: 'developer' | 'client';
  newsletter: boolean;
  sessionId: string;
  /** When this session last proved the password or a code (SPEC 4.10 re-authentication). */
  reauthenticatedAt: Date | null;
  /** When this session last made a request, to 5 minutes (the sessions list). */
  lastSeenAt: Date | null;
  twoFactorEnabled: boolean;
  /** The Account's chosen language and time zone (ADR 0070); null until set. */
  language?: Language | null;
  timeZone?: string | null;
}

/**
 * Cookie values whose signature was checked, and their token (issue 14: the HMAC was 5 % of an
 * authenticated no-op). Only the signature's validity is remembered, which never changes for
 * a value and a secret; whether the session still exists is read from the database on every
 * request. Valid values only (forging one needs the secret), emptied when full.
 */
const verified = new Map<string, { secret: string; token: string }>();
const MAX_VERIFIED = 10_000;

/** The raw session token from a signed Better Auth cookie value (`token.signature`), or null. */
export function unsignCookie(raw: string, secret: string): string | null {
  const known = verified.get(raw);
  if (known && known.secret === secret) return known.token;
  const token = verifySignature(raw, secret);
  if (token) {
    if (verified.size >= MAX_VERIFIED) verified.clear();
    verified.set(raw, { secret, token });
  }
  return token;
}

function verifySignature(raw: string, secret: string): string | null {
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

const ACTOR_BY_SESSION_TOKEN = `
  SELECT s.id AS "sessionId", a.id, a.email, a.email_verified AS "emailVerified", a.first_name AS "firstName",
    a.last_name AS "lastName", a.account_type AS "accountType", a.newsletter,
    s.reauthenticated_at AS "reauthenticatedAt", s.last_seen_at AS "lastSeenAt", a.two_factor_enabled AS "twoFactorEnabled",
    a.language, a.time_zone AS "timeZone", s.expires_at AS "expiresAt"
  FROM sessions s JOIN accounts a ON a.id = s.account_id
  WHERE s.token = $1 AND s.expires_at > $2`;

/**
 * Who is calling: one indexed query (sessions by token joined to the Account), on our
 * own hot path rather than Better Auth's (SPEC section 7). A named prepared statement, so
 * PostgreSQL parses and plans it once per connection, not once per request, and the row
 * comes back as it is (no ORM mapping; issue 14).
 */
export async function findActorBySessionToken(db: Db, token: string, clock: Clock): Promise<{ actor: Actor; expiresAt: Date } | null> {
  const [row] = await namedQuery<Omit<Actor, 'accountType' | 'language'> & { accountType: string; language: string | null; expiresAt: Date }>(db, 'actor_by_session_token', ACTOR_BY_SESSION_TOKEN, [token, clock.now()]);
  if (!row) return null;
  const { expiresAt, ...actor } = row;
  return { actor: { ...actor, accountType: row.accountType === 'client' ? 'client' : 'developer', language: isLanguage(row.language) ? row.language : null }, expiresAt };
}
