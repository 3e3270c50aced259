import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apps, invoicePayments, invoices, sessions } from '../../../src/server/db/schema.js';
import { runPayments } from '../../../src/server/jobs/chargeInvoices.js';
import { mailIssuedInvoices } from '../../../src/server/jobs/invoiceMail.js';
import { runMonth } from '../../../src/server/modules/billing/monthlyRun.js';
import { suspendOverdue } from '../../../src/server/modules/billing/suspension.js';
import { atTime } from '../../harness/billing.js';
import { bookApp, contactInput, createTrial, type CompanyFixture } from '../../harness/factories.js';
import { inviteClient, signUpClient } from '../../harness/handover.js';
import { SEPA_IBAN, startStripeTestApp, type StripeFake, type StripeTestApp } from '../../harness/stripeFake.js';
import { as, mailsTo, ORIGIN, signUpVerified, uniqueEmail, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * SEPA Direct Debit with PAYMENT_PROVIDER=stripe (issue 15, ADR 0096): the Payment Element sets
 * up the mandate through the same SetupIntent; the billing contact keeps a `sepa_debit` method
 * with the IBAN's last 4. A debit's PaymentIntent stays `processing` for days: the invoice is
 * `payment_pending` — not paid, not unpaid — until `payment_intent.succeeded` (paid, receipt) or
 * `payment_intent.payment_failed` (payment failed, dunning as for cards, the pending days not counted).
 */
let s: StripeTestApp;
let fake: StripeFake;
let t: TestApp;
let owner: SignedIn;
const companies: Record<'settles' | 'fails' | 'fromSuspended', CompanyFixture> = {} as never;
const DAY = 86_400_000;

/** What the browser does: the setup-intent, then Stripe.js confirms it with the IBAN and the accepted mandate. */
async function debitFromBrowser(body: unknown, iban: string = SEPA_IBAN.succeeds): Promise<string> {
  const res = await as(t, owner).post('/api/v1/payments/setup-intent', body);
  expect(res.statusCode, res.body).toBe(200);
  return fake.confirmSetup(res.json().clientSecret, { iban }).paymentMethod;
}

async function company(name: string, token: string): Promise<CompanyFixture> {
  const res = await as(t, owner).post('/api/v1/companies', { name, billingContact: contactInput({ name: `${name} GmbH`, invoiceEmail: `billing@${name.toLowerCase()}.example` }), paymentMethod: { token } });
  expect(res.statusCode, res.body).toBe(201);
  const contacts = await as(t, owner).get(`/api/v1/companies/${res.json().id}/billing-contacts`);
  return { id: res.json().id, name, contactId: contacts.json().items[0].id };
}

const invoiceOf = async (c: CompanyFixture) => (await t.services.db.select().from(invoices).where(eq(invoices.companyId, c.id))).find((i) => i.kind === 'invoice')!;
const paymentsOf = async (invoiceId: string) => t.services.db.select().from(invoicePayments).where(eq(invoicePayments.invoiceId, invoiceId)).orderBy(invoicePayments.id);
const intentOf = (invoiceId: string) => [...fake.paymentIntents.values()].filter((pi) => String((pi.metadata as Record<string, string>).dashboard_key).startsWith(`${invoiceId}:`)).at(-1)!;
const appStatus = async (c: CompanyFixture) => (await t.services.db.select({ status: apps.status }).from(apps).where(eq(apps.billingContactId, c.contactId))).map((a) => a.status);
const buyerOf = (i: { buyer: unknown }) => (i.buyer as { invoiceEmail: string }).invoiceEmail;
const chargesAtStripe = (invoiceId: string) => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents' && r.idempotencyKey?.includes(invoiceId)).length;
const activity = async (c: CompanyFixture) => (await as(t, owner).get(`/api/v1/companies/${c.id}/activity`)).json().items.map((e: { action: string }) => e.action) as string[];

beforeAll(async () => {
  s = await startStripeTestApp();
  ({ fake, t } = s);
  owner = await signUpVerified(t);
  await atTime(t, '2026-11-10T09:00:00Z', async () => {
    companies.settles = await company('Settles', await debitFromBrowser({ purpose: 'company' }));
    companies.fails = await company('Fails', await debitFromBrowser({ purpose: 'company' }, SEPA_IBAN.fails));
    const card = fake.createPaymentMethod({ number: '4000000000000341', expMonth: 11, expYear: 2031 });
    companies.fromSuspended = await company('Suspended', card);
    for (const c of Object.values(companies)) await bookApp(t, owner, c);
  });
  await atTime(t, '2026-12-01T00:10:00Z', async () => {
    await runMonth(t.services, '2026-11');
    await mailIssuedInvoices(t.services);
  });
}, 60_000);
afterAll(async () => { await s?.close(); });

describe('a SEPA mandate as payment method', () => {
  it('is stored as sepa_debit with the IBAN\'s last 4 only (no brand, no expiry), shown so to owners', async () => {
    const res = await as(t, owner).get(`/api/v1/companies/${companies.settles.id}/billing-contacts`);
    expect(res.json().items[0].paymentMethod).toEqual({ type: 'sepa_debit', last4: '3000' });
    expect(res.body).not.toContain('DE89');
  });

  it('an IBAN without the mandate of a browser SetupIntent is refused on paymentMethod.token, before anything is stored', async () => {
    const res = await as(t, owner).post('/api/v1/companies', { name: 'No Mandate', billingContact: contactInput(), paymentMethod: { token: fake.createSepaDebit() } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'paymentMethod.token', message: expect.stringMatching(/mandate/) }] });
  });
});

