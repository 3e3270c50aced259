import { desc } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { outbox } from '../db/schema.js';
import { escapeHtml } from '../modules/mail/render.js';
import type { Services } from '../services.js';
import { sendProblem } from './problem.js';

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const ip = address.replace(/^::ffff:/i, '');
  return ip === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);
}

/**
 * The mailbox shows everyone's mails, links included: only a person on this machine may read
 * it. The socket must be loopback, and so must the client a trusted proxy names; a request
 * that came through an untrusted proxy (it carries forwarding headers) is refused.
 */
function fromThisMachine(request: FastifyRequest, trustProxy: boolean): boolean {
  if (!isLoopback(request.socket.remoteAddress) || !isLoopback(request.ip)) return false;
  const forwarded = request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined;
  return trustProxy || !forwarded;
}

/**
 * With no SMTP_URL, mails are shown here (and in the log) so a newcomer can follow
 * verification and reset links, from this machine only. Not registered at all when SMTP is
 * configured, nor in production (which refuses to start without SMTP: ADR 0020).
 */
export function registerDevMailbox(app: FastifyInstance, services: Services) {
  if (services.config.smtpUrl || services.config.production) return;
  const latest = () => services.db.select().from(outbox).orderBy(desc(outbox.id)).limit(50);
  const trustProxy = services.config.trustProxy !== false;
  const onlyHere = async (request: FastifyRequest, reply: FastifyReply) => {
    if (fromThisMachine(request, trustProxy)) return;
    return sendProblem(reply, 'forbidden', 'The development mailbox answers only requests from this machine (127.0.0.1 or ::1).');
  };

  app.get('/api/dev/mailbox', { schema: { hide: true }, onRequest: onlyHere }, async () => ({
    items: (await latest()).map((m) => ({
      id: m.id, kind: m.kind, to: m.toAddress, subject: m.subject, text: m.textBody, createdAt: m.createdAt.toISOString(),
      sentAt: m.sentAt?.toISOString() ?? null,
    })),
  }));

  app.get('/dev/mailbox', { schema: { hide: true }, onRequest: onlyHere }, async (_request, reply) => {
    const mails = await latest();
    const linkify = (text: string) => escapeHtml(text).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>');
    const items = mails.map((m) => `
      <article>
        <h2>${escapeHtml(m.subject)}</h2>
        <p class="meta">To <strong>${escapeHtml(m.toAddress)}</strong> · ${escapeHtml(m.createdAt.toISOString().replace('T', ' ').slice(0, 19))} UTC · ${m.sentAt ? 'delivered' : 'queued'}</p>
        <pre>${linkify(m.textBody)}</pre>
      </article>`).join('');
    return reply.type('text/html; charset=utf-8').send(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Dev mailbox · Dashboard</title>
<style>body{font-family:system-ui,sans-serif;max-width:760px;margin:0 auto;padding:16px;color:#1a1a1a}
article{border:1px solid #ccd;border-radius:8px;padding:12px 16px;margin:12px 0}h2{font-size:1.1rem;margin:0 0 4px}
.meta{color:#555;margin:0 0 8px;font-size:.9rem}pre{white-space:pre-wrap;word-break:break-word;font:inherit}a{color:#1d4ed8}</style></head>
<body><main><h1>Dev mailbox</h1><p>No <code>SMTP_URL</code> is set, so mails are shown here instead of being sent. Newest first.</p>
${items || '<p>No mails yet. Sign up to receive the first one.</p>'}</main></body></html>`);
  });
}
