import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../authz/permissions.js';
import { requireActor } from '../../http/actor.js';
import type { Services } from '../../services.js';
import { appDetailSchema } from '../apps/view.js';
import { transferApp } from '../transfers/transferApp.js';
import { changeMemberRole } from './changeRole.js';
import { dismissMember, leaveCompany } from './removeMember.js';

const tags = ['members'];
const memberParams = z.object({ id: z.string().max(100), accountId: z.string().max(100) });
const member = z.object({
  accountId: z.string(), email: z.string(), firstName: z.string(), lastName: z.string(), role: z.enum(ROLES), appNames: z.array(z.string()).optional(),
});

/** Team work (SPEC 4.3, 4.5): role changes, dismissing, leaving, moving Apps between Companies. */
export function registerMemberRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.patch('/api/v1/companies/:id/members/:accountId', {
    schema: {
      tags, params: memberParams,
      body: z.strictObject({ role: z.enum(ROLES), appNames: z.array(z.string().max(100)).max(200).optional() }),
      response: { 200: member },
    },
  }, async (request) => changeMemberRole(services, await requireActor(services, request), request.params.id, request.params.accountId, request.body));

  r.delete('/api/v1/companies/:id/members/:accountId', { schema: { tags, params: memberParams } }, async (request, reply) => {
    await dismissMember(services, await requireActor(services, request), request.params.id, request.params.accountId);
    return reply.code(204).send();
  });

  r.post('/api/v1/companies/:id/leave', {
    schema: { tags, params: z.object({ id: z.string().max(100) }), body: z.strictObject({ confirm: z.string().max(300) }) },
  }, async (request, reply) => {
    await leaveCompany(services, await requireActor(services, request), request.params.id, request.body.confirm);
    return reply.code(204).send();
  });

  r.post('/api/v1/apps/:name/transfer', {
    schema: {
      tags: ['apps'], params: z.object({ name: z.string().max(100) }),
      description: 'An owner of both Companies moves a non-trial App. Needs the password (or a code) within the last 10 minutes (403 reauthentication_required otherwise).',
      body: z.strictObject({ toCompanyId: z.string().min(1).max(100), billingContactId: z.string().min(1).max(100) }),
      response: { 200: appDetailSchema },
    },
  }, async (request) => transferApp(services, await requireActor(services, request), request.params.name, request.body));
}
