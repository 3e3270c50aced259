import type { FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.js';
import { COOKIE_PREFIX, SESSION_COOKIE } from '../modules/accounts/auth.js';
import { findActorBySessionToken, readCookie, unsignCookie, type Actor } from '../modules/accounts/session.js';
import { needsTouch, touchSession } from '../modules/accounts/security.js';
import type { Services } from '../services.js';

const cache = new WeakMap<FastifyRequest, Promise<Actor | null>>();

export function sessionCookieName(secure: boolean): string {
  return `${secure ? '__Secure-' : ''}${COOKIE_PREFIX}.${SESSION_COOKIE}`;
}

/** Requests that may take their caller from the identity cache: reads outside Better Auth's endpoints (ADR 0116). */
export function readsOnly(request: FastifyRequest): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/api/auth/');
}

/**
 * The signed-in Account of this request, or null; memoised per request. A read may be
 * answered from the identity cache (no query; ADR 0116), anything else reads the session
 * with one query.
 */
export function currentActor(services: Services, request: FastifyRequest): Promise<Actor | null> {
  let found = cache.get(request);
  if (!found) {
    const raw = readCookie(request.headers.cookie, sessionCookieName(services.config.publicUrl.startsWith('https://')));
    const token = raw ? unsignCookie(raw, services.config.authSecret) : null;
    found = token ? identify(services, token, readsOnly(request)) : Promise.resolve(null);
    cache.set(request, found);
  }
  return found;
}

async function identify(services: Services, token: string, mayUseCache: boolean): Promise<Actor | null> {
  const now = services.clock.now();
  const identities = services.identity;
  let actor = mayUseCache ? identities.get(token, now.getTime()) : null;
  if (!actor) {
    const generation = identities.begin();
    const found = await findActorBySessionToken(services.db, token, services.clock);
    if (!found) return null;
    actor = found.actor;
    identities.set(token, actor, generation, now.getTime(), found.expiresAt.getTime());
  }
  // "Last seen" for the sessions list: one UPDATE per session every 5 minutes at most (a
  // cached identity is marked at once, so concurrent reads do not write it again).
  const lastSeenAt = actor.lastSeenAt;
  if (needsTouch(lastSeenAt, now)) {
    actor.lastSeenAt = now;
    await touchSession(services.db, actor.sessionId, lastSeenAt, now);
  }
  return actor;
}

export async function requireActor(services: Services, request: FastifyRequest): Promise<Actor> {
  const actor = await currentActor(services, request);
  if (!actor) throw new AppError('unauthenticated', 'Please sign in to continue.');
  return actor;
}
