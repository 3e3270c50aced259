import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { isReady } from '../db/client.js';
import { WEB_DIST } from '../webBuild.js';
import type { Services } from '../services.js';
import { registerAccountRoutes } from '../modules/accounts/routes.js';
import { registerAuthRoutes } from './authRoutes.js';
import { registerDevMailbox } from './devMailbox.js';
import { frameworkErrors, installErrorHandling, sendProblem } from './problem.js';
import { installSecurity } from './security.js';
import { readsOnly } from './actor.js';
import { registerModuleRoutes } from './modules.js';
import { registerInvitationRoutes } from '../modules/invitations/routes.js';
import { registerMemberRoutes } from '../modules/members/routes.js';

export { WEB_DIST };

/** A hop count believes that many proxies nearest to us; a list believes those addresses. */
function fastifyTrustProxy(trust: Services['config']['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return trust;
}

export async function buildApp(services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: services.log as unknown as FastifyBaseLogger,
    bodyLimit: 100 * 1024,
    // The client address comes from the socket unless TRUST_PROXY names the proxies (ADR 0021).
    trustProxy: fastifyTrustProxy(services.config.trustProxy),
    // Long path parameters reach the zod schemas and get a 400 problem, not the router's bare 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2000 },
    // Bad percent-escapes and over-long parameters answer in the problem format too (issue 9).
    frameworkErrors,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installSecurity(app, services.config);
  // Every 429 says when to come back (issue 9, defect 11); the identity routes set the exact wait.
  app.addHook('onSend', async (request, reply) => {
    if (reply.statusCode === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
    // Anything that may have changed a session or an Account (every method but GET and HEAD,
    // everything under /api/auth/) empties this process's identity cache before it answers
    // (ADR 0116); other processes hear of it through NOTIFY.
    if (!readsOnly(request)) services.identity.clear();
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Dashboard API', version: '1.0.0', description: 'The HTTP contract of the Dashboard (see API.md).' },
      servers: [{ url: services.config.publicUrl }],
    },
    transform: jsonSchemaTransform,
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    if (await isReady(services.db)) return { status: 'ready' };
    return reply.code(503).send({ status: 'not ready' });
  });

  registerAuthRoutes(app, services);
  registerAccountRoutes(app, services);
  registerModuleRoutes(app, services);
  registerInvitationRoutes(app, services);
  registerMemberRoutes(app, services);
  registerDevMailbox(app, services);

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const hasWeb = existsSync(path.join(WEB_DIST, 'index.html'));
  if (hasWeb) {
    // wildcard: files are looked up at request time, so a rebuild while running is served.
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: true, index: false });
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').sendFile('index.html'));
  }
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/') || request.url.startsWith('/assets/') || request.method !== 'GET') {
      return sendProblem(reply, 'not_found', 'There is nothing at this address.');
    }
    if (!hasWeb) {
      return reply.code(503).type('text/plain').send('The web app is not built yet: run `npm run build` (npm start does it for you).');
    }
    // The single-page app handles every other path.
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
  return app;
}