describe('a debit in progress: payment_pending', () => {
  it('the run\'s debit confirms to processing: the invoice is payment_pending, no receipt, no retry, no "Pay now", no suspension however long it takes', async () => {
    const c = companies.settles;
    await atTime(t, '2026-12-01T00:20:00Z', () => runPayments(t.services));
    const invoice = await invoiceOf(c);
    expect(invoice.state).toBe('payment_pending');
    expect(invoice.nextChargeAt).toBeNull();
    expect(intentOf(invoice.id).status).toBe('processing');
    expect((await paymentsOf(invoice.id)).map((p) => p.state)).toEqual(['pending']);
    expect(await mailsTo(t.services.db, buyerOf(invoice), 'invoice-receipt')).toHaveLength(0);
    expect(await mailsTo(t.services.db, buyerOf(invoice), 'invoice-payment-failed')).toHaveLength(0);
    expect(await activity(c)).toContain('invoice.payment_pending');

    const listed = await as(t, owner).get(`/api/v1/companies/${c.id}/invoices`);
    expect(listed.json().items.find((i: { id: string }) => i.id === invoice.id).state).toBe('payment_pending');
    const pay = await as(t, owner).post(`/api/v1/companies/${c.id}/invoices/${invoice.id}/pay`);
    expect(pay.statusCode).toBe(409);
    expect(pay.json()).toMatchObject({ code: 'invoice_not_payable', detail: expect.stringMatching(/direct debit/) });

    // Retry days (3, 7) and the suspension day (14) pass while the bank works: nothing is charged again, nothing suspended.
    expect(chargesAtStripe(invoice.id)).toBe(1);
    for (const at of ['2026-12-04T01:00:00Z', '2026-12-08T01:00:00Z', '2026-12-16T01:00:00Z']) await atTime(t, at, () => runPayments(t.services));
    expect(chargesAtStripe(invoice.id)).toBe(1);
    expect(await appStatus(c)).toEqual(['active']);
    expect((await invoiceOf(c)).state).toBe('payment_pending');
  });

  it('payment_intent.succeeded settles it: paid, one receipt, however often the event comes', async () => {
    const c = companies.settles;
    const invoice = await invoiceOf(c);
    const intent = intentOf(invoice.id);
    // A delivery while Stripe still says processing changes nothing.
    await atTime(t, '2026-12-03T10:00:00Z', () => s.send('payment_intent.succeeded', { id: intent.id, object: 'payment_intent', status: 'succeeded' }));
    expect((await invoiceOf(c)).state).toBe('payment_pending');

    fake.settleDebit(intent.id);
    const event = fake.signedEvent('payment_intent.succeeded', { id: intent.id, object: 'payment_intent' }, { timestamp: s.nowSeconds() });
    expect((await s.deliver(event)).json().outcome).toBe('processed');
    expect((await s.deliver(event)).json().outcome).toBe('duplicate');
    await s.send('payment_intent.succeeded', { id: intent.id, object: 'payment_intent' });
    const paid = await invoiceOf(c);
    expect(paid.state).toBe('paid');
    expect((await paymentsOf(invoice.id)).map((p) => [p.state, p.idempotencyKey.endsWith(':completed')])).toEqual([['pending', false], ['paid', true]]);
    expect(await mailsTo(t.services.db, buyerOf(paid), 'invoice-receipt')).toHaveLength(1);
  });
});

