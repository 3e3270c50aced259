import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addMember, bookApp, cardToken, CARDS, createCompany } from '../../harness/factories.js';
import { as, cookiesOf, createTestApp, signUpVerified, STRONG_PASSWORD, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { secretOf, totp } from '../../harness/totp.js';

/**
 * SPEC 4.10, issue 16: every sensitive action needs the password (or a code) within the last
 * 10 minutes — deleting a Company (twoFactor.test.ts), changing a payment method, moving an App
 * to another Company, turning two-factor off. A stale session gets 403
 * `reauthentication_required` and nothing changes; after POST /api/v1/me/reauthenticate the
 * same request works.
 */

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });
afterEach(() => { t.clock.reset(); });

const STALE = 11 * 60_000;

async function expectStale(res: { statusCode: number; json: () => { code?: string } }) {
  expect(res.statusCode).toBe(403);
  expect(res.json().code).toBe('reauthentication_required');
}

async function reauthenticate(who: SignedIn) {
  const res = await as(t, who).post('/api/v1/me/reauthenticate', { password: STRONG_PASSWORD });
  expect(res.statusCode, res.body).toBe(204);
}

const sessionCookie = (res: Parameters<typeof cookiesOf>[0]) =>
  cookiesOf(res).split('; ').filter((c) => c.includes('session_token=')).join('; ');

/** Turns two-factor on; the session is renewed by it. */
async function turnOn(who: SignedIn): Promise<{ user: SignedIn; secret: string }> {
  const started = await as(t, who).post('/api/auth/two-factor/enable', { password: STRONG_PASSWORD });
  expect(started.statusCode, started.body).toBe(200);
  const secret = secretOf(started.json().totpURI);
  const verified = await as(t, who).post('/api/auth/two-factor/verify-totp', { code: totp(secret) });
  expect(verified.statusCode, verified.body).toBe(200);
  return { user: { ...who, cookie: sessionCookie(verified) || who.cookie }, secret };
}

async function activityOf(owner: SignedIn, companyId: string): Promise<string[]> {
  return (await as(t, owner).get(`/api/v1/companies/${companyId}/activity`)).json().items.map((e: { action: string }) => e.action);
}

