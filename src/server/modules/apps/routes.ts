import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/actor.js';
import type { Services } from '../../services.js';
import { costRequestAnswerSchema } from '../costs/view.js';
import { planInput } from '../plans/pricing.js';
import { bookApp, createTrialApp } from './createApp.js';
import { getEnv, putEnv } from './env.js';
import { compiledSerializer } from '../../http/serializer.js';
import { listMyAppsUnlessKnown } from './listApps.js';
import { sendCachedPage } from '../../http/pageCache.js';
import { deleteApp, getApp, scaleApp, updateAppNotes } from './manageApp.js';
import { appDetailSchema, appNameInput, appSummarySchema, REGIONS } from './view.js';

const tags = ['apps'];
const params = z.object({ name: z.string().min(1).max(100) });
const region = z.enum(REGIONS, { error: 'Choose a region: eu1 (Europe) or us1 (United States).' });
const vars = z.record(z.string().max(1000), z.string());

/**
 * One object for both kinds of App, so a mistake is reported on its field: a trial is
 * `{name, region, trial: true}`; a booking `{name, region, companyId, billingContactId, plan}`.
 */
const BOOKING_FIELDS = ['companyId', 'billingContactId', 'plan'] as const;
const createBody = z.strictObject({
  name: appNameInput, region, trial: z.literal(true).optional(),
  companyId: z.string().min(1).max(100).optional(), billingContactId: z.string().min(1).max(100).optional(), plan: planInput.optional(),
}).superRefine((body, ctx) => {
  for (const field of BOOKING_FIELDS) {
    if (body.trial && body[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'A trial App has no Company, billing contact or plan.' });
    if (!body.trial && body[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'Required to book an App (or send "trial": true for a trial App).' });
  }
});

const myAppsPage = z.object({ items: z.array(appSummarySchema), nextCursor: z.string().nullable() });
const serializeMyApps = compiledSerializer({ schema: myAppsPage }) as (page: z.infer<typeof myAppsPage>) => string;

export function registerAppRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actorOf = (request: Parameters<typeof requireActor>[1]) => requireActor(services, request);

  r.get('/api/v1/apps', {
    schema: {
      tags, description: 'My Apps; `companyId` narrows the list to the Apps of one Company that I may see.',
      querystring: z.strictObject({
        cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(1000).optional(), companyId: z.string().min(1).max(100).optional(),
      }),
      response: { 200: myAppsPage },
    },
    serializerCompiler: compiledSerializer,
  }, async (request, reply) => {
    const actor = await actorOf(request);
    // The rendered page is reused while its fingerprint holds (ADR 0120).
    return sendCachedPage(reply, services.pages, `apps\n${actor.id}\n${JSON.stringify(request.query)}`,
      (known) => listMyAppsUnlessKnown(services, actor, request.query, known), serializeMyApps);
  });

  r.post('/api/v1/apps', {
    schema: {
      tags,
      description: 'A trial App (`trial: true`; verified Accounts, one at a time) or an App booked for a Company on one of its billing contacts (owner or admin).',
      body: createBody,
      response: { 201: appDetailSchema, 202: costRequestAnswerSchema.describe('The Company requires approval: an owner decides (nothing is booked yet)') },
    },
  }, async (request, reply) => {
    const actor = await actorOf(request);
    const { name, region, trial, companyId, billingContactId, plan } = request.body;
    const created = trial
      ? await createTrialApp(services, actor, { name, region })
      : await bookApp(services, actor, { name, region, companyId: companyId!, billingContactId: billingContactId!, plan: plan! });
    return 'costRequest' in created ? reply.code(202).send(created) : reply.code(201).send(created);
  });

  r.get('/api/v1/apps/:name', { schema: { tags, params, response: { 200: appDetailSchema } } },
    async (request) => getApp(services, await actorOf(request), request.params.name));

  r.patch('/api/v1/apps/:name', {
    schema: { tags, params, body: z.strictObject({ notes: z.string().max(10_000, 'Notes can be at most 10,000 characters.').optional() }), response: { 200: appDetailSchema } },
  }, async (request) => updateAppNotes(services, await actorOf(request), request.params.name, request.body));

  r.delete('/api/v1/apps/:name', { schema: { tags, params, description: 'The name stays reserved for 7 days.', response: { 204: z.null().describe('Deleted') } } }, async (request, reply) => {
    await deleteApp(services, await actorOf(request), request.params.name);
    return reply.code(204).send(null);
  });

  r.put('/api/v1/apps/:name/plan', {
    schema: {
      tags, params, body: z.strictObject({ plan: planInput }),
      response: { 200: appDetailSchema, 202: costRequestAnswerSchema.describe('The Company requires approval: an owner decides (the plan is unchanged)') },
    },
  }, async (request, reply) => {
    const result = await scaleApp(services, await actorOf(request), request.params.name, request.body);
    return 'costRequest' in result ? reply.code(202).send(result) : reply.code(200).send(result);
  });

  r.get('/api/v1/apps/:name/env', { schema: { tags, params, response: { 200: z.object({ vars }) } } },
    async (request) => ({ vars: await getEnv(services, await actorOf(request), request.params.name) }));

  r.put('/api/v1/apps/:name/env', {
    // 100 variables of 4 kB each do not fit the default 100 kB body limit.
    bodyLimit: 600 * 1024,
    schema: {
      tags, params, description: 'Replaces all variables: names `[A-Z_][A-Z0-9_]*`, values up to 4 kB, at most 100.',
      body: z.strictObject({ vars }), response: { 200: z.object({ vars }) },
    },
  }, async (request) => ({ vars: await putEnv(services, await actorOf(request), request.params.name, request.body.vars) }));
}
