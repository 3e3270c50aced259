import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { installInputRule } from './inputRule.js';
import { sendProblem } from './problem.js';

export const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** /api paths whose answers are the same for everyone and carry no personal data. */
export const PUBLIC_API = new Set(['/api/v1/plans', '/api/v1/openapi.json', '/api/v1/site']);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Security headers on every answer, and the Origin rule of SPEC section 5: a
 * cookie-authenticated request that changes state must come from our own origin.
 */
export function installSecurity(app: FastifyInstance, config: Config) {
  const ownOrigin = new URL(config.publicUrl).origin;
  // SPEC 5: answers with personal or billing data are not stored by browsers or proxies.
  // Every /api answer, signed in or not (an invitation lookup names the inviter), except the
  // few public documents that carry nothing personal (issue 16).
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    if (PUBLIC_API.has(request.url.split('?')[0]) && !request.headers.cookie && !request.headers.authorization) return;
    reply.header('Cache-Control', 'no-store');
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
