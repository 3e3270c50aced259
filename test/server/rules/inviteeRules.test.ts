import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, activityEvents, apps, credentials, invitations } from '../../../src/server/db/schema.js';
import { signUpFromInvitation } from '../../../src/server/modules/invitations/signUpFromInvitation.js';
import { AppError } from '../../../src/server/shared/errors.js';
import { monthlyPrice } from '../../../src/server/modules/plans/pricing.js';
import { bookApp, cardToken, contactInput, createCompany, createTrial, SMALL_PLAN } from '../../harness/factories.js';
import { CLIENT_PASSWORD, inviteClient, latestInvitationToken } from '../../harness/handover.js';
import { beforeNextTransaction } from '../../harness/seams.js';
import { latestTeamToken } from '../../harness/team.js';
import { as, createTestApp, mailsTo, ORIGIN, PUBLIC_URL, signUpVerified, STRONG_PASSWORD, uniqueEmail, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 10 (Stryker on invitations/invitee.ts and signUpFromInvitation.ts, 3 December
 * afternoon): the invitee's side of a client invitation (SPEC 4.1 steps 4–5, SPEC 5): what the
 * link shows, which state it is in and what each dead end says, declining and asking for a new
 * one, and the Account made from the link. Each test makes its own App and invitation.
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

const lookup = (token: string) => as(t, null).post('/api/v1/invitations/lookup', { token });
const signUp = (token: string, body: Record<string, unknown> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/invitations/sign-up', headers: { origin: ORIGIN }, payload: { token, password: CLIENT_PASSWORD, firstName: 'Clara', lastName: 'Client', ...body } });
const eventsOfApp = (app: string, action: string) =>
  t.services.db.select().from(activityEvents).where(and(eq(activityEvents.appName, app), eq(activityEvents.action, action))).orderBy(asc(activityEvents.id));
const UNKNOWN = 'This invitation link is not valid. Check that you copied the whole link from the mail.';

async function offer(opts: { company?: 'USD' | 'EUR'; extra?: Record<string, unknown> } = {}) {
  const dev = await signUpVerified(t, { firstName: 'Dana', lastName: 'Dev' });
  const co = opts.company ? await createCompany(t, dev, { currency: opts.company, name: `Agency ${Math.random().toString(36).slice(2, 6)}` }) : null;
  const app = co ? await bookApp(t, dev, co) : await createTrial(t, dev);
  const email = uniqueEmail('cl');
  const { invitation, token } = await inviteClient(t, dev, app, email, SMALL_PLAN, opts.extra ?? {});
  return { dev, co, app, email, invitation, token };
}

describe('what the link of a client invitation shows (SPEC 4.1 step 4, 4.13)', () => {
  it('a Company App: the App with its web address, the Company, the price in the Company\'s currency and both prices, the name and message', async () => {
    const { co, app, email, token, invitation } = await offer({ company: 'USD', extra: { name: 'Clara', message: 'Your new site.' } });
    const res = await lookup(token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      kind: 'client', state: 'pending', email, inviter: { firstName: 'Dana', lastName: 'Dev' }, company: { name: co!.name },
      expiresAt: invitation.expiresAt, app: { name: app, webAddress: `https://${app}.apps.localhost` },
      plan: SMALL_PLAN, monthlyPrice: monthlyPrice(SMALL_PLAN as never, 'USD'),
      monthlyPrices: { EUR: monthlyPrice(SMALL_PLAN as never, 'EUR'), USD: monthlyPrice(SMALL_PLAN as never, 'USD') },
      clientName: 'Clara', message: 'Your new site.',
    });
  });

  it('a trial: no Company, the price in EUR, no name or message', async () => {
    const { app, email, token } = await offer();
    const res = (await lookup(token)).json();
    expect(res).toMatchObject({ kind: 'client', state: 'pending', email, app: { name: app }, monthlyPrice: monthlyPrice(SMALL_PLAN as never, 'EUR') });
    for (const key of ['company', 'clientName', 'message', 'role', 'appNames']) expect(res, key).not.toHaveProperty(key);
  });

  it('no token at all, and a stored link cookie that is too long, are invalid in words (never a 500)', async () => {
    const none = await as(t, null).post('/api/v1/invitations/lookup', {});
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ code: 'invitation_invalid', detail: UNKNOWN });
    const long = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/lookup', headers: { origin: ORIGIN, cookie: `dashboard.invitation=${'a'.repeat(201)}` }, payload: {} });
    expect(long.statusCode).toBe(404);
    expect(long.json()).toMatchObject({ code: 'invitation_invalid', detail: UNKNOWN });
    const wrong = await lookup('x'.repeat(43));
    expect(wrong.json()).toMatchObject({ code: 'invitation_invalid', detail: UNKNOWN });
    expect(wrong.json()).not.toHaveProperty('reason');
  });
});

