import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingContacts, stripeWebhookEvents } from '../../../src/server/db/schema.js';
import { contactInput } from '../../harness/factories.js';
import { startStripeTestApp, type StripeFake, type StripeTestApp } from '../../harness/stripeFake.js';
import { as, signUpVerified, type TestApp } from '../../harness/testApp.js';

/**
 * SPEC 4.11 with PAYMENT_PROVIDER=stripe against the local Stripe fake: the card path of the
 * API takes a PaymentMethod id, and webhooks are verified over the raw body and processed once.
 */
let s: StripeTestApp;
let fake: StripeFake;
let t: TestApp;

beforeAll(async () => {
  s = await startStripeTestApp();
  ({ fake, t } = s);
});
afterAll(async () => { await s?.close(); });

const nowSeconds = () => s.nowSeconds();
const deliver = (payload: string, signature?: string, contentType?: string) => s.deliver({ payload, signature }, contentType);
const stored = async (id: string) => t.services.db.select().from(stripeWebhookEvents).where(eq(stripeWebhookEvents.eventId, id));

describe('PAYMENT_PROVIDER=stripe: the API takes Stripe PaymentMethod ids', () => {
  it('a Company is set up with a PaymentMethod id; the contact stores only id, brand, last 4 and expiry, under its own Customer', async () => {
    const owner = await signUpVerified(t);
    const token = fake.createPaymentMethod({ number: '4242424242424242', expMonth: 11, expYear: 2031 });
    const res = await as(t, owner).post('/api/v1/companies', { name: 'Stripe GmbH', billingContact: contactInput(), paymentMethod: { token } });
    expect(res.statusCode, res.body).toBe(201);
    const [contact] = await t.services.db.select().from(billingContacts).where(eq(billingContacts.companyId, res.json().id));
    expect(contact).toMatchObject({ pmType: 'card', pmBrand: 'visa', pmLast4: '4242', pmExpMonth: 11, pmExpYear: 2031, pmReference: token });
    expect(fake.paymentMethods.get(token)!.customer).toMatch(/^cus_/);
  });

  it('a declined card is 402 payment_declined and nothing is stored', async () => {
    const owner = await signUpVerified(t);
    const token = fake.createPaymentMethod({ number: '4000000000000002', expMonth: 11, expYear: 2031 });
    const res = await as(t, owner).post('/api/v1/companies', { name: 'Declined GmbH', billingContact: contactInput(), paymentMethod: { token } });
    expect(res.statusCode).toBe(402);
    expect(res.json().code).toBe('payment_declined');
    expect((await as(t, owner).get('/api/v1/companies')).json().items).toEqual([]);
  });

  it('the sandbox tokenisation endpoint is not there', async () => {
    const res = await as(t, null).post('/api/v1/payment-sandbox/tokens', { number: '4242424242424242', expMonth: 1, expYear: 2030, cvc: '123' });
    expect(res.statusCode).toBe(404);
  });
});

describe('POST /api/v1/webhooks/stripe', () => {
  it('accepts a correctly signed event once; the second delivery of the same event changes nothing', async () => {
    const event = fake.signedEvent('customer.created', { id: 'cus_x1', object: 'customer' }, { timestamp: nowSeconds() });
    const first = await deliver(event.payload, event.signature);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ received: true, outcome: 'ignored' });
    expect(await stored(event.id)).toHaveLength(1);

    const again = await deliver(event.payload, event.signature);
    expect(again.statusCode).toBe(200);
    expect(again.json().outcome).toBe('duplicate');
    expect(await stored(event.id)).toHaveLength(1);
  });

  it('the same event delivered twice at once is recorded once', async () => {
    const event = fake.signedEvent('customer.updated', { id: 'cus_x2', object: 'customer' }, { timestamp: nowSeconds() });
    const results = await Promise.all([deliver(event.payload, event.signature), deliver(event.payload, event.signature)]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(results.map((r) => r.json().outcome).sort()).toEqual(['duplicate', 'ignored']);
    expect(await stored(event.id)).toHaveLength(1);
  });

  it('a bad signature, another secret, a missing header, a re-serialised body and an old timestamp are 400 and change nothing', async () => {
    const base = fake.signedEvent('customer.created', { id: 'cus_x3', object: 'customer' }, { timestamp: nowSeconds() });
    const otherSecret = fake.signedEvent('customer.created', { id: 'cus_x3', object: 'customer' }, { id: base.id, timestamp: nowSeconds(), secret: 'whsec_someoneElseSecret0000' });
    const old = fake.signedEvent('customer.created', { id: 'cus_x3', object: 'customer' }, { id: base.id, timestamp: nowSeconds() - 301 });
    const tampered = base.signature.replace(/v1=([0-9a-f])/, (_m, c: string) => `v1=${c === '0' ? '1' : '0'}`);
    const reserialised = JSON.stringify(JSON.parse(base.payload), null, 2);
    for (const [payload, signature] of [
      [base.payload, tampered], [otherSecret.payload, otherSecret.signature], [base.payload, undefined],
      [reserialised, base.signature], [old.payload, old.signature],
    ] as const) {
      const res = await deliver(payload, signature);
      expect(res.statusCode, `${signature}`).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
    expect(await stored(base.id)).toHaveLength(0);
    // Within the 5 minutes it is accepted.
    const recent = fake.signedEvent('customer.created', { id: 'cus_x3', object: 'customer' }, { id: base.id, timestamp: nowSeconds() - 299 });
    expect((await deliver(recent.payload, recent.signature)).statusCode).toBe(200);
    expect(await stored(base.id)).toHaveLength(1);
  });

  it('does not need a session or an Origin, and refuses a body that is not JSON with a problem, not a 500', async () => {
    const res = await deliver('not json', 'v1=x,t=1', 'text/plain');
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });
});
