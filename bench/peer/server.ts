import Fastify from 'fastify';
import { createPeerAuth } from './auth.js';

/**
 * The peer's server: Fastify forwarding /api/auth/* to Better Auth's handler, as Better
 * Auth's Fastify integration guide shows. Its own process, like ours.
 */
const port = Number(process.env.PORT ?? 3200);
const baseURL = process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}`;
const { auth, pool } = createPeerAuth({ databaseUrl: process.env.DATABASE_URL!, baseURL, secret: process.env.AUTH_SECRET! });

const app = Fastify({ logger: false });
app.get('/readyz', async () => {
  await pool.query('SELECT 1');
  return { status: 'ready' };
});
app.route({
  method: ['GET', 'POST'],
  url: '/api/auth/*',
  async handler(request, reply) {
    const url = new URL(request.url, baseURL);
    const headers = new Headers();
    for (const [key, value] of Object.entries(request.headers)) if (value) headers.append(key, value.toString());
    const req = new Request(url.toString(), {
      method: request.method, headers,
      ...(request.body ? { body: JSON.stringify(request.body) } : {}),
    });
    const response = await auth.handler(req);
    reply.status(response.status);
    response.headers.forEach((value, key) => reply.header(key, value));
    return reply.send(response.body ? await response.text() : null);
  },
});
await app.listen({ port, host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