describe('the state of a client invitation and the words of each dead end (SPEC 4.1, issue 17)', () => {
  it('an App moved to another Company since the offer makes it revoked: shown so, and signing up is refused with that reason', async () => {
    const { dev, co, app, token } = await offer({ company: 'EUR' });
    const second = await createCompany(t, dev, { name: `Second ${Math.random().toString(36).slice(2, 6)}` });
    // Moved behind the invitation's back (a transfer would revoke it; the state check is the defence under test).
    expect(co).not.toBeNull();
    await t.services.db.update(apps).set({ companyId: second.id, billingContactId: second.contactId }).where(eq(apps.name, app));
    expect((await lookup(token)).json().state).toBe('revoked');
    const res = await signUp(token);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'invitation_invalid', reason: 'revoked', detail: 'This invitation was withdrawn.' });
  });

  it('expired, declined and used links each say so, with the state as the reason', async () => {
    const expired = await offer();
    t.clock.advance(t.services.config.clientInvitationTtlMs + 1000);
    try {
      expect((await lookup(expired.token)).json().state).toBe('expired');
      expect((await signUp(expired.token)).json()).toMatchObject({ code: 'invitation_invalid', reason: 'expired', detail: 'This invitation has expired.' });
    } finally {
      t.clock.reset();
    }
    const declined = await offer();
    expect((await as(t, null).post('/api/v1/invitations/decline', { token: declined.token })).statusCode).toBe(204);
    expect((await signUp(declined.token)).json()).toMatchObject({ code: 'invitation_invalid', reason: 'declined', detail: 'This invitation was declined.' });
    const used = await offer();
    await t.services.db.update(invitations).set({ state: 'accepted' }).where(eq(invitations.id, used.invitation.id));
    expect((await signUp(used.token)).json()).toMatchObject({ code: 'invitation_invalid', reason: 'accepted', detail: 'This invitation has already been used.' });
  });
});

describe('a link that was used (SPEC 4.1, issue 17)', () => {
  it('shows accepted, though its App now belongs to another Company than the offer\'s; signing up from it says it was used', async () => {
    const { token, email } = await offer();
    const client = await signUp(token);
    expect(client.statusCode).toBe(201);
    const cookie = (client.headers['set-cookie'] as string[] | string);
    const session = (Array.isArray(cookie) ? cookie : [cookie]).map((c) => c.split(';')[0]).join('; ');
    const accepted = await t.app.inject({
      method: 'POST', url: '/api/v1/invitations/accept', headers: { origin: ORIGIN, cookie: session },
      payload: { token, company: { name: 'Bakery Used' }, billingContact: contactInput({ invoiceEmail: email }), paymentMethod: { token: await cardToken(t) } },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect((await lookup(token)).json().state).toBe('accepted');
    const again = await signUp(token, { firstName: 'Other' });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'invitation_invalid', reason: 'accepted', detail: 'This invitation has already been used.' });
  });
});