describe('a debit the bank refuses', () => {
  it('payment_intent.payment_failed fails the invoice once, with the run\'s mails; the days it was pending do not count for retries and suspension', async () => {
    const c = companies.fails;
    await atTime(t, '2026-12-01T00:20:00Z', () => runPayments(t.services));
    const invoice = await invoiceOf(c);
    expect(invoice.state).toBe('payment_pending');
    const intent = intentOf(invoice.id);

    // The bank answers five days later.
    fake.settleDebit(intent.id);
    const event = await atTime(t, '2026-12-06T00:20:00Z', async () => {
      const e = fake.signedEvent('payment_intent.payment_failed', { id: intent.id, object: 'payment_intent' }, { timestamp: s.nowSeconds() });
      await s.deliver(e);
      await s.deliver(e);
      return e;
    });
    expect(event.id).toMatch(/^evt_/);
    const failed = await invoiceOf(c);
    expect(failed.state).toBe('payment_failed');
    // The dunning clock starts 5 days late: the next try 3 days after that, suspension after 14.
    const dunningFrom = new Date(invoice.issuedAt.getTime() + 5 * DAY);
    expect(failed.dunningFrom).toEqual(dunningFrom);
    expect(failed.nextChargeAt).toEqual(new Date(dunningFrom.getTime() + 3 * DAY));
    expect((await paymentsOf(invoice.id)).map((p) => [p.state, p.idempotencyKey.endsWith(':failed')])).toEqual([['pending', false], ['declined', true]]);
    const [mail, ...more] = await mailsTo(t.services.db, buyerOf(failed), 'invoice-payment-failed');
    expect(more).toHaveLength(0);
    expect(mail.textBody).toContain('direct debit');
    expect(mail.textBody).toContain('20 December 2026');
    expect(await mailsTo(t.services.db, owner.email, 'invoice-payment-failed')).not.toHaveLength(0);

    // The suspension clock: 15 days after the invoice it is not suspended (10 unpaid days); 19 days after, it is.
    await atTime(t, '2026-12-16T01:00:00Z', () => suspendOverdue(t.services));
    expect(await appStatus(c)).toEqual(['active']);
    await atTime(t, '2026-12-20T01:00:00Z', () => suspendOverdue(t.services));
    expect(await appStatus(c)).toEqual(['suspended']);
  });
});

