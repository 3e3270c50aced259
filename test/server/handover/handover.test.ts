import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, billingPeriods, invitations, memberships, sandboxPaymentTokens } from '../../../src/server/db/schema.js';
import { hashToken } from '../../../src/server/shared/ids.js';
import { bookApp, CARDS, cardToken, createCompany, createTrial, MEDIUM_PLAN } from '../../harness/factories.js';
import { acceptWithNewCompany, inviteClient, renewed, signUpClient } from '../../harness/handover.js';
import { as, createTestApp, mailsTo, ORIGIN, signUpVerified, uniqueEmail, type TestApp } from '../../harness/testApp.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

const day = (offset: number) => { const d = t.clock.now(); d.setUTCDate(d.getUTCDate() + offset); return d.toISOString().slice(0, 10); };

describe('handover of a trial App (issue 4)', () => {
  it('walks the whole story: invite, mail, link, sign-up, pay, done; the developer stays on as admin', async () => {
    const dev2 = await signUpVerified(t, { firstName: 'Ravi', lastName: 'Builder' });
    const app = await createTrial(t, dev2);
    const email = uniqueEmail('client');
    const { invitation, token } = await inviteClient(t, dev2, app, email, MEDIUM_PLAN, { name: 'Clara', message: 'Your site is ready!' });
    expect(invitation).toMatchObject({ email, state: 'pending', plan: MEDIUM_PLAN, monthlyPrice: { amount: 1900 + 1500 + 800, currency: 'EUR' } });
    expect(JSON.stringify(invitation)).not.toContain(token);

    // The mail: who invites, which App, the price, what happens, until when.
    const [mail] = await mailsTo(t.services.db, email, 'client-invitation');
    expect(mail.subject).toContain('Ravi Builder');
    expect(mail.textBody).toContain(app);
    expect(mail.textBody).toContain('€42.00 per month');
    expect(mail.textBody).toMatch(/keeps working on it for you as an admin/);
    expect(mail.textBody).toMatch(/works until .*UTC/);
    expect(mail.textBody).toContain(`http://dashboard.test/invite/${token}`);
    expect(mail.textBody).toContain('Your site is ready!');

    // The link page moves the token into a cookie and away from the URL.
    const page = await t.app.inject({ method: 'GET', url: `/invite/${token}` });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/invitation');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(String(page.headers['set-cookie'])).toMatch(/dashboard\.invitation=.*HttpOnly/);

    // Without logging in, the same facts, via the cookie.
    const invitationCookie = String(page.headers['set-cookie']).split(';')[0];
    const lookup = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/lookup', headers: { origin: ORIGIN, cookie: invitationCookie }, payload: {} });
    expect(lookup.statusCode).toBe(200);
    expect(lookup.json()).toMatchObject({
      kind: 'client', state: 'pending', email, inviter: { firstName: 'Ravi', lastName: 'Builder' }, app: { name: app },
      plan: MEDIUM_PLAN, monthlyPrice: { amount: 4200, currency: 'EUR' }, clientName: 'Clara',
    });

    // Sign up there: a verified client Account with the invited e-mail, signed in.
    const client = await signUpClient(t, token, email);
    const me = (await as(t, client).get('/api/v1/me')).json();
    expect(me).toMatchObject({ email, emailVerified: true, accountType: 'client', newsletter: false, firstName: 'Clara' });

    const accepted = await acceptWithNewCompany(t, client, token, 'Clara’s Bakery');
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ company: { name: 'Clara’s Bakery' }, app: { name: app } });
    const companyId = accepted.json().company.id;

    // The session is renewed: the old cookie no longer works, the new one does.
    expect((await as(t, client).get('/api/v1/me')).statusCode).toBe(401);
    const clientNow = renewed(client, accepted);
    expect((await as(t, clientNow).get('/api/v1/me')).statusCode).toBe(200);

    // Client is owner, developer admin; the App is active in the Company on the chosen plan.
    const roles = await t.services.db.select().from(memberships).where(eq(memberships.companyId, companyId));
    expect(roles.map((m) => [m.accountId, m.role]).sort()).toEqual([[client.id, 'owner'], [dev2.id, 'admin']].sort());
    const appView = (await as(t, clientNow).get(`/api/v1/apps/${app}`)).json();
    expect(appView).toMatchObject({ status: 'active', company: { id: companyId }, plan: MEDIUM_PLAN });
    const devCompanies = (await as(t, dev2).get('/api/v1/companies')).json().items;
    expect(devCompanies).toContainEqual({ id: companyId, name: 'Clara’s Bakery', role: 'admin' });

    // Billing: a trial costs nothing; the client's contact pays from tomorrow.
    const periods = await t.services.db.select().from(billingPeriods).where(eq(billingPeriods.appId, appView.id ?? (await appId(app))));
    expect(periods).toHaveLength(1);
    expect(periods[0]).toMatchObject({ fromDay: day(1), toDay: null, monthlyPriceCents: 4200, currency: 'EUR' });

    // The developer, now admin, scales the App but never sees payment details.
    const scaled = await as(t, dev2).put(`/api/v1/apps/${app}/plan`, { plan: { php: 'php-l', database: 'db-m', storage: 'storage-50' } });
    expect(scaled.statusCode).toBe(200);
    const contacts = await as(t, dev2).get(`/api/v1/companies/${companyId}/billing-contacts`);
    expect(contacts.statusCode).toBe(200);
    expect(JSON.stringify(contacts.json())).not.toMatch(/last4|4242|brand|invoiceEmail|address/);

    // Mails: the client's confirmation and the inviter's "you are now admin".
    expect(await mailsTo(t.services.db, email, 'handover-confirmation')).toHaveLength(1);
    const [inviterMail] = await mailsTo(t.services.db, dev2.email, 'handover-inviter');
    expect(inviterMail.subject).toContain('you are now admin of');
    // Activity in the new Company.
    const activity = (await as(t, clientNow).get(`/api/v1/companies/${companyId}/activity`)).json().items.map((e: { action: string }) => e.action);
    expect(activity).toEqual(expect.arrayContaining(['handover.accepted', 'company.created', 'member.added']));
  });

  it('refuses an inviter without a name (name_required) and a second open invitation per App', async () => {
    const nameless = await signUpVerified(t, { firstName: 'Temp', lastName: 'Name' });
    await as(t, nameless).patch('/api/v1/me', { firstName: '', lastName: ' ' });
    const app = await createTrial(t, nameless);
    const res = await as(t, nameless).post(`/api/v1/apps/${app}/client-invitations`, { email: uniqueEmail(), plan: MEDIUM_PLAN });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('name_required');
    await as(t, nameless).patch('/api/v1/me', { firstName: 'Now', lastName: 'Named' });
    await inviteClient(t, nameless, app, uniqueEmail());
    const second = await as(t, nameless).post(`/api/v1/apps/${app}/client-invitations`, { email: uniqueEmail(), plan: MEDIUM_PLAN });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('invitation_pending_exists');
  });
});

