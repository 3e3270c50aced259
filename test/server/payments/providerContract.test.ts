import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/server/db/client.js';
import type { PaymentProvider } from '../../../src/server/modules/payments/provider.js';
import { SandboxPaymentProvider } from '../../../src/server/modules/payments/sandbox.js';
import { StripePaymentProvider } from '../../../src/server/modules/payments/stripe.js';
import { TestClock } from '../../../src/server/shared/clock.js';
import { AppError } from '../../../src/server/shared/errors.js';
import { FAKE_PUBLISHABLE_KEY, FAKE_SECRET_KEY, FAKE_WEBHOOK_SECRET, SEPA_IBAN, StripeFake } from '../../harness/stripeFake.js';
import { freshDatabase } from '../../harness/testDb.js';

/**
 * One provider contract (SPEC 4.11: "the sandbox behaves the same way through the same
 * interface"), run against the sandbox and against Stripe (its HTTP API faked locally, the
 * real `stripe` client). Test cards are API.md's.
 */
interface Subject {
  provider: PaymentProvider;
  /** What the browser does: the provider's tokenisation of a card. */
  token(number: string): Promise<string>;
}

const CARD = { ok: '4242424242424242', declined: '4000000000000002', insufficient: '4000000000009995' };

let database: Database;
let fake: StripeFake;
const clock = new TestClock();
const expYear = clock.now().getUTCFullYear() + 2;

beforeAll(async () => {
  database = await freshDatabase();
  fake = await StripeFake.start();
});
afterAll(async () => {
  await fake.close();
  await database.close();
});

const subjects: [string, () => Subject][] = [
  ['sandbox', () => {
    const provider = new SandboxPaymentProvider(database.db, clock);
    return { provider, token: async (number) => (await provider.tokenize({ number, expMonth: 12, expYear, cvc: '123' })).token };
  }],
  ['stripe (local fake)', () => {
    const url = new URL(fake.url);
    const provider = new StripePaymentProvider({
      secretKey: FAKE_SECRET_KEY, publishableKey: FAKE_PUBLISHABLE_KEY, webhookSecret: FAKE_WEBHOOK_SECRET,
      apiBase: { host: url.hostname, port: Number(url.port), protocol: 'http' },
    });
    return { provider, token: async (number) => fake.createPaymentMethod({ number, expMonth: 12, expYear }) };
  }],
];

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

let keys = 0;
const key = () => `contract:${++keys}:${Math.random().toString(36).slice(2)}`;

describe.each(subjects)('payment provider contract: %s', (_name, make) => {
  let s: Subject;
  beforeAll(() => { s = make(); });

  it('authorises a good card and returns only type, brand, last 4, expiry and a reference', async () => {
    const pm = await s.provider.authorize(await s.token(CARD.ok), key());
    expect(pm).toEqual({ type: 'card', brand: 'visa', last4: '4242', expMonth: 12, expYear, reference: expect.stringMatching(/^pm_/) });
  });

  it('describe tells what a token stands for without using it, and authorising it afterwards still works', async () => {
    const token = await s.token(CARD.ok);
    const described = await s.provider.describe(token);
    expect(described).toMatchObject({ type: 'card', last4: '4242', expMonth: 12, expYear });
    const pm = await s.provider.authorize(token, key());
    expect(pm.reference).toBe(described.reference);
  });

  it('a retry with the same key returns the same payment method', async () => {
    const token = await s.token(CARD.ok);
    const k = key();
    const first = await s.provider.authorize(token, k);
    const again = await s.provider.authorize(token, k);
    expect(again).toEqual(first);
  });

  it('a token already used under another key is refused (validation_failed on paymentMethod.token)', async () => {
    const token = await s.token(CARD.ok);
    await s.provider.authorize(token, key());
    const err = await refusal(s.provider.authorize(token, key()));
    expect(err.code).toBe('validation_failed');
    expect(err.errors?.[0]?.path).toBe('paymentMethod.token');
  });

  it('an unknown token is refused by describe and authorize (validation_failed)', async () => {
    for (const token of ['pm_doesnotexist123', 'tok_sandbox_doesnotexist']) {
      expect((await refusal(s.provider.describe(token))).code).toBe('validation_failed');
      expect((await refusal(s.provider.authorize(token, key()))).code).toBe('validation_failed');
    }
  });

  it('a declined card and one with insufficient funds are payment_declined, with a sentence for the card holder', async () => {
    const declined = await refusal(s.provider.authorize(await s.token(CARD.declined), key()));
    expect(declined.code).toBe('payment_declined');
    expect(declined.message).toMatch(/declined/);
    const poor = await refusal(s.provider.authorize(await s.token(CARD.insufficient), key()));
    expect(poor.code).toBe('payment_declined');
    expect(poor.message).toMatch(/insufficient funds/);
  });
});

