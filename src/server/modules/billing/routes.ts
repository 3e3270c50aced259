import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/actor.js';
import type { Services } from '../../services.js';
import { getInvoice, getInvoiceHtml, getInvoicePdf, listInvoices, payInvoiceNow } from './invoices.js';
import { upcomingCharges } from './upcomingCharges.js';

const tags = ['billing'];
const id = z.string().min(1).max(100);
const params = z.object({ id });
const invoiceParams = z.object({ id, invoiceId: id });
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
/** API.md's states, and beside them `payment_pending`: a direct debit the bank has not settled yet (ADR 0096). */
const invoiceState = z.enum(['open', 'paid', 'payment_failed', 'action_required', 'payment_pending', 'void', 'issued']);
const invoiceSummary = z.object({
  id: z.string(), number: z.string(), kind: z.enum(['invoice', 'credit_note']), month: z.string(), issuedAt: z.string(),
  billingContact: z.object({ id: z.string(), name: z.string() }), net: moneySchema, tax: moneySchema, total: moneySchema, state: invoiceState,
});
const ref = z.object({ id: z.string(), number: z.string() });
const invoiceDetail = invoiceSummary.extend({
  language: z.enum(['en', 'de']).describe('The language the invoice is printed in (its HTML page, PDF, notes and line descriptions), fixed when it was numbered.'),
  seller: z.object({ name: z.string(), address: z.object({ lines: z.array(z.string()), country: z.string() }), vatNumber: z.string().optional() }),
  buyer: z.object({
    name: z.string(),
    address: z.object({ line1: z.string(), line2: z.string().optional(), postalCode: z.string(), city: z.string(), country: z.string() }),
    vatNumber: z.string().optional(),
    vatCheck: z.object({ valid: z.boolean(), method: z.string(), vies: z.string(), checkedAt: z.string() }).optional(),
  }),
  lines: z.array(invoiceLineSchema.extend({ taxCategory: z.string(), taxRate: z.number() })),
  taxes: z.array(z.object({ rate: z.number(), category: z.string(), net: moneySchema, tax: moneySchema })),
  notes: z.array(z.string()),
  payments: z.array(z.object({ at: z.string(), state: z.string(), amount: moneySchema, message: z.string().optional() })),
  creditedBy: ref.optional(), credits: ref.optional(), reason: z.string().optional(),
});
const page = z.strictObject({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).optional() });

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

  r.get('/api/v1/companies/:id/invoices', {
    schema: {
      tags, params, querystring: page,
      description: 'Invoices and credit notes of the Company, newest first. Owners and accountants. A credit note\'s state is `issued`; `payment_pending` (beside API.md\'s states) is a direct debit the bank has not settled yet.',
      response: { 200: z.object({ items: z.array(invoiceSummary), nextCursor: z.string().nullable() }) },
    },
  }, async (request) => listInvoices(services, await actorOf(request), request.params.id, request.query));

  r.get('/api/v1/companies/:id/invoices/:invoiceId', {
    schema: {
      tags, params: invoiceParams,
      description: 'One invoice or credit note, as issued: everything printed comes from the snapshot taken when it was numbered. `buyer.vatCheck` is the VAT ID check (format and checksum; VIES was not reachable).',
      response: { 200: invoiceDetail },
    },
  }, async (request) => getInvoice(services, await actorOf(request), request.params.id, request.params.invoiceId));

  r.get('/api/v1/companies/:id/invoices/:invoiceId/pdf', {
    schema: { tags, params: invoiceParams, description: 'The invoice as a PDF file (`Content-Disposition: attachment; filename="<number>.pdf"`).' },
  }, async (request, reply) => {
    const { number, pdf } = await getInvoicePdf(services, await actorOf(request), request.params.id, request.params.invoiceId);
    return reply.type('application/pdf').header('Content-Disposition', `attachment; filename="${number}.pdf"`).send(pdf);
  });

  r.post('/api/v1/companies/:id/invoices/:invoiceId/pay', {
    schema: {
      tags, params: invoiceParams,
      description: 'Pay an open invoice now with the billing contact\'s current card (owners only). 402 `payment_declined` (the attempt is recorded); 409 `invoice_not_payable` when paid, void, a credit note, or `payment_pending` (a direct debit in progress is never charged again). A SEPA debit answers 200 with the invoice `payment_pending`.',
      response: { 200: invoiceDetail },
    },
  }, async (request) => payInvoiceNow(services, await actorOf(request), request.params.id, request.params.invoiceId));

  r.get('/api/v1/companies/:id/invoices/:invoiceId/html', {
    schema: { tags, params: invoiceParams, description: 'The invoice as a printable HTML page (beside API.md: SPEC 4.8 asks for an HTML page and a PDF).' },
  }, async (request, reply) => {
    const html = await getInvoiceHtml(services, await actorOf(request), request.params.id, request.params.invoiceId);
    return reply.type('text/html; charset=utf-8')
      .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
      .send(html);
  });
}
