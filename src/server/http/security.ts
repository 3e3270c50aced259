import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { installInputRule } from './inputRule.js';
import { sendProblem } from './problem.js';

export const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Security headers on every answer, and the Origin rule of SPEC section 5: a
 * cookie-authenticated request that changes state must come from our own origin.
 */
export function installSecurity(app: FastifyInstance, config: Config) {
  const ownOrigin = new URL(config.publicUrl).origin;
  // SPEC 5: answers with personal or billing data are not stored by browsers or proxies.
  // Every /api answer to a request that carries credentials, and every identity answer.
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    if (request.headers.cookie || request.headers.authorization || request.url.startsWith('/api/auth/')) {
      reply.header('Cache-Control', 'no-store');
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('Content-Security-Policy', CSP);
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (config.publicUrl.startsWith('https://')) reply.header('Strict-Transport-Security', 'max-age=31536000');
    if (SAFE_METHODS.has(request.method) || !request.url.startsWith('/api/')) return;
    if (!request.headers.cookie) return;
    const origin = request.headers.origin;
    if (origin !== ownOrigin) {
      return sendProblem(reply, 'forbidden', 'This request did not come from the Dashboard itself, so it was refused (cross-site request protection).');
    }
  });
  // After the headers above, so refused input gets them too.
  installInputRule(app);
}