describe.each(subjects)('payment provider contract, charges and refunds: %s', (_name, make) => {
  let s: Subject;
  beforeAll(() => { s = make(); });
  const stored = async (number: string) => (await s.provider.authorize(await s.token(number), key())).reference;
  const charge = (paymentMethod: string, idempotencyKey = key()) => s.provider.charge({ idempotencyKey, amountCents: 1900, currency: 'EUR', paymentMethod, description: 'Invoice INV-2026-000001' });

  it('charges a good card; the same key gives the first answer again and charges nothing twice', async () => {
    const pm = await stored(CARD.ok);
    const k = key();
    const first = await charge(pm, k);
    expect(first).toEqual({ state: 'paid', reference: expect.any(String) });
    expect(await charge(pm, k)).toEqual(first);
    // Another key is another charge.
    const other = await charge(pm);
    expect(other.state).toBe('paid');
    expect(other.reference).not.toBe(first.reference);
  });

  it('a card that attaches but is declined on charge (4000000000000341) is declined, with a sentence', async () => {
    const result = await charge(await stored('4000000000000341'));
    expect(result).toMatchObject({ state: 'declined', message: expect.stringMatching(/declined/) });
  });

  it('a card that needs the card holder (4000002500003155) is action_required, nothing charged', async () => {
    const pm = await stored('4000002500003155');
    const k = key();
    const result = await charge(pm, k);
    expect(result).toMatchObject({ state: 'action_required', message: expect.stringMatching(/3-D Secure/) });
    expect(await charge(pm, k)).toEqual(result);
  });

  it('refunds a paid charge, idempotently per key', async () => {
    const paid = await charge(await stored(CARD.ok));
    const k = key();
    const refund = await s.provider.refund({ idempotencyKey: k, chargeReference: paid.reference, amountCents: 1900, currency: 'EUR' });
    expect(refund).toEqual({ state: 'refunded', reference: expect.any(String) });
    expect(await s.provider.refund({ idempotencyKey: k, chargeReference: paid.reference, amountCents: 1900, currency: 'EUR' })).toEqual(refund);
  });
});

