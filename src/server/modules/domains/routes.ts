import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/actor.js';
import type { Services } from '../../services.js';
import { MAX_HOSTNAME_INPUT } from '../../../shared/hostname.js';
import { addDomain } from './addDomain.js';
import { listDomains } from './listDomains.js';
import { removeDomain } from './removeDomain.js';
import { verifyDomain } from './verifyDomain.js';
import { domainSchema } from './view.js';

const tags = ['domains'];
const params = z.object({ name: z.string().min(1).max(100) });
const domainParams = params.extend({ hostname: z.string().min(1).max(MAX_HOSTNAME_INPUT) });

/** An App's custom domains (SPEC 4.13, API.md "Domains and cost approvals"). */
export function registerDomainRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/apps/:name/domains', {
    schema: {
      tags, params, description: 'The App\'s custom domains (at most 20, by host name) with the DNS records to set.',
      response: { 200: z.object({ items: z.array(domainSchema), nextCursor: z.null() }) },
    },
  }, async (request) => listDomains(services, await requireActor(services, request), request.params.name));

  r.post('/api/v1/apps/:name/domains', {
    schema: {
      tags, params,
      description: 'Adds a domain, `pending` until its TXT record is found. 400 `validation_failed` for a host name that is not valid (`errors[0].reason` says why); 409 `conflict` when another App has it, this App has it already, or the App has 20 domains.',
      // Longer than a host name can be, so the rule's own refusal (with its `reason`) answers.
      body: z.strictObject({ hostname: z.string().max(4 * MAX_HOSTNAME_INPUT, 'A domain can be at most 253 characters long.') }),
      response: { 201: domainSchema },
    },
  }, async (request, reply) => {
    const created = await addDomain(services, await requireActor(services, request), request.params.name, request.body);
    return reply.code(201).send(created);
  });

  r.post('/api/v1/apps/:name/domains/:hostname/verify', {
    schema: {
      tags, params: domainParams,
      description: 'Looks the TXT record up now: `verified` when found; otherwise still `pending` (200), with `lastCheck.result` `missing`, `mismatch` or `lookup_failed`.',
      response: { 200: domainSchema },
    },
  }, async (request) => verifyDomain(services, await requireActor(services, request), request.params.name, request.params.hostname));

  r.delete('/api/v1/apps/:name/domains/:hostname', {
    schema: { tags, params: domainParams, description: 'Removes the domain; the host name is free for any App at once.', response: { 204: z.null().describe('Removed') } },
  }, async (request, reply) => {
    await removeDomain(services, await requireActor(services, request), request.params.name, request.params.hostname);
    return reply.code(204).send(null);
  });
}
