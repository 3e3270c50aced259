import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { catalogueView } from './pricing.js';

const price = z.object({ EUR: z.number().int(), USD: z.number().int() });
export const catalogueSchema = z.object({
  components: z.array(z.object({
    id: z.string(), name: z.string(),
    sizes: z.array(z.object({ id: z.string(), name: z.string(), monthlyPrice: price })),
  })),
  trial: z.record(z.string(), z.string()),
});

/** The catalogue is public: the pricing page and the booking form read it before sign-in. */
export function registerPlanRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/plans', {
    schema: { tags: ['plans'], response: { 200: catalogueSchema } },
  }, async () => catalogueView());
}
