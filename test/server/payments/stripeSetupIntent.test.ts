import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, contactInput, createTrial } from '../../harness/factories.js';
import { inviteClient, signUpClient } from '../../harness/handover.js';
import { FAKE_PUBLISHABLE_KEY, startStripeTestApp, type StripeFake, type StripeTestApp } from '../../harness/stripeFake.js';
import { as, createTestApp, ORIGIN, signUpVerified, uniqueEmail, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * SPEC 4.11, ADR 0085: the browser confirms a SetupIntent with Stripe.js (3-D Secure at set-up
 * included) and sends the PaymentMethod id; the server finds it set up on the Customer the
 * request uses and confirms nothing again.
 */
let s: StripeTestApp;
let fake: StripeFake;
let t: TestApp;
beforeAll(async () => {
  s = await startStripeTestApp();
  ({ fake, t } = s);
});
afterAll(async () => { await s?.close(); });

const setupIntent = (who: SignedIn | null, body: unknown) => as(t, who).post('/api/v1/payments/setup-intent', body);
/** Stripe.js in the browser: the card holder types the card into the Payment Element and confirms. */
async function cardFromBrowser(who: SignedIn, body: unknown, number = '4242424242424242') {
  const res = await setupIntent(who, body);
  expect(res.statusCode, res.body).toBe(200);
  return fake.confirmSetup(res.json().clientSecret, { number, expMonth: 10, expYear: 2032 });
}
const intentsFor = (pm: string) => [...fake.setupIntents.values()].filter((si) => si.payment_method === pm);

describe('the handover card form (issue 15): the token from the invitation cookie', () => {
  it('makes the SetupIntent for the invitee from the cookie the mailed link stored', async () => {
    const dev = await signUpVerified(t, { firstName: 'Dana', lastName: 'Developer' });
    const app = await createTrial(t, dev);
    const email = uniqueEmail('client');
    const { token } = await inviteClient(t, dev, app, email);
    const client = await signUpClient(t, token, email);
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/payments/setup-intent', headers: { origin: ORIGIN, cookie: `${client.cookie}; dashboard.invitation=${encodeURIComponent(token)}` },
      payload: { purpose: 'handover' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().clientSecret).toMatch(/^seti_/);
    // Someone else signed in with the same cookie is not the invitee.
    const other = await signUpVerified(t);
    const refused = await t.app.inject({
      method: 'POST', url: '/api/v1/payments/setup-intent', headers: { origin: ORIGIN, cookie: `${other.cookie}; dashboard.invitation=${encodeURIComponent(token)}` },
      payload: { purpose: 'handover' },
    });
    expect(refused.json().code).toBe('invitation_invalid');
  });
});

describe('GET /api/v1/payments/config', () => {
  it('names Stripe and its publishable key, only to a signed-in Account', async () => {
    const who = await signUpVerified(t);
    expect((await as(t, who).get('/api/v1/payments/config')).json()).toEqual({ provider: 'stripe', publishableKey: FAKE_PUBLISHABLE_KEY });
    expect((await as(t, null).get('/api/v1/payments/config')).statusCode).toBe(401);
  });

  it('with the sandbox: provider sandbox, and no SetupIntent (409)', async () => {
    const sandbox = await createTestApp();
    try {
      const who = await signUpVerified(sandbox);
      expect((await as(sandbox, who).get('/api/v1/payments/config')).json()).toEqual({ provider: 'sandbox' });
      const res = await as(sandbox, who).post('/api/v1/payments/setup-intent', { purpose: 'company' });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('conflict');
    } finally { await sandbox.close(); }
  });
});

describe('POST /api/v1/payments/setup-intent', () => {
  it('a Company set up with a card confirmed in the browser: one Customer, one SetupIntent, the card stored', async () => {
    const owner = await signUpVerified(t);
    const { paymentMethod } = await cardFromBrowser(owner, { purpose: 'company' });
    const res = await as(t, owner).post('/api/v1/companies', { name: 'Browser Card GmbH', billingContact: contactInput(), paymentMethod: { token: paymentMethod } });
    expect(res.statusCode, res.body).toBe(201);
    const [contact] = (await as(t, owner).get(`/api/v1/companies/${res.json().id}/billing-contacts`)).json().items;
    expect(contact.paymentMethod).toMatchObject({ type: 'card', brand: 'visa', last4: '4242', expMonth: 10, expYear: 2032 });
    expect(intentsFor(paymentMethod)).toHaveLength(1);
    expect(fake.paymentMethods.get(paymentMethod)!.customer).toBe(intentsFor(paymentMethod)[0].customer);
  });

  it('a card change keeps the contact\'s Customer; a new billing contact gets its own', async () => {
    const owner = await signUpVerified(t);
    const first = await cardFromBrowser(owner, { purpose: 'company' });
    const co = (await as(t, owner).post('/api/v1/companies', { name: 'Changing GmbH', billingContact: contactInput(), paymentMethod: { token: first.paymentMethod } })).json();
    const [contact] = (await as(t, owner).get(`/api/v1/companies/${co.id}/billing-contacts`)).json().items;
    const customer = fake.paymentMethods.get(first.paymentMethod)!.customer;

    const next = await cardFromBrowser(owner, { purpose: 'card-change', companyId: co.id, contactId: contact.id }, '5555555555554444');
    expect(fake.paymentMethods.get(next.paymentMethod)!.customer).toBe(customer);
    const changed = await as(t, owner).patch(`/api/v1/companies/${co.id}/billing-contacts/${contact.id}`, { paymentMethod: { token: next.paymentMethod } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().paymentMethod).toMatchObject({ brand: 'mastercard', last4: '4444' });
    expect(intentsFor(next.paymentMethod)).toHaveLength(1);

    const other = await cardFromBrowser(owner, { purpose: 'billing-contact', companyId: co.id });
    const added = await as(t, owner).post(`/api/v1/companies/${co.id}/billing-contacts`, { ...contactInput({ name: 'Second GmbH' }), paymentMethod: { token: other.paymentMethod } });
    expect(added.statusCode, added.body).toBe(201);
    expect(fake.paymentMethods.get(other.paymentMethod)!.customer).not.toBe(customer);
  });

  it('a card confirmed for one purpose cannot be used for another (another Customer): validation_failed', async () => {
    const owner = await signUpVerified(t);
    const co = (await as(t, owner).post('/api/v1/companies', { name: 'Purpose GmbH', billingContact: contactInput(), paymentMethod: { token: (await cardFromBrowser(owner, { purpose: 'company' })).paymentMethod } })).json();
    const forCompany = await cardFromBrowser(owner, { purpose: 'company' });
    const res = await as(t, owner).post(`/api/v1/companies/${co.id}/billing-contacts`, { ...contactInput({ name: 'Wrong GmbH' }), paymentMethod: { token: forCompany.paymentMethod } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('paymentMethod.token');
  });

  it('only those who may change billing get one for a Company; unknown purposes and invitation tokens are refused; a session is needed', async () => {
    const owner = await signUpVerified(t);
    const co = (await as(t, owner).post('/api/v1/companies', { name: 'Guarded GmbH', billingContact: contactInput(), paymentMethod: { token: (await cardFromBrowser(owner, { purpose: 'company' })).paymentMethod } })).json();
    const [contact] = (await as(t, owner).get(`/api/v1/companies/${co.id}/billing-contacts`)).json().items;
    const admin = await signUpVerified(t);
    await addMember(t, co.id, admin, 'admin');
    expect((await setupIntent(admin, { purpose: 'card-change', companyId: co.id, contactId: contact.id })).json().code).toBe('forbidden');
    expect((await setupIntent(await signUpVerified(t), { purpose: 'billing-contact', companyId: co.id })).statusCode).toBe(404);
    expect((await setupIntent(owner, { purpose: 'card-change', companyId: co.id, contactId: 'nope' })).statusCode).toBe(404);
    expect((await setupIntent(owner, { purpose: 'handover', token: 'not-a-token' })).json().code).toBe('invitation_invalid');
    // The invitation page sends no token (it sits in an HttpOnly cookie): without the cookie, nothing to go on.
    expect((await setupIntent(owner, { purpose: 'handover' })).json().code).toBe('invitation_invalid');
    expect((await setupIntent(owner, { purpose: 'refund' })).statusCode).toBe(400);
    expect((await setupIntent(owner, { purpose: 'company', extra: 1 })).statusCode).toBe(400);
    expect((await setupIntent(null, { purpose: 'company' })).statusCode).toBe(401);
  });
});
