import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentActor, requireActor } from '../../http/actor.js';
import { issueSession, renewSession, sessionRenewal, setRenewedSessionCookie } from '../../http/sessionCookie.js';
import { readCookie } from '../accounts/session.js';
import type { Services } from '../../services.js';
import { billingContactInput, normalizeVat, paymentMethodInput } from '../billing/contactInput.js';
import { quoteInvitation } from './quoteInvitation.js';
import { planInput } from '../plans/pricing.js';
import { acceptClientInvitation } from './acceptClientInvitation.js';
import { inviteClient, listClientInvitations, resendClientInvitation, revokeClientInvitation } from './clientInvitations.js';
import { declineInvitation, findByToken, lookupInvitation, requestNewInvitation } from './invitee.js';
import { signUpFromInvitation } from './signUpFromInvitation.js';
import { acceptTeamInvitation } from './teamAccept.js';
import { inviteMember, listTeamInvitations, resendTeamInvitation, revokeTeamInvitation } from './teamInvitations.js';
import { ROLES } from '../../authz/permissions.js';
import { LANGUAGES } from '../../../shared/i18n/index.js';
import { isTimeZone } from '../../../shared/format.js';

export const INVITATION_COOKIE = 'dashboard.invitation';
const tags = ['invitations'];
const money = z.object({ amount: z.number(), currency: z.enum(['EUR', 'USD']) });
const clientInvitation = z.object({
  id: z.string(), email: z.string(), name: z.string().optional(), state: z.string(), expiresAt: z.string(), createdAt: z.string(),
  plan: z.record(z.string(), z.string()), monthlyPrice: money, invitedBy: z.object({ firstName: z.string(), lastName: z.string() }),
  language: z.enum(LANGUAGES).optional(),
});
const person = z.object({ firstName: z.string(), lastName: z.string() });
/** The invitee's view (API.md "Invitations, from the invitee's side"); documented so the web's types come from here. */
const invitationLookup = z.object({
  kind: z.enum(['client', 'team']), state: z.enum(['pending', 'expired', 'accepted', 'revoked', 'declined']), email: z.string(),
  inviter: person, app: z.object({ name: z.string(), webAddress: z.string() }).optional(), company: z.object({ name: z.string() }).optional(),
  role: z.string().optional(), appNames: z.array(z.string()).optional(), plan: z.record(z.string(), z.string()).optional(),
  monthlyPrice: money.optional(), monthlyPrices: z.object({ EUR: money, USD: money }).optional(),
  clientName: z.string().optional(), message: z.string().optional(), expiresAt: z.string(),
});
const amounts = z.object({ net: money, vat: money, gross: money });
/** What the price means for the payer (issue 17): VAT for the country and VAT number as entered, and the first invoice. */
const quote = z.object({
  vatRate: z.number(), treatment: z.enum(['domestic', 'eu_reverse_charge', 'eu_oss', 'outside_eu']), monthly: amounts,
  firstInvoice: amounts.extend({ issuedOn: z.string(), fromDay: z.string(), toDay: z.string(), days: z.number() }),
  vatNumberProblem: z.string().nullable(),
});
const acceptResult = z.object({
  company: z.object({ id: z.string(), name: z.string() }), app: z.object({ name: z.string() }).optional(),
  /** Beside API.md: what the done page repeats (plan, monthly amount with VAT, card, billing address). */
  summary: z.object({
    plan: z.record(z.string(), z.string()), planInWords: z.string(), quote,
    card: z.object({ brand: z.string().nullable(), last4: z.string() }),
    billingContact: z.object({ name: z.string(), line1: z.string(), line2: z.string().nullable(), postalCode: z.string(), city: z.string(), country: z.string(), vatNumber: z.string().nullable() }),
    billingUrl: z.string(),
  }).optional(),
});
const tokenField = z.string().min(1).max(200).optional();
const appParams = z.object({ name: z.string().max(100) });
const invitationParams = z.object({ name: z.string().max(100), invitationId: z.string().max(100) });

