import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';

/** Routes of the product's modules (Companies, Apps, invitations, ...) are registered here. */
export function registerModuleRoutes(_app: FastifyInstance, _services: Services) {
  // Filled in by the Companies/Apps and invitation modules.
}
