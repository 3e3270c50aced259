import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/actor.js';
import type { Services } from '../../services.js';
import { approveCostRequest, declineCostRequest } from './decideCostRequest.js';
import { listCostRequests } from './listCostRequests.js';
import { COST_REQUEST_STATES, costRequestSchema } from './view.js';

const tags = ['cost requests'];
const id = z.string().min(1).max(100);
const requestParams = z.object({ id, requestId: id });

/** SPEC 4.12 / API.md "Domains and cost approvals": the owners' approvals of cost increases. */
export function registerCostRequestRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actorOf = (request: Parameters<typeof requireActor>[1]) => requireActor(services, request);

  r.get('/api/v1/companies/:id/cost-requests', {
    schema: {
      tags, params: z.object({ id }),
      description: 'Requests to raise the monthly cost, newest first: owners see all (with the amounts including VAT), an admin the ones they asked for.',
      querystring: z.strictObject({
        state: z.enum(COST_REQUEST_STATES).optional(), cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(500).optional(),
      }),
      response: { 200: z.object({ items: z.array(costRequestSchema), nextCursor: z.string().nullable() }) },
    },
  }, async (request) => listCostRequests(services, await actorOf(request), request.params.id, request.query));

  r.post('/api/v1/companies/:id/cost-requests/:requestId/approve', {
    schema: { tags, params: requestParams, description: 'An owner approves: the change is made now (409 when it was decided, expired, or no longer fits).', response: { 200: costRequestSchema } },
  }, async (request) => approveCostRequest(services, await actorOf(request), request.params.id, request.params.requestId));

  r.post('/api/v1/companies/:id/cost-requests/:requestId/decline', {
    schema: { tags, params: requestParams, description: 'An owner declines: nothing changes (409 when it was decided or expired).', response: { 200: costRequestSchema } },
  }, async (request) => declineCostRequest(services, await actorOf(request), request.params.id, request.params.requestId));
}
