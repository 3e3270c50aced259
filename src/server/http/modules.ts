import type { FastifyInstance } from 'fastify';
import { registerAppRoutes } from '../modules/apps/routes.js';
import { registerBillingRoutes } from '../modules/billing/routes.js';
import { registerCompanyRoutes } from '../modules/companies/routes.js';
import { registerCostRequestRoutes } from '../modules/costs/routes.js';
import { registerDeploymentRoutes } from '../modules/deployments/routes.js';
import { registerDomainRoutes } from '../modules/domains/routes.js';
import { registerPaymentRoutes, registerPaymentSandboxRoutes, registerStripeWebhook } from '../modules/payments/routes.js';
import { registerPlanRoutes } from '../modules/plans/routes.js';
import { registerSiteRoutes } from '../modules/site/routes.js';
import type { Services } from '../services.js';

/** Routes of the product's modules (Companies, Apps, invitations, ...) are registered here. */
export function registerModuleRoutes(app: FastifyInstance, services: Services) {
  registerPlanRoutes(app);
  registerSiteRoutes(app, services);
  registerPaymentSandboxRoutes(app, services);
  registerPaymentRoutes(app, services);
  registerStripeWebhook(app, services);
  registerCompanyRoutes(app, services);
  registerAppRoutes(app, services);
  registerDeploymentRoutes(app, services);
  registerDomainRoutes(app, services);
  registerBillingRoutes(app, services);
  registerCostRequestRoutes(app, services);
}
