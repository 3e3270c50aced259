import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingContacts, invoicePayments, invoices } from '../../../src/server/db/schema.js';
import { runPayments } from '../../../src/server/jobs/chargeInvoices.js';
import { mailIssuedInvoices } from '../../../src/server/jobs/invoiceMail.js';
import { creditInvoice } from '../../../src/server/modules/billing/creditNote.js';
import { runMonth } from '../../../src/server/modules/billing/monthlyRun.js';
import { atTime } from '../../harness/billing.js';
import { bookApp, contactInput, type CompanyFixture } from '../../harness/factories.js';
import { startStripeTestApp, type StripeFake, type StripeTestApp } from '../../harness/stripeFake.js';
import { as, mailsTo, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * SPEC 4.8 / 4.11 with PAYMENT_PROVIDER=stripe: the invoice webhooks — payment_intent.succeeded,
 * payment_intent.payment_failed, setup_intent.succeeded, charge.refunded — each acts once, on
 * the object as Stripe says it is now, and does what the run's own answer would have done.
 */
const CARD = { ok: '4242424242424242', threeDSecure: '4000002500003155', chargeDeclined: '4000000000000341' };
let s: StripeTestApp;
let fake: StripeFake;
let t: TestApp;
let owner: SignedIn;
const companies: Record<'confirming' | 'abandoning' | 'paying' | 'refunding' | 'early', CompanyFixture> = {} as never;

async function companyWithCard(name: string, card: string): Promise<CompanyFixture> {
  const token = fake.createPaymentMethod({ number: card, expMonth: 11, expYear: 2031 });
  const res = await as(t, owner).post('/api/v1/companies', { name, billingContact: contactInput({ name: `${name} GmbH`, invoiceEmail: `billing@${name.toLowerCase()}.example` }), paymentMethod: { token } });
  expect(res.statusCode, res.body).toBe(201);
  const contacts = await as(t, owner).get(`/api/v1/companies/${res.json().id}/billing-contacts`);
  return { id: res.json().id, name, contactId: contacts.json().items[0].id };
}

const invoiceOf = async (c: CompanyFixture) => (await t.services.db.select().from(invoices).where(eq(invoices.companyId, c.id))).find((i) => i.kind === 'invoice')!;
const paymentsOf = async (invoiceId: string) => t.services.db.select().from(invoicePayments).where(eq(invoicePayments.invoiceId, invoiceId)).orderBy(invoicePayments.id);
const intentOf = (invoiceId: string) => [...fake.paymentIntents.values()].find((pi) => String((pi.metadata as Record<string, string>).dashboard_key).startsWith(`${invoiceId}:`))!;
const activity = async (c: CompanyFixture) => (await as(t, owner).get(`/api/v1/companies/${c.id}/activity`)).json().items.map((e: { action: string }) => e.action) as string[];
const at = <T>(fn: () => Promise<T>) => atTime(t, '2026-12-01T00:20:00Z', fn);

beforeAll(async () => {
  s = await startStripeTestApp();
  ({ fake, t } = s);
  owner = await signUpVerified(t);
  await atTime(t, '2026-11-10T09:00:00Z', async () => {
    companies.confirming = await companyWithCard('Confirming', CARD.threeDSecure);
    companies.abandoning = await companyWithCard('Abandoning', CARD.threeDSecure);
    companies.paying = await companyWithCard('Paying', CARD.ok);
    companies.refunding = await companyWithCard('Refunding', CARD.ok);
    companies.early = await companyWithCard('Early', CARD.chargeDeclined);
    for (const c of Object.values(companies)) await bookApp(t, owner, c);
  });
  await atTime(t, '2026-12-01T00:10:00Z', async () => {
    await runMonth(t.services, '2026-11');
    await mailIssuedInvoices(t.services);
  });
  // The "early" invoice is charged by its test alone.
  await t.services.db.update(invoices).set({ nextChargeAt: null }).where(eq(invoices.companyId, companies.early.id));
}, 60_000);
afterAll(async () => { await s?.close(); });

describe('payment_intent.succeeded', () => {
  it('a 3-D Secure payment the card holder completed later pays the invoice once: receipt, activity, however often the event comes', async () => {
    const c = companies.confirming;
    await at(() => runPayments(t.services));
    const invoice = await invoiceOf(c);
    expect(invoice.state).toBe('action_required');
    const intent = intentOf(invoice.id);

    // A delivery from before the completion (Stripe still says requires_payment_method) changes nothing.
    const early = await at(() => s.send('payment_intent.succeeded', { id: intent.id, object: 'payment_intent', status: 'succeeded' }));
    expect(early.json().outcome).toBe('processed');
    expect((await invoiceOf(c)).state).toBe('action_required');

    fake.completePayment(intent.id);
    const event = fake.signedEvent('payment_intent.succeeded', { id: intent.id, object: 'payment_intent' }, { timestamp: s.nowSeconds() });
    expect((await at(() => s.deliver(event))).json().outcome).toBe('processed');
    expect((await at(() => s.deliver(event))).json().outcome).toBe('duplicate');
    // Another event id for the same payment (Stripe retries with new ids are rare, but harmless): still one payment.
    await at(() => s.send('payment_intent.succeeded', { id: intent.id, object: 'payment_intent' }));

    const paid = await invoiceOf(c);
    expect(paid.state).toBe('paid');
    const rows = await paymentsOf(invoice.id);
    expect(rows.map((r) => [r.state, r.idempotencyKey.endsWith(':completed')])).toEqual([['action_required', false], ['paid', true]]);
    expect(rows[1].providerReference).toBe(intent.id);
    const buyer = (paid.buyer as { invoiceEmail: string }).invoiceEmail;
    expect(await mailsTo(t.services.db, buyer, 'invoice-receipt')).toHaveLength(1);
    expect((await activity(c)).filter((a) => a === 'invoice.paid')).toHaveLength(1);
  });

  it('the event of a charge the run recorded as paid already changes nothing', async () => {
    const c = companies.paying;
    await at(() => runPayments(t.services));
    const invoice = await invoiceOf(c);
    expect(invoice.state).toBe('paid');
    await at(() => s.send('payment_intent.succeeded', { id: intentOf(invoice.id).id, object: 'payment_intent' }));
    expect(await paymentsOf(invoice.id)).toHaveLength(1);
    const buyer = (invoice.buyer as { invoiceEmail: string }).invoiceEmail;
    expect(await mailsTo(t.services.db, buyer, 'invoice-receipt')).toHaveLength(1);
  });
});

describe('payment_intent.payment_failed', () => {
  it('a failure that arrives before the charging request records it fails the invoice as the run would, once; the request then finds it recorded', async () => {
    const c = companies.early;
    const invoice = await invoiceOf(c);
    // The charge happens at Stripe, its webhook arrives, and only then the run records its answer.
    const outcome = await t.services.payments.charge({ idempotencyKey: `${invoice.id}:charge:1`, amountCents: invoice.totalCents, currency: 'EUR', paymentMethod: (await t.services.db.select().from(billingContacts).where(eq(billingContacts.id, c.contactId)))[0].pmReference, description: `Invoice ${invoice.number}` });
    expect(outcome.state).toBe('declined');
    const intent = intentOf(invoice.id);
    const event = fake.signedEvent('payment_intent.payment_failed', { id: intent.id, object: 'payment_intent' }, { timestamp: s.nowSeconds() });
    await at(() => s.deliver(event));
    await at(() => s.deliver(event));
    const failed = await invoiceOf(c);
    expect(failed.state).toBe('payment_failed');
    expect(failed.nextChargeAt).toEqual(new Date(failed.issuedAt.getTime() + 3 * 86_400_000));
    expect(await paymentsOf(invoice.id)).toHaveLength(1);
    const buyer = (failed.buyer as { invoiceEmail: string }).invoiceEmail;
    expect(await mailsTo(t.services.db, buyer, 'invoice-payment-failed')).toHaveLength(1);
    expect(await mailsTo(t.services.db, owner.email, 'invoice-payment-failed')).not.toHaveLength(0);

    // The run's own attempt 1, retried after its lease: Stripe replays the answer, the row exists, nothing doubles.
    await t.services.db.update(invoices).set({ chargeAttempts: 1, nextChargeAt: new Date('2026-12-01T00:00:00Z') }).where(eq(invoices.id, invoice.id));
    await at(() => runPayments(t.services));
    const rows = await paymentsOf(invoice.id);
    expect(rows.filter((r) => r.attempt === 1)).toHaveLength(1);
    expect(await mailsTo(t.services.db, buyer, 'invoice-payment-failed')).toHaveLength(rows.length);
  });

  it('a failed 3-D Secure on the completion page (recorded as action_required already) changes nothing more', async () => {
    const c = companies.abandoning;
    await at(() => runPayments(t.services));
    const invoice = await invoiceOf(c);
    expect(invoice.state).toBe('action_required');
    const before = await paymentsOf(invoice.id);
    const buyer = (invoice.buyer as { invoiceEmail: string }).invoiceEmail;
    const mails = (await mailsTo(t.services.db, buyer)).length;
    fake.failPayment(intentOf(invoice.id).id);
    expect((await at(() => s.send('payment_intent.payment_failed', { id: intentOf(invoice.id).id, object: 'payment_intent' }))).json().outcome).toBe('processed');
    expect(await paymentsOf(invoice.id)).toEqual(before);
    expect((await invoiceOf(c)).state).toBe('action_required');
    expect(await mailsTo(t.services.db, buyer)).toHaveLength(mails);
  });
});

describe('setup_intent.succeeded', () => {
  it('refreshes brand, last 4 and expiry of the contacts paying with its PaymentMethod; an unknown one changes nothing', async () => {
    const c = companies.paying;
    const [contact] = await t.services.db.select().from(billingContacts).where(eq(billingContacts.id, c.contactId));
    const pm = fake.paymentMethods.get(contact.pmReference)!;
    pm.card!.exp_year = 2033; // the bank sent a new expiry date (Stripe's card updater)
    const customer = pm.customer!;
    const setup = [...fake.setupIntents.values()].find((si) => si.payment_method === pm.id && si.customer === customer)!;
    expect((await s.send('setup_intent.succeeded', { id: setup.id, object: 'setup_intent' })).json().outcome).toBe('processed');
    const [after] = await t.services.db.select().from(billingContacts).where(eq(billingContacts.id, c.contactId));
    expect(after).toMatchObject({ pmBrand: 'visa', pmLast4: '4242', pmExpMonth: 11, pmExpYear: 2033, pmReference: pm.id });
    expect((await s.send('setup_intent.succeeded', { id: 'seti_unknown', object: 'setup_intent' })).statusCode).toBe(200);
  });
});

describe('charge.refunded', () => {
  it('a refund through a credit note is known already; money refunded at Stripe beyond it is written to the activity log, once per event', async () => {
    const c = companies.refunding;
    await at(() => runPayments(t.services));
    const invoice = await invoiceOf(c);
    expect(invoice.state).toBe('paid');
    const intent = intentOf(invoice.id);
    const charge = intent.latest_charge!;
    await at(() => creditInvoice(t.services, invoice.number!, 'Wrong plan'));
    await at(() => runPayments(t.services));
    expect(fake.charges.get(charge)!.amount_refunded).toBe(invoice.totalCents);
    const event = fake.signedEvent('charge.refunded', { id: charge, object: 'charge' }, { timestamp: s.nowSeconds() });
    await at(() => s.deliver(event));
    expect(await activity(c)).not.toContain('invoice.refunded_at_provider');
    expect(await activity(c)).toContain('invoice.refunded');
  });

  it('a refund made in the Stripe dashboard is noticed without touching the invoice', async () => {
    const c = companies.paying;
    const invoice = await invoiceOf(c);
    const charge = intentOf(invoice.id).latest_charge!;
    fake.refundOutside(charge, 500);
    const event = fake.signedEvent('charge.refunded', { id: charge, object: 'charge' }, { timestamp: s.nowSeconds() });
    await at(() => s.deliver(event));
    await at(() => s.deliver(event));
    const items = (await as(t, owner).get(`/api/v1/companies/${c.id}/activity`)).json().items as { action: string; details: Record<string, unknown> }[];
    const noticed = items.filter((e) => e.action === 'invoice.refunded_at_provider');
    expect(noticed).toHaveLength(1);
    expect(noticed[0].details).toMatchObject({ number: invoice.number, withoutCreditNote: { amount: 500, currency: 'EUR' } });
    expect((await invoiceOf(c)).state).toBe('paid');
  });
});

describe('GET /api/v1/companies/{id}/invoices/{invoiceId}/payment-confirmation', () => {
  it('gives the owner the PaymentIntent to confirm with Stripe.js; nothing for a paid invoice; nothing for others', async () => {
    const c = companies.abandoning;
    const invoice = await invoiceOf(c);
    expect(invoice.state).toBe('action_required');
    const intent = intentOf(invoice.id);
    // The mail about it links to the completion page.
    const [mail] = await mailsTo(t.services.db, (invoice.buyer as { invoiceEmail: string }).invoiceEmail, 'invoice-action-required');
    expect(mail.textBody).toContain(`http://dashboard.test/companies/${c.id}/invoices/${invoice.id}/confirm`);
    const res = await as(t, owner).get(`/api/v1/companies/${c.id}/invoices/${invoice.id}/payment-confirmation`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ provider: 'stripe', state: 'action_required', clientSecret: intent.client_secret, paymentMethod: intent.payment_method, intentStatus: 'requires_payment_method' });
    expect(res.headers['cache-control']).toContain('no-store');

    const paid = await invoiceOf(companies.paying);
    expect((await as(t, owner).get(`/api/v1/companies/${companies.paying.id}/invoices/${paid.id}/payment-confirmation`)).json().code).toBe('invoice_not_payable');
    expect((await as(t, owner).get(`/api/v1/companies/${c.id}/invoices/${paid.id}/payment-confirmation`)).statusCode).toBe(404);
    const outsider = await signUpVerified(t);
    expect((await as(t, outsider).get(`/api/v1/companies/${c.id}/invoices/${invoice.id}/payment-confirmation`)).statusCode).toBe(404);

    // The card holder confirms in the browser; the webhook settles the invoice.
    fake.completePayment(intent.id);
    await at(() => s.send('payment_intent.succeeded', { id: intent.id, object: 'payment_intent' }));
    expect((await invoiceOf(c)).state).toBe('paid');
  });
});
