import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../authz/permissions.js';
import { requireActor } from '../../http/actor.js';
import type { Services } from '../../services.js';
import { listActivity } from '../activity/listActivity.js';
import { addBillingContact, listBillingContacts, updateBillingContact } from '../billing/contacts.js';
import { addressInput, billingContactInput, contactName, invoiceEmail, paymentMethodInput, vatInput } from '../billing/contactInput.js';
import { compiledSerializer } from '../../http/serializer.js';
import { createCompany } from './createCompany.js';
import { listMembers } from './listMembers.js';
import { getCompany, listMyCompaniesUnlessKnown } from './queries.js';
import { sendCachedPage } from '../../http/pageCache.js';
import { deleteCompany } from './deleteCompany.js';
import { updateCompany } from './updateCompany.js';

const tags = ['companies'];
const companyName = z.string().trim().min(1, 'Enter a name for the Company.').max(100, 'Use at most 100 characters.');
const id = z.string().min(1).max(100);
const params = z.object({ id });
const page = z.strictObject({ cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() });
const role = z.enum(ROLES);

const companySummary = z.object({ id: z.string(), name: z.string(), role });
const company = companySummary.extend({ blockTransfersOut: z.boolean(), requireTwoFactor: z.boolean(), requireCostApproval: z.boolean(), createdAt: z.string() });
const member = z.object({
  accountId: z.string(), email: z.string(), firstName: z.string(), lastName: z.string(), role, appNames: z.array(z.string()).optional(),
});
const paymentMethod = z.object({
  type: z.enum(['card', 'sepa_debit']), brand: z.string().optional(), last4: z.string(), expMonth: z.number().optional(), expYear: z.number().optional(),
});
const contactFull = z.object({
  id: z.string(), name: z.string(),
  address: z.object({ line1: z.string(), line2: z.string().optional(), postalCode: z.string(), city: z.string(), country: z.string() }),
  vatNumber: z.string().optional(), invoiceEmail: z.string(), currency: z.enum(['EUR', 'USD']), paymentMethod,
});
const contactView = z.union([contactFull, z.object({ id: z.string(), name: z.string() })]);
const activityItem = z.object({
  id: z.string(), at: z.string(), actor: z.object({ id: z.string().nullable(), name: z.string() }), action: z.string(),
  appName: z.string().optional(), outcome: z.enum(['ok', 'refused']), details: z.record(z.string(), z.unknown()),
});
const list = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
const myCompaniesPage = list(companySummary);
const serializeMyCompanies = compiledSerializer({ schema: myCompaniesPage }) as (page: z.infer<typeof myCompaniesPage>) => string;

export function registerCompanyRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actorOf = (request: Parameters<typeof requireActor>[1]) => requireActor(services, request);

  r.get('/api/v1/companies', { schema: { tags, querystring: page, response: { 200: myCompaniesPage } }, serializerCompiler: compiledSerializer },
    async (request, reply) => {
      const actor = await actorOf(request);
      // The rendered page is reused while its fingerprint holds (ADR 0120).
      return sendCachedPage(reply, services.pages, `companies\n${actor.id}\n${JSON.stringify(request.query)}`,
        (known) => listMyCompaniesUnlessKnown(services, actor, request.query, known), serializeMyCompanies);
    });

  r.post('/api/v1/companies', {
    schema: {
      tags,
      description: 'Sets up a Company; the caller becomes owner. The card is authorised first: a declined card gives 402 payment_declined and nothing is stored.',
      body: z.strictObject({ name: companyName, billingContact: billingContactInput, paymentMethod: paymentMethodInput }),
      response: { 201: companySummary },
    },
  }, async (request, reply) => reply.code(201).send(await createCompany(services, await actorOf(request), request.body)));

  r.get('/api/v1/companies/:id', { schema: { tags, params, response: { 200: company } } },
    async (request) => getCompany(services, await actorOf(request), request.params.id));

  r.patch('/api/v1/companies/:id', {
    schema: { tags, params, body: z.strictObject({ name: companyName.optional(), blockTransfersOut: z.boolean().optional(), requireTwoFactor: z.boolean().optional(), requireCostApproval: z.boolean().optional() }), response: { 200: company } },
  }, async (request) => updateCompany(services, await actorOf(request), request.params.id, request.body));

  r.delete('/api/v1/companies/:id', {
    schema: {
      tags, params,
      description: 'Owner only. Deletes the Company\'s Apps and ends all memberships. Needs a sign-in within the last 10 minutes (403 reauthentication_required otherwise). `confirm` (query), when given, must equal the Company name.',
      querystring: z.strictObject({ confirm: z.string().max(200).optional() }),
      response: { 204: z.null().describe('Deleted') },
    },
  }, async (request, reply) => {
    await deleteCompany(services, await actorOf(request), request.params.id, { confirm: request.query.confirm });
    return reply.code(204).send(null);
  });

  r.get('/api/v1/companies/:id/members', { schema: { tags, params, querystring: page, response: { 200: list(member) } }, serializerCompiler: compiledSerializer },
    async (request) => listMembers(services, await actorOf(request), request.params.id, request.query));

  r.get('/api/v1/companies/:id/billing-contacts', {
    schema: { tags, params, querystring: page, description: 'Owners and accountants: full view (brand and last 4 only); admins: id and name.', response: { 200: list(contactView) } },
  }, async (request) => listBillingContacts(services, await actorOf(request), request.params.id, request.query));

  r.post('/api/v1/companies/:id/billing-contacts', {
    schema: { tags, params, body: billingContactInput.extend({ paymentMethod: paymentMethodInput }), response: { 201: contactFull } },
  }, async (request, reply) => reply.code(201).send(await addBillingContact(services, await actorOf(request), request.params.id, request.body)));

  r.patch('/api/v1/companies/:id/billing-contacts/:contactId', {
    schema: {
      tags, params: z.object({ id, contactId: id }),
      description: 'The currency of a billing contact never changes. Changing `paymentMethod` needs the password (or a code) within the last 10 minutes (403 reauthentication_required otherwise).',
      body: z.strictObject({
        name: contactName.optional(), address: addressInput.optional(), vatNumber: z.union([vatInput, z.null()]).optional(),
        invoiceEmail: invoiceEmail.optional(), paymentMethod: paymentMethodInput.optional(),
      }),
      response: { 200: contactFull },
    },
  }, async (request) => updateBillingContact(services, await actorOf(request), request.params.id, request.params.contactId, request.body));

  r.get('/api/v1/companies/:id/activity', { schema: { tags, params, querystring: z.strictObject({ cursor: z.string().max(30).optional(), limit: z.coerce.number().int().min(1).max(200).optional() }), response: { 200: list(activityItem) } } },
    async (request) => listActivity(services, await actorOf(request), request.params.id, request.query));
}
