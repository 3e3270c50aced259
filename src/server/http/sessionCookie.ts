import { createHmac } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { generateRandomString } from 'better-auth/crypto';
import { SESSION_TTL_SECONDS } from '../modules/accounts/auth.js';
import { sessionsRepo, type SessionRenewal } from '../modules/accounts/repo.js';
import type { Services } from '../services.js';
import { sessionCookieName } from './actor.js';

function setSessionCookie(services: Services, reply: FastifyReply, token: string): void {
  const secure = services.config.publicUrl.startsWith('https://');
  const signature = createHmac('sha256', services.config.authSecret).update(token).digest('base64');
  const value = encodeURIComponent(`${token}.${signature}`);
  reply.header('set-cookie', `${sessionCookieName(secure)}=${value}; Max-Age=${SESSION_TTL_SECONDS}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
}

/**
 * A new chapter for a signed-in person (after a handover): the session gets a new token and
 * a new lifetime in Better Auth's format (32 letters and digits, signed cookie; the lifetime
 * counted from the real time, as Better Auth counts it), so the old cookie stops working at
 * once (issue 14: before, a new session through Better Auth and a delete of the old one).
 * The renewal is written by `renewSession`, or by the use-case in its own transaction.
 */
export function sessionRenewal(sessionId: string): SessionRenewal {
  const at = new Date();
  return { sessionId, token: generateRandomString(32, 'a-z', 'A-Z', '0-9'), expiresAt: new Date(at.getTime() + SESSION_TTL_SECONDS * 1000), at };
}

/** The cookie of a renewal the use-case has committed. */
export function setRenewedSessionCookie(services: Services, reply: FastifyReply, renewal: SessionRenewal): void {
  setSessionCookie(services, reply, renewal.token);
}

/** A renewal in one statement of its own. A session that ended meanwhile is not revived: no cookie is set. */
export async function renewSession(services: Services, reply: FastifyReply, sessionId: string): Promise<void> {
  const renewal = sessionRenewal(sessionId);
  if (await sessionsRepo.renew(services.db, renewal)) setRenewedSessionCookie(services, reply, renewal);
}

/**
 * Signs an Account in outside Better Auth's own endpoints (after an invitation sign-up):
 * Better Auth creates the session, we set its cookie in Better Auth's signed format.
 */
export async function issueSession(services: Services, reply: FastifyReply, accountId: string): Promise<void> {
  const context = await services.auth.$context;
  const session = await context.internalAdapter.createSession(accountId);
  if (!session) throw new Error('could not create a session');
  setSessionCookie(services, reply, session.token);
}