describe('declining and asking for a new client invitation (SPEC 4.1, issue 17)', () => {
  it('declining records an app event and tells the inviter which App it was; a second decline is refused', async () => {
    const { dev, app, email, token, invitation } = await offer();
    expect((await as(t, null).post('/api/v1/invitations/decline', { token })).statusCode).toBe(204);
    const events = await eventsOfApp(app, 'handover.declined');
    expect(events.map((e) => ({ category: e.category, actorId: e.actorId, details: e.details }))).toEqual([
      { category: 'app', actorId: null, details: { invitationId: invitation.id, email } },
    ]);
    const [mail] = await mailsTo(t.services.db, dev.email, 'invitation-declined');
    expect(mail.subject).toBe(`${email} declined your invitation`);
    expect(mail.textBody).toContain(`${email} declined your invitation to take over "${app}".`);
    expect(mail.textBody).toContain('Hello Dana Dev');
    const twice = await as(t, null).post('/api/v1/invitations/decline', { token });
    expect(twice.json()).toMatchObject({ code: 'invitation_invalid', reason: 'declined' });
  });

  it('someone signed in with another address cannot decline, in words that name her address', async () => {
    const { token, invitation } = await offer();
    const other = await signUpVerified(t);
    const res = await as(t, other).post('/api/v1/invitations/decline', { token });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      code: 'email_mismatch', reason: 'decline',
      detail: `This invitation was sent to another e-mail address, so you cannot decline it while signed in as ${other.email}. Sign out first if the invitation is yours.`,
    });
    expect((await t.services.db.select().from(invitations).where(eq(invitations.id, invitation.id)))[0].state).toBe('pending');
  });

  it('asking again on an expired offer records an app event and mails the inviter the App\'s page', async () => {
    const { dev, app, email, token, invitation } = await offer();
    t.clock.advance(t.services.config.clientInvitationTtlMs + 1000);
    try {
      const asked = await as(t, null).post('/api/v1/invitations/request-new', { token });
      expect(asked.statusCode).toBe(202);
      expect(asked.json()).toEqual({ status: 'requested' });
    } finally {
      t.clock.reset();
    }
    const events = await eventsOfApp(app, 'invitation.new_requested');
    expect(events.map((e) => ({ category: e.category, actorId: e.actorId, details: e.details }))).toEqual([
      { category: 'app', actorId: null, details: { invitationId: invitation.id, email } },
    ]);
    const [mail] = await mailsTo(t.services.db, dev.email, 'invitation-new-requested');
    expect(mail.textBody).toContain(`${email} opened your invitation to take over "${app}"`);
    expect(mail.textBody).toContain(`${PUBLIC_URL}/apps/${app}`);
  });

  it('an invitation decided before its expiry keeps its state after it; a pending one is expired from the very millisecond of its expiry', async () => {
    const { dev, app, token, invitation } = await offer();
    const expiresAt = new Date(invitation.expiresAt);
    try {
      t.clock.set(new Date(expiresAt.getTime() - 1));
      expect((await lookup(token)).json().state).toBe('pending');
      t.clock.set(expiresAt);
      expect((await lookup(token)).json().state).toBe('expired');
    } finally {
      t.clock.reset();
    }
    expect((await as(t, dev).delete(`/api/v1/apps/${app}/client-invitations/${invitation.id}`)).statusCode).toBe(204);
    t.clock.advance(t.services.config.clientInvitationTtlMs + 1000);
    try {
      // Withdrawn, then past the expiry: still "withdrawn", not "expired".
      expect((await lookup(token)).json().state).toBe('revoked');
    } finally {
      t.clock.reset();
    }
  });

  it('asking again on an expired team invitation records a member event and mails the inviter the Company\'s page', async () => {
    const owner = await signUpVerified(t, { firstName: 'Olga', lastName: 'Owner' });
    const co = await createCompany(t, owner, { name: `Team ${Math.random().toString(36).slice(2, 6)}` });
    const email = uniqueEmail('tm');
    const sent = await as(t, owner).post(`/api/v1/companies/${co.id}/invitations`, { email, role: 'admin' });
    expect(sent.statusCode, sent.body).toBe(201);
    const token = await latestTeamToken(t, email);
    t.clock.advance(t.services.config.teamInvitationTtlMs + 1000);
    try {
      expect((await as(t, null).post('/api/v1/invitations/request-new', { token })).statusCode).toBe(202);
    } finally {
      t.clock.reset();
    }
    const events = (await t.services.db.select().from(activityEvents).where(and(eq(activityEvents.companyId, co.id), eq(activityEvents.action, 'invitation.new_requested'))));
    expect(events.map((e) => ({ category: e.category, appName: e.appName, details: e.details }))).toEqual([
      { category: 'member', appName: null, details: { invitationId: sent.json().id, email } },
    ]);
    const [mail] = await mailsTo(t.services.db, owner.email, 'invitation-new-requested');
    expect(mail.textBody).toContain(`${email} opened your invitation to join "${co.name}" as admin, but the link no longer works`);
    expect(mail.textBody).toContain(`${PUBLIC_URL}/companies/${co.id}`);
    expect(mail.textBody).not.toContain('/apps/');
  });

  it('asking again on an offer whose App was deleted still names the App (the link is dead, the name is kept)', async () => {
    const { dev, app, token } = await offer();
    expect((await as(t, dev).delete(`/api/v1/apps/${app}`)).statusCode).toBe(204);
    expect((await as(t, null).post('/api/v1/invitations/request-new', { token })).statusCode).toBe(202);
    const [mail] = await mailsTo(t.services.db, dev.email, 'invitation-new-requested');
    expect(mail.textBody).toContain(`take over "${app}"`);
  });
});

