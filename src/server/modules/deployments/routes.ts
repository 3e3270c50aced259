import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/actor.js';
import type { Services } from '../../services.js';
import { getGitInfo } from './gitInfo.js';
import { listDeployments } from './listDeployments.js';

const tags = ['code access'];
const params = z.object({ name: z.string().min(1).max(100) });

const deployment = z.object({
  id: z.string(), commit: z.string(), branch: z.string(),
  pushedBy: z.object({ firstName: z.string(), lastName: z.string() }), at: z.string(),
});

/** Code access and deployments (API.md): how to clone an App, and its pushes to the default branch. */
export function registerDeploymentRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/apps/:name/git', {
    schema: {
      tags, params, description: 'Clone URL and SSH host key fingerprint of the App\'s repository; `canPush` is false while the App is suspended.',
      response: { 200: z.object({ cloneUrl: z.string(), hostKeyFingerprint: z.string(), canPush: z.boolean() }) },
    },
  }, async (request) => {
    const actor = await requireActor(services, request);
    return getGitInfo(services, actor, request.params.name, {
      host: services.config.sshPublicHost, port: services.ssh.port, hostKeyFingerprint: services.ssh.hostKey().fingerprint,
    });
  });

  r.get('/api/v1/apps/:name/deployments', {
    schema: {
      tags, params, description: 'Pushes to the default branch, newest first.',
      querystring: z.strictObject({ cursor: z.string().max(30).optional(), limit: z.coerce.number().int().min(1).max(100).optional() }),
      response: { 200: z.object({ items: z.array(deployment), nextCursor: z.string().nullable() }) },
    },
  }, async (request) => listDeployments(services, await requireActor(services, request), request.params.name, request.query));
}