/** The token comes in the body, or from the cookie the /invite/<token> page stored. */
function tokenOf(request: FastifyRequest, bodyToken: string | undefined): string | null {
  return bodyToken ?? readCookie(request.headers.cookie, INVITATION_COOKIE);
}

export function registerInvitationRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const secure = services.config.publicUrl.startsWith('https://');

  // The mailed link: keep the token out of the URL (and out of Referer headers) at once.
  r.get('/invite/:token', { schema: { hide: true, params: z.object({ token: z.string().max(200) }) } }, async (request, reply) => {
    const maxAge = Math.ceil(Math.max(services.config.clientInvitationTtlMs, services.config.teamInvitationTtlMs) / 1000);
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cache-Control', 'no-store');
    reply.header('set-cookie', `${INVITATION_COOKIE}=${encodeURIComponent(request.params.token)}; Max-Age=${maxAge}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
    return reply.code(303).header('location', '/invitation').send();
  });

  r.get('/api/v1/apps/:name/client-invitations', {
    schema: { tags, params: appParams, response: { 200: z.object({ items: z.array(clientInvitation) }) } },
  }, async (request) => ({ items: await listClientInvitations(services, await requireActor(services, request), request.params.name) }));

  r.post('/api/v1/apps/:name/client-invitations', {
    schema: {
      tags, params: appParams,
      body: z.strictObject({
        email: z.string().trim().max(254).email('Enter your client’s e-mail address, like name@example.com.'),
        name: z.string().trim().max(200).optional(), message: z.string().trim().max(2000).optional(), plan: planInput,
        // The language of the client's mails (ADR 0092); without it, the inviter's.
        language: z.enum(LANGUAGES, 'Choose "en" or "de".').optional(),
      }),
      response: { 201: clientInvitation },
    },
  }, async (request, reply) => reply.code(201).send(await inviteClient(services, await requireActor(services, request), request.params.name, request.body)));

  r.post('/api/v1/apps/:name/client-invitations/:invitationId/resend', { schema: { tags, params: invitationParams, response: { 200: clientInvitation } } },
    async (request) => resendClientInvitation(services, await requireActor(services, request), request.params.name, request.params.invitationId));

  r.delete('/api/v1/apps/:name/client-invitations/:invitationId', { schema: { tags, params: invitationParams } }, async (request, reply) => {
    await revokeClientInvitation(services, await requireActor(services, request), request.params.name, request.params.invitationId);
    return reply.code(204).send();
  });

  const teamInvitation = z.object({
    id: z.string(), email: z.string(), role: z.enum(ROLES), appNames: z.array(z.string()).optional(), state: z.string(),
    expiresAt: z.string(), createdAt: z.string(), invitedBy: z.object({ firstName: z.string(), lastName: z.string() }),
  });
  const companyParams = z.object({ id: z.string().max(100) });
  const companyInvitationParams = z.object({ id: z.string().max(100), invitationId: z.string().max(100) });

  r.get('/api/v1/companies/:id/invitations', { schema: { tags, params: companyParams, response: { 200: z.object({ items: z.array(teamInvitation) }) } } },
    async (request) => ({ items: await listTeamInvitations(services, await requireActor(services, request), request.params.id) }));

  r.post('/api/v1/companies/:id/invitations', {
    schema: {
      tags, params: companyParams,
      body: z.strictObject({
        email: z.string().trim().max(254).email('Enter an e-mail address, like name@example.com.'),
        role: z.enum(ROLES), appNames: z.array(z.string().max(100)).max(200).optional(),
      }),
      response: { 201: teamInvitation },
    },
  }, async (request, reply) => reply.code(201).send(await inviteMember(services, await requireActor(services, request), request.params.id, request.body)));

  r.post('/api/v1/companies/:id/invitations/:invitationId/resend', { schema: { tags, params: companyInvitationParams, response: { 200: teamInvitation } } },
    async (request) => resendTeamInvitation(services, await requireActor(services, request), request.params.id, request.params.invitationId));

  r.delete('/api/v1/companies/:id/invitations/:invitationId', { schema: { tags, params: companyInvitationParams } }, async (request, reply) => {
    await revokeTeamInvitation(services, await requireActor(services, request), request.params.id, request.params.invitationId);
    return reply.code(204).send();
  });

  r.post('/api/v1/invitations/lookup', { schema: { tags, body: z.strictObject({ token: tokenField }), response: { 200: invitationLookup } } }, async (request, reply) => {
    reply.header('Referrer-Policy', 'no-referrer');
    return lookupInvitation(services, tokenOf(request, request.body?.token));
  });

  // Beside API.md: the offer's VAT, gross and first invoice for the country and VAT number being typed (issue 17).
  r.post('/api/v1/invitations/quote', {
    schema: {
      tags,
      body: z.strictObject({
        token: tokenField,
        country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'Use a two-letter country code, like DE or US.'),
        vatNumber: z.string().max(30).transform(normalizeVat).optional(),
        currency: z.enum(['EUR', 'USD']).optional(),
      }),
      response: { 200: quote },
    },
  }, async (request, reply) => {
    reply.header('Referrer-Policy', 'no-referrer');
    return quoteInvitation(services, tokenOf(request, request.body.token), request.body);
  });

  r.post('/api/v1/invitations/sign-up', {
    schema: {
      tags, response: { 201: z.object({ accountId: z.string() }) },
      body: z.strictObject({
        token: tokenField, password: z.string().max(1024),
        firstName: z.string().trim().min(1, 'Enter your first name.').max(100), lastName: z.string().trim().min(1, 'Enter your last name.').max(100),
        // As on the ordinary sign-up (ADR 0070, 0092): the page's language and the browser's zone, for the mails.
        language: z.enum(LANGUAGES).optional(),
        timeZone: z.string().max(64).refine(isTimeZone, 'Use an IANA time zone such as Europe/Berlin.').optional(),
      }),
    },
  }, async (request, reply) => {
    const { accountId } = await signUpFromInvitation(services, tokenOf(request, request.body.token), request.body);
    await issueSession(services, reply, accountId);
    return reply.code(201).send({ accountId });
  });

  r.post('/api/v1/invitations/accept', {
    schema: {
      tags,
      body: z.strictObject({
        token: tokenField,
        company: z.union([z.strictObject({ name: z.string().trim().min(1, 'Enter a company name.').max(200) }), z.strictObject({ id: z.string().max(100) })]).optional(),
        billingContact: billingContactInput.optional(), billingContactId: z.string().max(100).optional(),
        paymentMethod: paymentMethodInput.optional(), consent: z.literal(true).optional(),
      }),
      response: { 200: acceptResult },
    },
  }, async (request, reply) => {
    const actor = await requireActor(services, request);
    const token = tokenOf(request, request.body.token);
    const found = await findByToken(services, token);
    let result;
    // A new chapter for this person: a fresh session (a handover renews it in its own
    // transaction), and the invitation cookie is spent.
    if (found.invitation.kind === 'team') {
      result = await acceptTeamInvitation(services, actor, token);
      await renewSession(services, reply, actor.sessionId);
    } else {
      const renewal = sessionRenewal(actor.sessionId);
      result = await acceptClientInvitation(services, actor, token, request.body, found, renewal);
      setRenewedSessionCookie(services, reply, renewal);
    }
    reply.header('set-cookie', `${INVITATION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
    return result;
  });

  r.post('/api/v1/invitations/decline', { schema: { tags, body: z.strictObject({ token: tokenField }) } }, async (request, reply) => {
    await declineInvitation(services, tokenOf(request, request.body?.token), await currentActor(services, request));
    return reply.code(204).send();
  });

  r.post('/api/v1/invitations/request-new', { schema: { tags, body: z.strictObject({ token: tokenField }) } }, async (request, reply) => {
    await requestNewInvitation(services, tokenOf(request, request.body?.token));
    return reply.code(202).send({ status: 'requested' });
  });

}