describe('the Account made from an invitation link (SPEC 4.1 step 5)', () => {
  it('a client invitation makes a verified client Account with the invited address, the names trimmed, the page\'s language and zone, no newsletter', async () => {
    const { app, email, token, invitation } = await offer();
    const res = await signUp(token, { firstName: '  Clara ', lastName: ' Client  ', language: 'de', timeZone: 'Europe/Berlin' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().accountId).toMatch(/^acc_/);
    const [row] = await t.services.db.select().from(accounts).where(eq(accounts.id, res.json().accountId));
    expect(row).toMatchObject({ email, name: 'Clara Client', firstName: 'Clara', lastName: 'Client', emailVerified: true, accountType: 'client', newsletter: false, language: 'de', timeZone: 'Europe/Berlin' });
    const events = await eventsOfApp(app, 'invitation.signed_up');
    expect(events.map((e) => ({ category: e.category, actorId: e.actorId, details: e.details }))).toEqual([
      { category: 'app', actorId: res.json().accountId, details: { invitationId: invitation.id } },
    ]);
    const [credential] = await t.services.db.select().from(credentials).where(eq(credentials.userId, res.json().accountId));
    expect(credential.id).toMatch(/^cred_/);
    // She is signed in with the password she chose.
    const signIn = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers: { origin: ORIGIN }, payload: { email, password: CLIENT_PASSWORD } });
    expect(signIn.statusCode).toBe(200);
  });

  it('a team invitation makes a developer Account, recorded as a member event; without language and zone none is stored', async () => {
    const owner = await signUpVerified(t);
    const co = await createCompany(t, owner);
    const email = uniqueEmail('tm');
    const inv = await as(t, owner).post(`/api/v1/companies/${co.id}/invitations`, { email, role: 'admin' });
    expect(inv.statusCode).toBe(201);
    const res = await signUp(await latestTeamToken(t, email));
    expect(res.statusCode, res.body).toBe(201);
    const [row] = await t.services.db.select().from(accounts).where(eq(accounts.id, res.json().accountId));
    expect(row).toMatchObject({ accountType: 'developer', language: null, timeZone: null, emailVerified: true });
    const [event] = await t.services.db.select().from(activityEvents).where(and(eq(activityEvents.companyId, co.id), eq(activityEvents.action, 'invitation.signed_up')));
    expect(event).toMatchObject({ category: 'member', actorId: res.json().accountId, details: { invitationId: inv.json().id } });
  });

  it('called directly (without the route\'s schema), blank names are refused on each field and make no Account', async () => {
    const { email, token } = await offer();
    for (const [names, errors] of [
      [{ firstName: '  ', lastName: 'Client' }, [{ path: 'firstName', message: 'Enter your first name.' }]],
      [{ firstName: 'Clara', lastName: ' ' }, [{ path: 'lastName', message: 'Enter your last name.' }]],
      [{ firstName: '', lastName: '' }, [{ path: 'firstName', message: 'Enter your first name.' }, { path: 'lastName', message: 'Enter your last name.' }]],
    ] as const) {
      const err = await signUpFromInvitation(t.services, token, { password: CLIENT_PASSWORD, ...names }).then(() => null, (e: unknown) => e);
      expect(err, JSON.stringify(names)).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: 'validation_failed', detail: 'Enter your first and last name.', errors });
    }
    expect(await t.services.db.select().from(accounts).where(eq(accounts.email, email))).toEqual([]);
  });

  it('an address that has an Account already is told to sign in; a weak password is refused; neither makes an Account', async () => {
    const existing: SignedIn = await signUpVerified(t);
    const dev = await signUpVerified(t, { firstName: 'Dana', lastName: 'Dev' });
    const { token } = await inviteClient(t, dev, await createTrial(t, dev), existing.email);
    const res = await signUp(token, { password: STRONG_PASSWORD });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'conflict', detail: 'An account with this e-mail address already exists. Sign in to accept the invitation.' });
    const fresh = await offer();
    const weak = await signUp(fresh.token, { password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(await t.services.db.select().from(accounts).where(eq(accounts.email, fresh.email))).toEqual([]);
  });
});

