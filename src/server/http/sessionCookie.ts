import { createHmac } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { SESSION_TTL_SECONDS } from '../modules/accounts/auth.js';
import { sessionsRepo } from '../modules/accounts/repo.js';
import type { Services } from '../services.js';
import { sessionCookieName } from './actor.js';

/**
 * Signs an Account in outside Better Auth's own endpoints (after an invitation sign-up, or
 * to renew the session after a handover): Better Auth creates the session, we set its cookie
 * in Better Auth's signed format. `replaceSessionId` ends the previous session.
 */
export async function issueSession(services: Services, reply: FastifyReply, accountId: string, replaceSessionId?: string): Promise<void> {
  const context = await services.auth.$context;
  const session = await context.internalAdapter.createSession(accountId);
  if (!session) throw new Error('could not create a session');
  if (replaceSessionId) await sessionsRepo.deleteById(services.db, replaceSessionId);
  const secure = services.config.publicUrl.startsWith('https://');
  const signature = createHmac('sha256', services.config.authSecret).update(session.token).digest('base64');
  const value = encodeURIComponent(`${session.token}.${signature}`);
  reply.header('set-cookie', `${sessionCookieName(secure)}=${value}; Max-Age=${SESSION_TTL_SECONDS}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
}