describe('changing a payment method', () => {
  it('a stale session is asked for the password, the card is not used up, and after re-authentication the change goes through', async () => {
    const owner = await signUpVerified(t);
    const co = await createCompany(t, owner);
    const url = `/api/v1/companies/${co.id}/billing-contacts/${co.contactId}`;
    t.clock.advance(STALE);
    const token = await cardToken(t, CARDS.ok);
    await expectStale(await as(t, owner).patch(url, { paymentMethod: { token } }));
    const [contact] = (await as(t, owner).get(`/api/v1/companies/${co.id}/billing-contacts`)).json().items;
    expect(contact.paymentMethod.last4).toBe('4242');
    expect(await activityOf(owner, co.id)).not.toContain('billing_contact.updated');

    await reauthenticate(owner);
    const changed = await as(t, owner).patch(url, { paymentMethod: { token } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await activityOf(owner, co.id)).toContain('billing_contact.updated');

    // Fresh for 10 minutes from the re-authentication, not longer.
    t.clock.advance(9 * 60_000);
    expect((await as(t, owner).patch(url, { paymentMethod: { token: await cardToken(t) } })).statusCode).toBe(200);
    t.clock.advance(2 * 60_000);
    await expectStale(await as(t, owner).patch(url, { paymentMethod: { token: await cardToken(t) } }));
  });

  it('other changes of the billing contact do not need it; someone who may not change the card is told so, not asked for a password', async () => {
    const owner = await signUpVerified(t);
    const co = await createCompany(t, owner);
    const admin = await signUpVerified(t);
    await addMember(t, co.id, admin, 'admin');
    const url = `/api/v1/companies/${co.id}/billing-contacts/${co.contactId}`;
    t.clock.advance(STALE);
    const renamed = await as(t, owner).patch(url, { name: 'Bakery Müller KG', invoiceEmail: 'books@bakery.example' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const refused = await as(t, admin).patch(url, { paymentMethod: { token: await cardToken(t) } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('forbidden');
  });

  it('a bad card is still refused after re-authentication (402), and a re-authentication with a code works too', async () => {
    const { user, secret } = await turnOn(await signUpVerified(t));
    const co = await createCompany(t, user);
    const url = `/api/v1/companies/${co.id}/billing-contacts/${co.contactId}`;
    t.clock.advance(STALE);
    await expectStale(await as(t, user).patch(url, { paymentMethod: { token: await cardToken(t, CARDS.declined) } }));
    expect((await as(t, user).post('/api/v1/me/reauthenticate', { code: totp(secret) })).statusCode).toBe(204);
    const declined = await as(t, user).patch(url, { paymentMethod: { token: await cardToken(t, CARDS.declined) } });
    expect(declined.statusCode).toBe(402);
    expect(declined.json().code).toBe('payment_declined');
  });
});

describe('moving an App to another Company', () => {
  it('a stale owner of both is asked for the password and nothing moves; after re-authentication the App moves', async () => {
    const owner = await signUpVerified(t);
    const from = await createCompany(t, owner);
    const to = await createCompany(t, owner);
    const app = await bookApp(t, owner, from);
    t.clock.advance(STALE);
    const body = { toCompanyId: to.id, billingContactId: to.contactId };
    await expectStale(await as(t, owner).post(`/api/v1/apps/${app}/transfer`, body));
    expect((await as(t, owner).get(`/api/v1/apps/${app}`)).json().company.id).toBe(from.id);
    expect(await activityOf(owner, from.id)).not.toContain('app.transferred_out');

    await reauthenticate(owner);
    const moved = await as(t, owner).post(`/api/v1/apps/${app}/transfer`, body);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().company.id).toBe(to.id);
  });

  it('refusals that do not depend on the password come first: not an owner of both (403 forbidden), transfers blocked (409)', async () => {
    const owner = await signUpVerified(t);
    const from = await createCompany(t, owner);
    const to = await createCompany(t, owner);
    const app = await bookApp(t, owner, from);
    const admin = await signUpVerified(t);
    await addMember(t, from.id, admin, 'admin');
    await addMember(t, to.id, admin, 'owner');
    expect((await as(t, owner).patch(`/api/v1/companies/${from.id}`, { blockTransfersOut: true })).statusCode).toBe(200);
    t.clock.advance(STALE);
    const body = { toCompanyId: to.id, billingContactId: to.contactId };
    const notOwner = await as(t, admin).post(`/api/v1/apps/${app}/transfer`, body);
    expect(notOwner.statusCode).toBe(403);
    expect(notOwner.json().code).toBe('forbidden');
    const blocked = await as(t, owner).post(`/api/v1/apps/${app}/transfer`, body);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().code).toBe('transfers_blocked');
  });
});

describe('turning two-factor off', () => {
  it('needs a re-authentication within 10 minutes besides the password in the body', async () => {
    const { user, secret } = await turnOn(await signUpVerified(t));
    t.clock.advance(STALE);
    await expectStale(await as(t, user).post('/api/auth/two-factor/disable', { password: STRONG_PASSWORD }));
    expect((await as(t, user).get('/api/v1/me')).json().twoFactorEnabled).toBe(true);

    expect((await as(t, user).post('/api/v1/me/reauthenticate', { code: totp(secret) })).statusCode).toBe(204);
    // Fresh, but the password in the body is still checked.
    const wrong = await as(t, user).post('/api/auth/two-factor/disable', { password: 'not the password at all' });
    expect(wrong.statusCode).toBe(400);
    const off = await as(t, user).post('/api/auth/two-factor/disable', { password: STRONG_PASSWORD });
    expect(off.statusCode, off.body).toBe(200);
    // Turning off renews the session; the new one has just proved the password.
    const renewed = { ...user, cookie: sessionCookie(off) };
    expect((await as(t, renewed).get('/api/v1/me')).json().twoFactorEnabled).toBe(false);
    const co = await createCompany(t, renewed);
    const card = await as(t, renewed).patch(`/api/v1/companies/${co.id}/billing-contacts/${co.contactId}`, { paymentMethod: { token: await cardToken(t) } });
    expect(card.statusCode, card.body).toBe(200);
  });

  it('a session that just turned two-factor on, or changed its password, is fresh (it proved a code or the password)', async () => {
    const { user } = await turnOn(await signUpVerified(t, { fresh: false }));
    const off = await as(t, user).post('/api/auth/two-factor/disable', { password: STRONG_PASSWORD });
    expect(off.statusCode, off.body).toBe(200);

    const stale = await signUpVerified(t, { fresh: false });
    const co = await createCompany(t, stale);
    const url = `/api/v1/companies/${co.id}/billing-contacts/${co.contactId}`;
    await expectStale(await as(t, stale).patch(url, { paymentMethod: { token: await cardToken(t) } }));
    const changed = await as(t, stale).post('/api/auth/change-password', { currentPassword: STRONG_PASSWORD, newPassword: `${STRONG_PASSWORD}!` });
    expect(changed.statusCode, changed.body).toBe(200);
    const renewed = { ...stale, cookie: sessionCookie(changed) };
    expect((await as(t, renewed).patch(url, { paymentMethod: { token: await cardToken(t) } })).statusCode).toBe(200);
  });
});