// Issue 10, Stryker on invitee.ts lines 96–147 (4 December): whatOf in the inviter's language,
// and a decline that loses the race against a revoke or a resend (SPEC 5: one decision per
// invitation, and a resend kills the old link).
describe('the inviter is told in her own language (ADR 0050), and a decline that comes too late (SPEC 5)', () => {
  it('a German inviter reads a declined team invitation and a request for a new client link in German, the role in her words', async () => {
    const dev = await signUpVerified(t, { firstName: 'Dana', lastName: 'Dev' });
    expect((await as(t, dev).patch('/api/v1/me', { language: 'de' })).statusCode).toBe(200);
    const co = await createCompany(t, dev, { name: `Agentur ${Math.random().toString(36).slice(2, 6)}` });
    const app = await bookApp(t, dev, co);
    const member = uniqueEmail('tm');
    expect((await as(t, dev).post(`/api/v1/companies/${co.id}/invitations`, { email: member, role: 'collaborator', appNames: [app] })).statusCode).toBe(201);
    expect((await as(t, null).post('/api/v1/invitations/decline', { token: await latestTeamToken(t, member) })).statusCode).toBe(204);
    const [declined] = await mailsTo(t.services.db, dev.email, 'invitation-declined');
    expect(declined.subject).toBe(`${member} hat Ihre Einladung abgelehnt`);
    expect(declined.textBody).toContain(`${member} hat Ihre Einladung (Beitritt zu „${co.name}“ als Mitarbeiter) abgelehnt.`);
    const email = uniqueEmail('cl');
    const { token } = await inviteClient(t, dev, app, email);
    t.clock.advance(t.services.config.clientInvitationTtlMs + 1000);
    try {
      expect((await as(t, null).post('/api/v1/invitations/request-new', { token })).statusCode).toBe(202);
    } finally {
      t.clock.reset();
    }
    const [asked] = await mailsTo(t.services.db, dev.email, 'invitation-new-requested');
    expect(asked.subject).toBe(`${email} bittet um eine neue Einladung`);
    expect(asked.textBody).toContain(`${email} hat Ihre Einladung (Übernahme von „${app}“) geöffnet`);
    expect(asked.textBody).toContain(`${PUBLIC_URL}/apps/${app}`);
  });

  it('the invitee herself, signed in with the invited address, may decline (only another address is refused)', async () => {
    const dev = await signUpVerified(t, { firstName: 'Dana', lastName: 'Dev' });
    const invitee = await signUpVerified(t);
    const { invitation, token } = await inviteClient(t, dev, await createTrial(t, dev), invitee.email);
    expect((await as(t, invitee).post('/api/v1/invitations/decline', { token })).statusCode).toBe(204);
    expect((await t.services.db.select().from(invitations).where(eq(invitations.id, invitation.id)))[0].state).toBe('declined');
  });

  it('revoked between the check and the transaction: the decline is refused as no longer open, records nothing and mails no one', async () => {
    const { dev, app, token, invitation } = await offer();
    const reached = beforeNextTransaction(t, async () => {
      expect((await as(t, dev).delete(`/api/v1/apps/${app}/client-invitations/${invitation.id}`)).statusCode).toBe(204);
    });
    const res = await as(t, null).post('/api/v1/invitations/decline', { token });
    expect(reached()).toBe(true);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'invitation_invalid', reason: 'not_open', detail: 'This invitation is no longer open.' });
    expect(await eventsOfApp(app, 'handover.declined')).toEqual([]);
    expect(await mailsTo(t.services.db, dev.email, 'invitation-declined')).toEqual([]);
    expect((await t.services.db.select().from(invitations).where(eq(invitations.id, invitation.id)))[0].state).toBe('revoked');
  });

  it('resent between the check and the transaction: the old link declines nothing, and the new link still works', async () => {
    const { dev, app, email, token, invitation } = await offer();
    const reached = beforeNextTransaction(t, async () => {
      expect((await as(t, dev).post(`/api/v1/apps/${app}/client-invitations/${invitation.id}/resend`, {})).statusCode).toBe(200);
    });
    const res = await as(t, null).post('/api/v1/invitations/decline', { token });
    expect(reached()).toBe(true);
    expect(res.json()).toMatchObject({ code: 'invitation_invalid', reason: 'not_open' });
    expect((await t.services.db.select().from(invitations).where(eq(invitations.id, invitation.id)))[0].state).toBe('pending');
    expect(await eventsOfApp(app, 'handover.declined')).toEqual([]);
    expect((await lookup(await latestInvitationToken(t, email))).json().state).toBe('pending');
  });
});