async function appId(name: string): Promise<string> {
  const { apps } = await import('../../../src/server/db/schema.js');
  const [row] = await t.services.db.select().from(apps).where(eq(apps.name, name));
  return row.id;
}

describe('handover security (SPEC section 5)', () => {
  it('stores only a hash of a 256-bit token; lookups of unknown tokens say invitation_invalid', async () => {
    const d = await signUpVerified(t, { firstName: 'Hash', lastName: 'Check' });
    const app = await createTrial(t, d);
    const { invitation, token } = await inviteClient(t, d, app, uniqueEmail());
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(Buffer.from(token, 'base64url').length).toBe(32);
    const [row] = await t.services.db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const unknown = await as(t, null).post('/api/v1/invitations/lookup', { token: token.slice(0, -2) + 'xx' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('invitation_invalid');
  });

  it('lookup answers the same whether or not the invited e-mail has an Account', async () => {
    const d = await signUpVerified(t, { firstName: 'Same', lastName: 'Answer' });
    const existing = await signUpVerified(t);
    const a1 = await createTrial(t, d);
    const { token: t1 } = await inviteClient(t, d, a1, existing.email);
    await as(t, d).delete(`/api/v1/apps/${a1}`);
    const d2 = await signUpVerified(t, { firstName: 'Same', lastName: 'Answer' });
    const a2 = await createTrial(t, d2);
    const { token: t2 } = await inviteClient(t, d2, a2, uniqueEmail());
    const [l1, l2] = [await as(t, null).post('/api/v1/invitations/lookup', { token: t1 }), await as(t, null).post('/api/v1/invitations/lookup', { token: t2 })];
    expect(Object.keys(l1.json()).sort()).toEqual(Object.keys(l2.json()).sort());
    expect(JSON.stringify(l1.json())).not.toMatch(/account|exists|registered/i);
  });

  it('is single use, expires (checked at commit), and dies on resend and revoke', async () => {
    const d = await signUpVerified(t, { firstName: 'Once', lastName: 'Only' });
    const app = await createTrial(t, d);
    const email = uniqueEmail('once');
    const { invitation, token } = await inviteClient(t, d, app, email);
    const client = await signUpClient(t, token, email);

    // Resend: the old link stops working, the new one works.
    const resent = await as(t, d).post(`/api/v1/apps/${app}/client-invitations/${invitation.id}/resend`);
    expect(resent.statusCode).toBe(200);
    const newToken = (await import('../../harness/handover.js')).latestInvitationToken;
    const token2 = await newToken(t, email);
    expect(token2).not.toBe(token);
    expect((await as(t, null).post('/api/v1/invitations/lookup', { token })).statusCode).toBe(404);

    // Expired at commit: move the clock past the expiry.
    t.clock.advance(t.services.config.clientInvitationTtlMs + 1000);
    try {
      const late = await acceptWithNewCompany(t, client, token2);
      expect(late.statusCode).toBe(404);
      expect(late.json().code).toBe('invitation_invalid');
      expect(late.json().detail).toMatch(/expired/);
      const listed = (await as(t, d).get(`/api/v1/apps/${app}/client-invitations`)).json().items;
      expect(listed[0]).toMatchObject({ id: invitation.id, state: 'expired' });
    } finally {
      t.clock.reset();
    }

    // Expired invitations can be resent; then it is accepted once and only once.
    await as(t, d).post(`/api/v1/apps/${app}/client-invitations/${invitation.id}/resend`);
    const token3 = await newToken(t, email);
    const ok = await acceptWithNewCompany(t, client, token3);
    expect(ok.statusCode).toBe(200);
    const clientNow = renewed(client, ok);
    const again = await acceptWithNewCompany(t, clientNow, token3, 'Second Company');
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('invitation_invalid');
    expect((await as(t, clientNow).get('/api/v1/companies')).json().items).toHaveLength(1);
  });

  it('revoke kills the link', async () => {
    const d = await signUpVerified(t, { firstName: 'Re', lastName: 'Voke' });
    const app = await createTrial(t, d);
    const { invitation, token } = await inviteClient(t, d, app, uniqueEmail());
    expect((await as(t, d).delete(`/api/v1/apps/${app}/client-invitations/${invitation.id}`)).statusCode).toBe(204);
    const lookup = await as(t, null).post('/api/v1/invitations/lookup', { token });
    expect(lookup.json().state).toBe('revoked');
    expect((await as(t, null).post('/api/v1/invitations/sign-up', { token, password: 'a long enough password here', firstName: 'A', lastName: 'B' })).json().code).toBe('invitation_invalid');
  });

  it('refuses the wrong Account (email_mismatch) and an unverified one (email_not_verified)', async () => {
    const d = await signUpVerified(t, { firstName: 'Wrong', lastName: 'Person' });
    const app = await createTrial(t, d);
    const { token } = await inviteClient(t, d, app, uniqueEmail('right'));
    const stranger = await signUpVerified(t, { accountType: 'client' });
    const res = await acceptWithNewCompany(t, stranger, token);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('email_mismatch');
    expect((await as(t, stranger).get('/api/v1/companies')).json().items).toHaveLength(0);

    // The invited address, but not (or no longer) verified: email_not_verified, nothing changes (issue 10).
    const invitedEmail = (await as(t, d).get(`/api/v1/apps/${app}/client-invitations`)).json().items[0].email as string;
    const unverified = await signUpVerified(t, { email: invitedEmail, accountType: 'client' });
    await t.services.db.update(accounts).set({ emailVerified: false }).where(eq(accounts.id, unverified.id));
    await t.services.identitySync();
    const notVerified = await acceptWithNewCompany(t, unverified, token);
    expect(notVerified.statusCode).toBe(403);
    expect(notVerified.json().code).toBe('email_not_verified');
    expect((await as(t, unverified).get('/api/v1/companies')).json().items).toHaveLength(0);
    const looks = await as(t, d).get(`/api/v1/apps/${app}/client-invitations`);
    expect(looks.json().items[0].state).toBe('pending');
    expect((await as(t, d).get(`/api/v1/apps/${app}`)).json().status).toBe('trial');
  });

  it('compares the invited e-mail case-insensitively: invited as Mixed.Case@Example.COM, accepted by mixed.case@example.com (issue 10)', async () => {
    const d = await signUpVerified(t, { firstName: 'Case', lastName: 'Folder' });
    const app = await createTrial(t, d);
    const local = `Mixed.Case.${Math.random().toString(36).slice(2, 7)}`;
    const { invitation, token } = await inviteClient(t, d, app, `${local}@Example.COM`);
    expect(invitation.email).toBe(`${local.toLowerCase()}@example.com`);
    // An Account the client made on their own, typed in yet another case.
    const client = await signUpVerified(t, { email: `${local.toUpperCase()}@EXAMPLE.com`, accountType: 'client' });
    expect(client.email).toBe(`${local.toLowerCase()}@example.com`);
    const res = await acceptWithNewCompany(t, client, token, 'Case Bakery');
    expect(res.statusCode, res.body).toBe(200);
    expect((await as(t, null).post('/api/v1/invitations/lookup', { token })).json().state).toBe('accepted');
  });

  it('takes the App from the invitation, never from the body', async () => {
    const d = await signUpVerified(t, { firstName: 'Body', lastName: 'Check' });
    const app = await createTrial(t, d);
    const email = uniqueEmail();
    const { token } = await inviteClient(t, d, app, email);
    const client = await signUpClient(t, token, email);
    const res = await as(t, client).post('/api/v1/invitations/accept', { token, appName: 'someone-elses-app', company: { name: 'X' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
    const noCompany = await as(t, client).post('/api/v1/invitations/accept', { token });
    expect(noCompany.statusCode).toBe(400);
    expect(noCompany.json().errors[0].path).toBe('company');
    expect((await as(t, null).post('/api/v1/invitations/lookup', { token })).json().state).toBe('pending');
  });

  it('a declined card changes nothing', async () => {
    const d = await signUpVerified(t, { firstName: 'Card', lastName: 'Declined' });
    const app = await createTrial(t, d);
    const email = uniqueEmail();
    const { token } = await inviteClient(t, d, app, email);
    const client = await signUpClient(t, token, email);
    const res = await acceptWithNewCompany(t, client, token, 'Nope Ltd', await cardToken(t, CARDS.declined));
    expect(res.statusCode).toBe(402);
    expect(res.json().code).toBe('payment_declined');
    expect((await as(t, client).get('/api/v1/companies')).json().items).toHaveLength(0);
    expect((await as(t, null).post('/api/v1/invitations/lookup', { token })).json().state).toBe('pending');
    expect((await as(t, d).get(`/api/v1/apps/${app}`)).json().status).toBe('trial');
  });

  it('builds links from PUBLIC_URL even when Host and X-Forwarded-Host lie', async () => {
    const d = await signUpVerified(t, { firstName: 'Host', lastName: 'Liar' });
    const app = await createTrial(t, d);
    const email = uniqueEmail();
    const res = await t.app.inject({
      method: 'POST', url: `/api/v1/apps/${app}/client-invitations`,
      headers: { origin: ORIGIN, cookie: d.cookie, host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
      payload: { email, plan: MEDIUM_PLAN },
    });
    expect(res.statusCode).toBe(201);
    const [mail] = await mailsTo(t.services.db, email, 'client-invitation');
    expect(mail.textBody).toContain('http://dashboard.test/invite/');
    expect(mail.textBody + mail.htmlBody).not.toContain('evil');
  });

  it('never writes an invitation token to the log', async () => {
    const d = await signUpVerified(t, { firstName: 'Log', lastName: 'Check' });
    const app = await createTrial(t, d);
    const email = uniqueEmail();
    const { token } = await inviteClient(t, d, app, email);
    await t.app.inject({ method: 'GET', url: `/invite/${token}` });
    await as(t, null).post('/api/v1/invitations/lookup', { token });
    expect(t.logs.filter((l) => l.includes(token))).toEqual([]);
  });

  it('an App deleted while an invitation is pending makes it invalid', async () => {
    const d = await signUpVerified(t, { firstName: 'Gone', lastName: 'App' });
    const app = await createTrial(t, d);
    const email = uniqueEmail();
    const { token } = await inviteClient(t, d, app, email);
    const client = await signUpClient(t, token, email);
    expect((await as(t, d).delete(`/api/v1/apps/${app}`)).statusCode).toBe(204);
    expect((await as(t, null).post('/api/v1/invitations/lookup', { token })).json().state).toBe('revoked');
    const res = await acceptWithNewCompany(t, client, token);
    expect(res.json().code).toBe('invitation_invalid');
    expect((await as(t, client).get('/api/v1/companies')).json().items).toHaveLength(0);
  });
});

describe('handover of a Company App into an existing Company', () => {
  it('needs consent, cuts billing over by day, and tells the previous owners', async () => {
    const agency = await signUpVerified(t, { firstName: 'Agnes', lastName: 'Agency' });
    const agencyCo = await createCompany(t, agency, { name: 'Agency Ltd' });
    const app = await bookApp(t, agency, agencyCo);
    const email = uniqueEmail('owner');
    const { token } = await inviteClient(t, agency, app, email);
    const client = await signUpClient(t, token, email);
    const clientCo = await createCompany(t, client, { name: 'Client GmbH' });

    const noConsent = await as(t, client).post('/api/v1/invitations/accept', { token, company: { id: clientCo.id } });
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.json().detail).toMatch(/Agnes Agency will become an admin of "Client GmbH"/);

    const res = await as(t, client).post('/api/v1/invitations/accept', { token, company: { id: clientCo.id }, billingContactId: clientCo.contactId, consent: true });
    expect(res.statusCode).toBe(200);
    const periods = await t.services.db.select().from(billingPeriods).where(eq(billingPeriods.appId, await appId(app)));
    const byContact = Object.fromEntries(periods.map((p) => [p.billingContactId, p]));
    expect(byContact[agencyCo.contactId]).toMatchObject({ toDay: day(0) });
    expect(byContact[clientCo.contactId]).toMatchObject({ fromDay: day(1), toDay: null });
    expect(await mailsTo(t.services.db, agency.email, 'handover-previous-owner')).toHaveLength(1);
    const agencyActivity = (await as(t, agency).get(`/api/v1/companies/${agencyCo.id}/activity`)).json().items.map((e: { action: string }) => e.action);
    expect(agencyActivity).toContain('app.handed_over');
    expect((await as(t, agency).get(`/api/v1/companies/${clientCo.id}`)).json().role).toBe('admin');
  });

  it('admins cannot hand over; a Company that blocks transfers out refuses handovers', async () => {
    const owner = await signUpVerified(t, { firstName: 'Olga', lastName: 'Owner' });
    const co = await createCompany(t, owner);
    const app = await bookApp(t, owner, co);
    const admin = await signUpVerified(t, { firstName: 'Adam', lastName: 'Admin' });
    const { addMember } = await import('../../harness/factories.js');
    await addMember(t, co.id, admin, 'admin');
    const refused = await as(t, admin).post(`/api/v1/apps/${app}/client-invitations`, { email: uniqueEmail(), plan: MEDIUM_PLAN });
    expect(refused.statusCode).toBe(403);
    await as(t, owner).patch(`/api/v1/companies/${co.id}`, { blockTransfersOut: true });
    const blocked = await as(t, owner).post(`/api/v1/apps/${app}/client-invitations`, { email: uniqueEmail(), plan: MEDIUM_PLAN });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().code).toBe('transfers_blocked');
  });
});

describe('declining and asking for a new invitation', () => {
  it('declines, then asks the inviter for a new one', async () => {
    const d = await signUpVerified(t, { firstName: 'Ask', lastName: 'Again' });
    const app = await createTrial(t, d);
    const email = uniqueEmail();
    const { token } = await inviteClient(t, d, app, email);
    expect((await as(t, null).post('/api/v1/invitations/request-new', { token })).statusCode).toBe(409);
    expect((await as(t, null).post('/api/v1/invitations/decline', { token })).statusCode).toBe(204);
    expect((await as(t, null).post('/api/v1/invitations/lookup', { token })).json().state).toBe('declined');
    expect(await mailsTo(t.services.db, d.email, 'invitation-declined')).toHaveLength(1);
    expect((await as(t, null).post('/api/v1/invitations/request-new', { token })).statusCode).toBe(202);
    const [mail] = await mailsTo(t.services.db, d.email, 'invitation-new-requested');
    expect(mail.textBody).toContain(email);
    expect((await as(t, null).post('/api/v1/invitations/request-new', { token: 'nope' })).json().code).toBe('invitation_invalid');
  });
});

describe('the sandbox card is authorised once per handover', () => {
  it('records one use of the token', async () => {
    const d = await signUpVerified(t, { firstName: 'Card', lastName: 'Once' });
    const app = await createTrial(t, d);
    const email = uniqueEmail();
    const { invitation, token } = await inviteClient(t, d, app, email);
    const client = await signUpClient(t, token, email);
    const card = await cardToken(t);
    expect((await acceptWithNewCompany(t, client, token, 'Once Co', card)).statusCode).toBe(200);
    const [row] = await t.services.db.select().from(sandboxPaymentTokens).where(eq(sandboxPaymentTokens.token, card));
    expect(row.usedFor).toBe(`handover:${invitation.id}`);
  });
});
