import type { FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.js';
import { COOKIE_PREFIX, SESSION_COOKIE } from '../modules/accounts/auth.js';
import { findActorBySessionToken, readCookie, unsignCookie, type Actor } from '../modules/accounts/session.js';
import { touchSession } from '../modules/accounts/security.js';
import type { Services } from '../services.js';

const cache = new WeakMap<FastifyRequest, Promise<Actor | null>>();

export function sessionCookieName(secure: boolean): string {
  return `${secure ? '__Secure-' : ''}${COOKIE_PREFIX}.${SESSION_COOKIE}`;
}

/** The signed-in Account of this request, or null; one query, memoised per request. */
export function currentActor(services: Services, request: FastifyRequest): Promise<Actor | null> {
  let found = cache.get(request);
  if (!found) {
    const raw = readCookie(request.headers.cookie, sessionCookieName(services.config.publicUrl.startsWith('https://')));
    const token = raw ? unsignCookie(raw, services.config.authSecret) : null;
    found = token ? findActorBySessionToken(services.db, token, services.clock).then(async (actor) => {
      // "Last seen" for the sessions list: one UPDATE per session every 5 minutes at most.
      if (actor) await touchSession(services.db, actor.sessionId, actor.lastSeenAt, services.clock.now());
      return actor;
    }) : Promise.resolve(null);
    cache.set(request, found);
  }
  return found;
}

export async function requireActor(services: Services, request: FastifyRequest): Promise<Actor> {
  const actor = await currentActor(services, request);
  if (!actor) throw new AppError('unauthenticated', 'Please sign in to continue.');
  return actor;
}
