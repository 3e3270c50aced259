import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { siteInfo } from './info.js';
import type { Services } from '../../services.js';

const siteSchema = z.object({
  seller: z.object({ name: z.string(), addressLines: z.array(z.string()), country: z.string(), vatId: z.string().nullable() }),
  termsUrl: z.string(), privacyUrl: z.string(),
});

/** Beside API.md: `GET /api/v1/site`, public (the signed-out pages show the footer too). */
export function registerSiteRoutes(app: FastifyInstance, services: Services) {
  const info = siteInfo(services.config);
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/site', { schema: { tags: ['site'], response: { 200: siteSchema } } },
    async (_request, reply) => {
      reply.header('Cache-Control', 'public, max-age=300');
      return info;
    });
}
