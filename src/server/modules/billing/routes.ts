import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/actor.js';
import type { Services } from '../../services.js';
import { upcomingCharges } from './upcomingCharges.js';

const tags = ['billing'];
const id = z.string().min(1).max(100);
const params = z.object({ id });
const moneySchema = z.object({ amount: z.number().int(), currency: z.enum(['EUR', 'USD']) });
export const invoiceLineSchema = z.object({
  appName: z.string(), plan: z.record(z.string(), z.string()), description: z.string(),
  fromDay: z.string(), toDay: z.string(), days: z.number().int(), unitPrice: moneySchema, amount: moneySchema,
});
const upcoming = z.object({
  month: z.string(),
  items: z.array(z.object({
    billingContact: z.object({ id: z.string(), name: z.string() }),
    lines: z.array(invoiceLineSchema), net: moneySchema,
    projectedLines: z.array(invoiceLineSchema), projectedNet: moneySchema,
  })),
});

/** Billing and invoices (API.md): owners and accountants; paying is owners only. */
export function registerBillingRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actorOf = (request: Parameters<typeof requireActor>[1]) => requireActor(services, request);

  r.get('/api/v1/companies/:id/upcoming-charges', {
    schema: {
      tags, params,
      description: 'The current month per billing contact: `lines`/`net` so far (through today), `projectedLines`/`projectedNet` to the month\'s end if nothing changes. Owners and accountants.',
      response: { 200: upcoming },
    },
  }, async (request) => upcomingCharges(services, await actorOf(request), request.params.id));
}
