import type { FastifyInstance, FastifyRequest } from 'fastify';
import type Stripe from 'stripe';
import { sendProblem } from '../../http/problem.js';
import { readCookie } from '../accounts/session.js';
import { INVITATION_COOKIE } from '../invitations/routes.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { requireActor } from '../../http/actor.js';
import { SandboxPaymentProvider } from './sandbox.js';
import { paymentConfirmation } from './confirmPayment.js';
import { createSetupIntent, paymentsConfig } from './setupIntents.js';
import { StripePaymentProvider } from './stripe.js';
import { processStripeEvent, WEBHOOK_TOLERANCE_SECONDS } from './stripeEvents.js';

/**
 * Stands in for the provider's own tokenisation endpoint, which the browser calls
 * directly; registered only with PAYMENT_PROVIDER=sandbox. No session is needed, as with
 * a real provider's publishable key: the token alone is worth nothing until authorised.
 */
export function registerPaymentSandboxRoutes(app: FastifyInstance, services: Services) {
  if (services.config.paymentProvider !== 'sandbox' || !(services.payments instanceof SandboxPaymentProvider)) return;
  const sandbox = services.payments;
  app.withTypeProvider<ZodTypeProvider>().post('/api/v1/payment-sandbox/tokens', {
    schema: {
      tags: ['payment-sandbox'],
      body: z.strictObject({
        number: z.string().max(30),
        expMonth: z.number().int(),
        expYear: z.number().int().min(2000).max(2200),
        cvc: z.string().max(4),
      }),
      response: { 200: z.object({ token: z.string(), brand: z.string(), last4: z.string() }) },
    },
  }, async (request) => sandbox.tokenize(request.body));
}

const id = z.string().min(1).max(100);

/**
 * What the browser needs to take a card (ADR 0085): which provider, Stripe's publishable key,
 * and a SetupIntent's client secret per card form. Both need a session (every card form is
 * behind one; the invitee has one from the invitation's sign-up).
 */
export function registerPaymentRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/payments/config', {
    schema: {
      tags: ['payments'],
      description: '`{provider:"sandbox"}` or `{provider:"stripe", publishableKey}`: which card form the web shows.',
      response: { 200: z.union([z.object({ provider: z.literal('sandbox') }), z.object({ provider: z.literal('stripe'), publishableKey: z.string() })]) },
    },
  }, async (request) => {
    await requireActor(services, request);
    return paymentsConfig(services);
  });
  r.post('/api/v1/payments/setup-intent', {
    schema: {
      tags: ['payments'],
      description: 'Stripe only (409 `conflict` with the sandbox): a SetupIntent for one card form, confirmed in the browser by Stripe.js (3-D Secure included); the form then sends its PaymentMethod id as `paymentMethod:{token}`. `purpose`: `company` (POST /companies), `billing-contact` (a new contact of `companyId`, billing.manage), `card-change` (`companyId`, `contactId`, billing.manage), `handover` (the invitee, with the invitation `token`, or without it the invitation cookie the mailed link stored, as on the invitation page).',
      body: z.discriminatedUnion('purpose', [
        z.strictObject({ purpose: z.literal('company') }),
        z.strictObject({ purpose: z.literal('billing-contact'), companyId: id }),
        z.strictObject({ purpose: z.literal('card-change'), companyId: id, contactId: id }),
        z.strictObject({ purpose: z.literal('handover'), token: z.string().min(1).max(200).optional() }),
      ]),
      response: { 200: z.object({ clientSecret: z.string() }) },
    },
  }, async (request) => {
    const actor = await requireActor(services, request);
    const body = request.body;
    // The invitation page never sees its token (an HttpOnly cookie): the handover form sends none.
    const input = body.purpose === 'handover' ? { purpose: 'handover' as const, token: body.token ?? readCookie(request.headers.cookie, INVITATION_COOKIE) ?? '' } : body;
    return createSetupIntent(services, actor, input);
  });
  r.get('/api/v1/companies/:id/invoices/:invoiceId/payment-confirmation', {
    schema: {
      tags: ['payments'], params: z.object({ id, invoiceId: id }),
      description: 'Owners: what the completion page of an `action_required` invoice needs to confirm its payment with Stripe.js (client secret of the PaymentIntent, its PaymentMethod and status). With the sandbox `{provider:"sandbox", state}`. 409 `invoice_not_payable` when nothing is to be confirmed.',
      response: {
        200: z.union([
          z.object({ provider: z.literal('sandbox'), state: z.string() }),
          z.object({ provider: z.literal('stripe'), state: z.string(), publishableKey: z.string(), clientSecret: z.string(), paymentMethod: z.string().nullable(), intentStatus: z.string() }),
        ]),
      },
    },
  }, async (request) => paymentConfirmation(services, await requireActor(services, request), request.params.id, request.params.invoiceId));
}

const raw = new WeakMap<FastifyRequest, Buffer>();

/**
 * `POST /api/v1/webhooks/stripe` (SPEC 4.11): an encapsulated plugin whose JSON parser keeps
 * the raw bytes, because the signature is over them (a re-serialised body never verifies).
 * Only with PAYMENT_PROVIDER=stripe.
 */
export function registerStripeWebhook(app: FastifyInstance, services: Services) {
  const provider = services.payments;
  if (!(provider instanceof StripePaymentProvider) || !services.config.stripe) return;
  const secret = services.config.stripe.webhookSecret;
  void app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 512 * 1024 }, (request, body, done) => {
      raw.set(request, body as Buffer);
      // The body stays opaque until the signature is checked.
      done(null, null);
    });
    scope.post('/api/v1/webhooks/stripe', { schema: { hide: true } }, async (request, reply) => {
      const payload = raw.get(request);
      const signature = request.headers['stripe-signature'];
      if (!payload || typeof signature !== 'string') {
        return sendProblem(reply, 'validation_failed', 'A Stripe webhook needs a JSON body and a Stripe-Signature header.');
      }
      let event: Stripe.Event;
      try {
        event = provider.stripe.webhooks.constructEvent(payload, signature, secret, WEBHOOK_TOLERANCE_SECONDS, undefined, services.clock.now().getTime());
      } catch {
        request.log.warn('stripe webhook refused: bad signature or too old');
        return sendProblem(reply, 'validation_failed', 'The Stripe-Signature does not match this body, or the event is older than 5 minutes.');
      }
      const outcome = await processStripeEvent(services, provider.stripe, event);
      return reply.send({ received: true, outcome });
    });
  });
}
