import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { SandboxPaymentProvider } from './sandbox.js';

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