describe('the offer in numbers refuses what it cannot price (issue 17, quoteInvitation.ts)', () => {
  const quote = (token: string, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/invitations/quote', headers: { origin: ORIGIN }, payload: { token, ...body } });

  it('a team link costs nothing and says so; a country code that is no country is named on its field', async () => {
    const owner = await signUpVerified(t);
    const co = await createCompany(t, owner);
    const email = uniqueEmail('tq');
    expect((await as(t, owner).post(`/api/v1/companies/${co.id}/invitations`, { email, role: 'admin' })).statusCode).toBe(201);
    const team = await quote(await latestTeamToken(t, email), { country: 'DE' });
    expect(team.statusCode).toBe(400);
    expect(team.json()).toMatchObject({ code: 'validation_failed', detail: 'This is a team invitation: joining a team costs nothing.' });
    const { token } = await offer();
    const nowhere = await quote(token, { country: 'XX' });
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.json()).toMatchObject({ code: 'validation_failed', detail: 'This is not a country code.', errors: [{ path: 'country', message: 'This is not a country code.' }] });
    // Without a currency the offer is priced in EUR; an empty VAT number is none.
    expect((await quote(token, { country: 'DE', vatNumber: '' })).json()).toMatchObject({ vatRate: 19, vatNumberProblem: null, monthly: { net: monthlyPrice(SMALL_PLAN as never, 'EUR') } });
  });
});
