import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/actor.js';
import { compiledSerializer } from '../../http/serializer.js';
import type { Services } from '../../services.js';
import { LANGUAGES } from '../../../shared/i18n/index.js';
import { isTimeZone } from '../../../shared/format.js';
import { profileOf, updateProfile } from './profile.js';
import { endOtherSessions, endSession, listSessions, listSignIns } from './security.js';
import { addSshKey, deleteSshKey, listSshKeys } from './sshKeys.js';

const personName = z.string().trim().max(100, 'Use at most 100 characters.');
const profile = z.object({
  id: z.string(), email: z.string(), emailVerified: z.boolean(), firstName: z.string(), lastName: z.string(),
  accountType: z.enum(['developer', 'client']), newsletter: z.boolean(), language: z.enum(LANGUAGES).nullable(),
  twoFactorEnabled: z.boolean(), timeZone: z.string().nullable(),
});
/** An IANA zone name the runtime knows ("Europe/Berlin"); anything else is a 400. */
const timeZone = z.string().max(64).refine(isTimeZone, 'Use an IANA time zone such as Europe/Berlin.');
const sshKey = z.object({ id: z.string(), title: z.string(), fingerprint: z.string(), keyType: z.string(), bits: z.number(), createdAt: z.string() });
const tags = ['account'];

export function registerAccountRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // The authenticated no-op of the benchmark: Fastify's compiled serializer, as for the big lists (issue 14).
  r.get('/api/v1/me', { schema: { tags, response: { 200: profile } }, serializerCompiler: compiledSerializer }, async (request) =>
    profileOf(await requireActor(services, request)));

  r.patch('/api/v1/me', {
    schema: {
      tags,
      body: z.strictObject({
        firstName: personName.optional(), lastName: personName.optional(),
        accountType: z.enum(['developer', 'client']).optional(), newsletter: z.boolean().optional(),
        language: z.enum(LANGUAGES, 'Choose "en" or "de".').optional(), timeZone: timeZone.optional(),
      }),
      response: { 200: profile },
    },
  }, async (request) => updateProfile(services, await requireActor(services, request), request.body));

  r.get('/api/v1/me/ssh-keys', { schema: { tags, response: { 200: z.object({ items: z.array(sshKey) }) } } }, async (request) =>
    ({ items: await listSshKeys(services, await requireActor(services, request)) }));

  r.post('/api/v1/me/ssh-keys', {
    schema: {
      tags,
      body: z.strictObject({ title: z.string().trim().max(100), publicKey: z.string().min(1, 'Paste your public key.').max(16_384) }),
      response: { 201: sshKey },
    },
  }, async (request, reply) => reply.code(201).send(await addSshKey(services, await requireActor(services, request), request.body)));

  r.delete('/api/v1/me/ssh-keys/:id', { schema: { tags, params: z.object({ id: z.string().max(100) }) } }, async (request, reply) => {
    await deleteSshKey(services, await requireActor(services, request), request.params.id);
    return reply.code(204).send();
  });

  registerSecurityRoutes(app, services);
}

const securityTags = ['account security'];
const sessionView = z.object({
  id: z.string(), current: z.boolean(), userAgent: z.string().nullable(), device: z.string(), ip: z.string().nullable(),
  createdAt: z.string(), lastSeenAt: z.string(),
});
const signInEvent = z.object({
  id: z.string(), at: z.string(), ip: z.string().nullable(), userAgent: z.string().nullable(), device: z.string(),
  outcome: z.enum(['succeeded', 'wrong_password', 'locked', 'wrong_code']), succeeded: z.boolean(),
});

/** Profile → Security (SPEC 4.10): the caller's sessions and sign-in history. Never tokens. */
export function registerSecurityRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/me/sessions', {
    schema: { tags: securityTags, description: 'The caller\'s active sessions, the current one first. `device` is the browser and system in words.', response: { 200: z.object({ items: z.array(sessionView) }) } },
  }, async (request) => ({ items: await listSessions(services, await requireActor(services, request)) }));

  r.delete('/api/v1/me/sessions/:id', {
    schema: { tags: securityTags, description: 'Ends one of the caller\'s sessions (the current one signs out). 404 for a session that is not the caller\'s.', params: z.object({ id: z.string().max(100) }) },
  }, async (request, reply) => {
    await endSession(services, await requireActor(services, request), request.params.id);
    return reply.code(204).send();
  });

  r.post('/api/v1/me/sessions/revoke-others', {
    schema: { tags: securityTags, description: 'Ends every session of the caller except this one.' },
  }, async (request, reply) => {
    const actor = await requireActor(services, request);
    await endOtherSessions(services.db, actor.id, actor.sessionId);
    return reply.code(204).send();
  });

  r.get('/api/v1/me/sign-in-history', {
    schema: {
      tags: securityTags, description: 'The caller\'s recent sign-ins and failed attempts, newest first.',
      querystring: z.strictObject({ cursor: z.string().max(20).optional(), limit: z.coerce.number().int().min(1).max(100).optional() }),
      response: { 200: z.object({ items: z.array(signInEvent), nextCursor: z.string().nullable() }) },
    },
  }, async (request) => listSignIns(services, await requireActor(services, request), request.query));
}