describe('a debit started for an invoice whose Apps are suspended', () => {
  it('runs the Apps again while it is pending; when it fails, the suspension comes back', async () => {
    const c = companies.fromSuspended;
    for (const at of ['2026-12-01T00:20:00Z', '2026-12-04T01:00:00Z', '2026-12-08T01:00:00Z', '2026-12-15T01:00:00Z']) await atTime(t, at, () => runPayments(t.services));
    expect((await invoiceOf(c)).state).toBe('payment_failed');
    expect(await appStatus(c)).toEqual(['suspended']);

    // The owner switches the contact to SEPA Direct Debit and presses "Pay now".
    const invoice = await invoiceOf(c);
    const pay = await atTime(t, '2026-12-15T09:00:00Z', async () => {
      await t.services.db.update(sessions).set({ reauthenticatedAt: t.clock.now() }).where(eq(sessions.userId, owner.id));
      const token = await debitFromBrowser({ purpose: 'card-change', companyId: c.id, contactId: c.contactId }, SEPA_IBAN.fails);
      const changed = await as(t, owner).patch(`/api/v1/companies/${c.id}/billing-contacts/${c.contactId}`, { paymentMethod: { token } });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json().paymentMethod).toEqual({ type: 'sepa_debit', last4: '3001' });
      return as(t, owner).post(`/api/v1/companies/${c.id}/invoices/${invoice.id}/pay`);
    });
    expect(pay.statusCode, pay.body).toBe(200);
    expect(pay.json().state).toBe('payment_pending');
    expect(await appStatus(c)).toEqual(['active']);

    // Three days later the bank refuses: 14 + 3 pending days after the invoice have passed, so the Apps stop again.
    const intent = intentOf(invoice.id);
    fake.settleDebit(intent.id);
    await atTime(t, '2026-12-18T09:00:00Z', async () => {
      await s.send('payment_intent.payment_failed', { id: intent.id, object: 'payment_intent' });
      expect((await invoiceOf(c)).state).toBe('payment_failed');
      expect((await invoiceOf(c)).suspendedAt).toBeNull();
      await runPayments(t.services);
    });
    expect(await appStatus(c)).toEqual(['suspended']);
    expect((await invoiceOf(c)).suspendedAt).not.toBeNull();
  });
});

describe('a client who pays by SEPA Direct Debit in the handover', () => {
  it('the confirmation mail and the summary name the mandate with the masked IBAN, not a card', async () => {
    const dev = await signUpVerified(t, { firstName: 'Dana', lastName: 'Developer' });
    const app = await createTrial(t, dev);
    const email = uniqueEmail('client');
    const { token } = await inviteClient(t, dev, app, email);
    const client = await signUpClient(t, token, email);
    const setup = await t.app.inject({ method: 'POST', url: '/api/v1/payments/setup-intent', headers: { origin: ORIGIN, cookie: client.cookie }, payload: { purpose: 'handover', token } });
    expect(setup.statusCode, setup.body).toBe(200);
    const pm = fake.confirmSetup(setup.json().clientSecret, { iban: SEPA_IBAN.succeeds }).paymentMethod;
    const res = await as(t, client).post('/api/v1/invitations/accept', { token, company: { name: 'Debit Bakery' }, billingContact: contactInput({ invoiceEmail: email }), paymentMethod: { token: pm }, consent: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().summary.card).toEqual({ brand: null, last4: '3000' });
    const [mail] = await mailsTo(t.services.db, email, 'handover-confirmation');
    expect(mail.textBody).toContain('Payment: SEPA Direct Debit, IBAN ending in 3000.');
    expect(mail.textBody).not.toContain('Card:');
  });
});

describe('a SEPA mandate removed at Stripe', () => {
  it('mails the owners for a new payment method, naming the IBAN, not a card', async () => {
    const other = await signUpVerified(t);
    const setup = await as(t, other).post('/api/v1/payments/setup-intent', { purpose: 'company' });
    expect(setup.statusCode, setup.body).toBe(200);
    const pm = fake.confirmSetup(setup.json().clientSecret, { iban: SEPA_IBAN.succeeds }).paymentMethod;
    const res = await as(t, other).post('/api/v1/companies', { name: 'Mandate Gone', billingContact: contactInput({ name: 'Mandate Gone GmbH' }), paymentMethod: { token: pm } });
    expect(res.statusCode, res.body).toBe(201);
    fake.detach(pm);
    const event = fake.signedEvent('payment_method.detached', { ...fake.paymentMethods.get(pm), _number: undefined, customer: null }, { timestamp: s.nowSeconds() });
    expect((await s.deliver(event)).json().outcome).toBe('processed');
    const [mail, ...more] = await mailsTo(t.services.db, other.email, 'card-update-needed');
    expect(more).toHaveLength(0);
    expect(mail.subject).toBe('Please add a new payment method for Mandate Gone GmbH');
    expect(mail.textBody).toContain('The SEPA Direct Debit mandate for the IBAN ending in 3000');
    expect(mail.textBody).toContain('Change the payment method');
    expect(mail.textBody).not.toMatch(/\bcard ending\b/);
  });
});