describe('stripe provider specifics (against the fake)', () => {
  let provider: StripePaymentProvider;
  beforeAll(() => {
    const url = new URL(fake.url);
    provider = new StripePaymentProvider({
      secretKey: FAKE_SECRET_KEY, publishableKey: FAKE_PUBLISHABLE_KEY, webhookSecret: FAKE_WEBHOOK_SECRET,
      apiBase: { host: url.hostname, port: Number(url.port), protocol: 'http' },
    });
  });

  it('creates one Customer per billing contact: a retry reuses it, a card change attaches to the same Customer', async () => {
    const before = fake.customers.size;
    const k = key();
    const token = fake.createPaymentMethod({ number: CARD.ok, expMonth: 1, expYear });
    const first = await provider.authorize(token, k);
    await provider.authorize(token, k);
    expect(fake.customers.size).toBe(before + 1);
    const customer = fake.paymentMethods.get(first.reference)!.customer;
    expect(customer).toMatch(/^cus_/);

    const changed = await provider.authorize(fake.createPaymentMethod({ number: '5555555555554444', expMonth: 3, expYear }), key(), { replacing: first.reference });
    expect(changed).toMatchObject({ brand: 'mastercard', last4: '4444', expMonth: 3 });
    expect(fake.paymentMethods.get(changed.reference)!.customer).toBe(customer);
    expect(fake.customers.size).toBe(before + 1);
  });

  it('every write carries an Idempotency-Key derived from the caller\'s key', async () => {
    const k = key();
    fake.requests.length = 0;
    await provider.authorize(fake.createPaymentMethod(), k);
    const writes = fake.requests.filter((r) => r.method === 'POST');
    expect(writes.map((w) => w.path)).toEqual(['/v1/customers', expect.stringMatching(/^\/v1\/payment_methods\/pm_.+\/attach$/), '/v1/setup_intents']);
    for (const w of writes) expect(w.idempotencyKey).toContain(k);
  });

  it('a detached PaymentMethod cannot be authorised again', async () => {
    const token = fake.createPaymentMethod();
    fake.detach(token);
    const err = await refusal(provider.authorize(token, key()));
    expect(err.code).toBe('validation_failed');
  });

  it('charges are off-session PaymentIntents on the contact\'s Customer with the attempt key as Idempotency-Key; refunds stop at the amount charged', async () => {
    const pm = await provider.authorize(fake.createPaymentMethod(), key());
    const k = `inv_${Math.random().toString(36).slice(2)}:charge:1`;
    fake.requests.length = 0;
    const paid = await provider.charge({ idempotencyKey: k, amountCents: 2380, currency: 'USD', paymentMethod: pm.reference, description: 'Invoice INV-2026-000002' });
    const intent = fake.paymentIntents.get(paid.reference)!;
    expect(intent).toMatchObject({ amount: 2380, currency: 'usd', status: 'succeeded', customer: fake.paymentMethods.get(pm.reference)!.customer });
    expect(fake.requests.find((r) => r.path === '/v1/payment_intents')?.idempotencyKey).toBe(`dashboard:charge:${k}`);
    await provider.refund({ idempotencyKey: key(), chargeReference: paid.reference, amountCents: 2000, currency: 'USD' });
    await expect(provider.refund({ idempotencyKey: key(), chargeReference: paid.reference, amountCents: 1000, currency: 'USD' })).rejects.toThrow(/greater than unrefunded/);
    expect(fake.paymentIntents.get(paid.reference)!.amount_refunded).toBe(2000);
  });

  it('SEPA Direct Debit: the mandate from the browser\'s SetupIntent gives sepa_debit with the IBAN\'s last 4; a debit is pending (processing), the same key the same answer', async () => {
    const k = key();
    const { clientSecret } = await provider.createSetupIntent(k);
    const { paymentMethod } = fake.confirmSetup(clientSecret, { iban: SEPA_IBAN.succeeds });
    const pm = await provider.authorize(paymentMethod, k);
    expect(pm).toEqual({ type: 'sepa_debit', brand: null, last4: '3000', expMonth: null, expYear: null, reference: paymentMethod });
    const attempt = `inv_${Math.random().toString(36).slice(2)}:charge:1`;
    const pending = await provider.charge({ idempotencyKey: attempt, amountCents: 1900, currency: 'EUR', paymentMethod: pm.reference, description: 'Invoice INV-2026-000003' });
    expect(pending).toEqual({ state: 'pending', reference: expect.stringMatching(/^pi_/) });
    expect(fake.paymentIntents.get(pending.reference)!.status).toBe('processing');
    expect(await provider.charge({ idempotencyKey: attempt, amountCents: 1900, currency: 'EUR', paymentMethod: pm.reference, description: 'Invoice INV-2026-000003' })).toEqual(pending);
    // Without the mandate (not set up in the browser) an IBAN is refused before Stripe is asked to confirm anything.
    const bare = fake.createSepaDebit();
    expect((await refusal(provider.authorize(bare, key()))).errors?.[0]?.path).toBe('paymentMethod.token');
  });

  it('a token that does not look like a PaymentMethod id never reaches Stripe', async () => {
    fake.requests.length = 0;
    expect((await refusal(provider.describe('../v1/customers'))).code).toBe('validation_failed');
    expect(fake.requests).toHaveLength(0);
  });
});
