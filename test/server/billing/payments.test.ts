import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apps, invoicePayments, invoices, sandboxCharges } from '../../../src/server/db/schema.js';
import { runPayments } from '../../../src/server/jobs/chargeInvoices.js';
import { mailIssuedInvoices } from '../../../src/server/jobs/invoiceMail.js';
import { creditInvoice } from '../../../src/server/modules/billing/creditNote.js';
import { runMonth } from '../../../src/server/modules/billing/monthlyRun.js';
import type { PaymentProvider } from '../../../src/server/modules/payments/provider.js';
import { as, createTestApp, mailsTo, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { addMember, bookApp, cardToken, contactInput, type CompanyFixture } from '../../harness/factories.js';
import { atTime } from '../../harness/billing.js';
import { startStripeTestApp } from '../../harness/stripeFake.js';

/**
 * Issue 12, stage 4: charges after commit, idempotent per attempt; declines, 3-D Secure, retries, suspension, Pay now, refunds.
 * Issue 15 ("every billing path passes against the Stripe fake as it does against the sandbox"):
 * the same paths run on each provider — the sandbox, and Stripe through the real client and the
 * local fake of its API (test/harness/stripeFake.ts), with the same test cards.
 */
const CARD = { ok: '4242424242424242', chargeDeclined: '4000000000000341', threeDSecure: '4000002500003155' };

/** A test server on one provider, and what that provider's own side says was charged and refunded. */
interface ProviderWorld {
  t: TestApp;
  /** What the browser does: the provider's tokenisation of a card. */
  token(number: string): Promise<string>;
  /** The charges the provider made for an invoice (one per idempotency key, replays not counted). */
  charges(invoiceId: string): Promise<unknown[]>;
  /** The refunds the provider made: idempotency key and amount. */
  refunds(): Promise<{ key: string; amountCents: number }[]>;
  close(): Promise<void>;
}

const worlds: [string, () => Promise<ProviderWorld>][] = [
  ['sandbox', async () => {
    const t = await createTestApp();
    return {
      t, token: (number) => cardToken(t, number),
      charges: async (invoiceId) => (await t.services.db.select().from(sandboxCharges)).filter((c) => c.idempotencyKey.startsWith(`${invoiceId}:`)),
      refunds: async () => (await t.services.db.select().from(sandboxCharges)).filter((c) => c.kind === 'refund').map((c) => ({ key: c.idempotencyKey, amountCents: c.amountCents })),
      close: () => t.close(),
    };
  }],
  ['stripe (local fake)', async () => {
    const s = await startStripeTestApp();
    const { fake, t } = s;
    return {
      t, token: async (number) => fake.createPaymentMethod({ number, expMonth: 12, expYear: t.clock.now().getUTCFullYear() + 2 }),
      charges: async (invoiceId) => [...fake.paymentIntents.values()].filter((pi) => String((pi.metadata as Record<string, string>).dashboard_key).startsWith(`${invoiceId}:`)),
      refunds: async () => {
        const keys = [...new Set(fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds').map((r) => r.idempotencyKey!.replace(/^dashboard:refund:/, '')))];
        const amounts = [...fake.refunds.values()].map((r) => Number(r.amount));
        return keys.map((key, i) => ({ key, amountCents: amounts[i] }));
      },
      close: () => s.close(),
    };
  }],
];

describe.each(worlds)('billing paths on the %s provider', (_name, start) => {
  let world: ProviderWorld;
  let t: TestApp;
  let owner: SignedIn; let admin: SignedIn; let accountant: SignedIn; let outsider: SignedIn;
  let paying: CompanyFixture; let failing: CompanyFixture; let confirming: CompanyFixture; let crashing: CompanyFixture;
  let failingApp: string;

  async function companyWithCard(name: string, card: string): Promise<CompanyFixture> {
    const res = await as(t, owner).post('/api/v1/companies', {
      name, billingContact: contactInput({ name: `${name} GmbH`, invoiceEmail: `billing@${name.toLowerCase()}.example` }), paymentMethod: { token: await world.token(card) },
    });
    expect(res.statusCode).toBe(201);
    const contacts = await as(t, owner).get(`/api/v1/companies/${res.json().id}/billing-contacts`);
    return { id: res.json().id, name, contactId: contacts.json().items[0].id };
  }

  const invoiceOf = async (c: CompanyFixture) => (await t.services.db.select().from(invoices).where(eq(invoices.companyId, c.id))).find((i) => i.kind === 'invoice')!;
  const chargesOf = (invoiceId: string) => world.charges(invoiceId);
  const pay = (who: SignedIn | null, c: CompanyFixture, id: string) => as(t, who).post(`/api/v1/companies/${c.id}/invoices/${id}/pay`);

  beforeAll(async () => {
    world = await start();
    t = world.t;
    [owner, admin, accountant, outsider] = await Promise.all([1, 2, 3, 4].map(() => signUpVerified(t)));
    await atTime(t, '2026-11-10T09:00:00Z', async () => {
      paying = await companyWithCard('Paying', CARD.ok);
      failing = await companyWithCard('Failing', CARD.chargeDeclined);
      confirming = await companyWithCard('Confirming', CARD.threeDSecure);
      crashing = await companyWithCard('Crashing', CARD.ok);
      for (const c of [paying, confirming, crashing]) await bookApp(t, owner, c);
      failingApp = await bookApp(t, owner, failing);
      await addMember(t, failing.id, admin, 'admin');
      await addMember(t, failing.id, accountant, 'accountant');
    });
    await atTime(t, '2026-12-01T00:10:00Z', async () => {
      await runMonth(t.services, '2026-11');
      await mailIssuedInvoices(t.services);
    });
  });
  afterAll(async () => { await world?.close(); });

  describe('charging invoices (issue 12)', () => {
    it('survives a crash between the charge and the commit of its result: the retry charges nothing twice', async () => {
      const invoice = await invoiceOf(crashing);
      // The worker "dies" right after the provider charged: the result is never committed.
      const dying: PaymentProvider = Object.assign(Object.create(Object.getPrototypeOf(t.services.payments)), t.services.payments, {
        charge: async (request: Parameters<PaymentProvider['charge']>[0]) => {
          const result = await t.services.payments.charge(request);
          if (request.description.includes(invoice.number)) throw new Error('worker killed after the charge');
          return result;
        },
      });
      await atTime(t, '2026-12-01T00:11:00Z', async () => {
        await expect(runPayments({ ...t.services, payments: dying })).rejects.toThrow(/worker killed/);
      });
      expect(await chargesOf(invoice.id)).toHaveLength(1);
      expect((await invoiceOf(crashing)).state).toBe('open');
      expect(await t.services.db.select().from(invoicePayments).where(eq(invoicePayments.invoiceId, invoice.id))).toEqual([]);
      // Within the lease nobody touches it; after it, the next worker retries with the same key.
      await atTime(t, '2026-12-01T00:12:00Z', () => runPayments(t.services));
      expect((await invoiceOf(crashing)).state).toBe('open');
      await atTime(t, '2026-12-01T00:17:00Z', () => runPayments(t.services));
      expect((await invoiceOf(crashing)).state).toBe('paid');
      expect(await chargesOf(invoice.id)).toHaveLength(1);
      expect(await t.services.db.select().from(invoicePayments).where(eq(invoicePayments.invoiceId, invoice.id))).toHaveLength(1);
    });

    it('charges once after the invoice: paid sends a receipt; declined and 3-D Secure mail the invoice e-mail and the owners', async () => {
      await atTime(t, '2026-12-01T00:18:00Z', async () => {
        await runPayments(t.services);
        await runPayments(t.services);
      });
      const paid = await invoiceOf(paying);
      expect(paid.state).toBe('paid');
      expect(await chargesOf(paid.id)).toHaveLength(1);
      expect(await mailsTo(t.services.db, 'billing@paying.example', 'invoice-receipt')).toHaveLength(1);
      const failed = await invoiceOf(failing);
      expect(failed).toMatchObject({ state: 'payment_failed', nextChargeAt: new Date('2026-12-04T00:10:00Z') });
      const failMail = (await mailsTo(t.services.db, 'billing@failing.example', 'invoice-payment-failed'))[0];
      expect(failMail.subject).toBe(`Payment failed for invoice ${failed.number} (€13.33)`);
      expect(failMail.textBody).toContain(`http://dashboard.test/companies/${failing.id}?tab=billing`);
      expect(await mailsTo(t.services.db, owner.email, 'invoice-payment-failed')).toHaveLength(1);
      expect((await invoiceOf(confirming)).state).toBe('action_required');
      expect(await mailsTo(t.services.db, 'billing@confirming.example', 'invoice-action-required')).toHaveLength(1);
    });

    it('retries after 3 and 7 days, then stops; suspends the Apps 14 days after the invoice, and says why to owners and admins', async () => {
      const invoice = await invoiceOf(failing);
      await atTime(t, '2026-12-04T00:11:00Z', () => runPayments(t.services));
      expect((await invoiceOf(failing)).nextChargeAt).toEqual(new Date('2026-12-08T00:10:00Z'));
      await atTime(t, '2026-12-08T00:11:00Z', () => runPayments(t.services));
      expect((await invoiceOf(failing)).nextChargeAt).toBeNull();
      await atTime(t, '2026-12-12T00:11:00Z', () => runPayments(t.services));
      expect(await chargesOf(invoice.id)).toHaveLength(3);
      await atTime(t, '2026-12-15T00:09:00Z', () => runPayments(t.services));
      expect((await t.services.db.select().from(apps).where(eq(apps.name, failingApp)))[0].status).toBe('active');
      const { suspended } = await atTime(t, '2026-12-15T00:11:00Z', () => runPayments(t.services));
      expect(suspended).toBe(2); // the failing contact's App, and the App of the one that never confirmed 3-D Secure
      const row = (await t.services.db.select().from(apps).where(eq(apps.name, failingApp)))[0];
      expect(row.status).toBe('suspended');
      for (const who of [owner, admin]) {
        const view = (await as(t, who).get(`/api/v1/apps/${failingApp}`)).json();
        expect(view).toMatchObject({ status: 'suspended', suspension: { reason: 'unpaid_invoice', invoiceNumber: invoice.number } });
      }
      const detail = (await as(t, owner).get(`/api/v1/companies/${failing.id}/invoices/${invoice.id}`)).json();
      expect(detail.payments.map((p: { state: string }) => p.state)).toEqual(['declined', 'declined', 'declined']);
    });

    it('"Pay now": owners only; the old card is declined (402), a new card pays, and the Apps are active again at once', async () => {
      const invoice = await invoiceOf(failing);
      for (const who of [admin, accountant]) expect((await pay(who, failing, invoice.id)).json().code).toBe('forbidden');
      expect((await pay(outsider, failing, invoice.id)).statusCode).toBe(404);
      expect((await pay(null, failing, invoice.id)).statusCode).toBe(401);
      expect((await pay(owner, failing, 'inv_nope')).statusCode).toBe(404);
      const declined = await pay(owner, failing, invoice.id);
      expect(declined.statusCode).toBe(402);
      expect(declined.json().code).toBe('payment_declined');
      const changed = await as(t, owner).patch(`/api/v1/companies/${failing.id}/billing-contacts/${failing.contactId}`, { paymentMethod: { token: await world.token(CARD.ok) } });
      expect(changed.statusCode).toBe(200);
      const res = await pay(owner, failing, invoice.id);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ state: 'paid' });
      expect(res.json().payments.map((p: { state: string }) => p.state)).toEqual(['declined', 'declined', 'declined', 'declined', 'paid']);
      expect((await t.services.db.select().from(apps).where(eq(apps.name, failingApp)))[0].status).toBe('active');
      expect((await as(t, owner).get(`/api/v1/apps/${failingApp}`)).json().suspension).toBeUndefined();
      const again = await pay(owner, failing, invoice.id);
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('invoice_not_payable');
      expect(await chargesOf(invoice.id)).toHaveLength(5);
    });

    it('refunds a credited paid invoice once through the provider', async () => {
      const invoice = await invoiceOf(paying);
      const { creditNote, refundDue } = await atTime(t, '2026-12-17T10:00:00Z', () => creditInvoice(t.services, invoice.number, 'Goodwill'));
      expect(refundDue).toBe(true);
      const voided = await pay(owner, paying, invoice.id);
      expect(voided.json().code).toBe('invoice_not_payable');
      await atTime(t, '2026-12-17T10:01:00Z', async () => { await runPayments(t.services); await runPayments(t.services); });
      expect(await world.refunds()).toEqual([{ key: `${creditNote.id}:refund`, amountCents: 1333 }]);
      const credit = (await as(t, owner).get(`/api/v1/companies/${paying.id}/invoices/${creditNote.id}`)).json();
      expect(credit.payments).toEqual([expect.objectContaining({ state: 'refunded', amount: { amount: 1333, currency: 'EUR' } })]);
    });

    it('writes a billing activity event for every payment step', async () => {
      const rows = await t.services.db.execute(sql`SELECT DISTINCT action FROM activity_events WHERE category = 'billing'`);
      const actions = (rows.rows as { action: string }[]).map((r) => r.action);
      for (const a of ['invoice.issued', 'invoice.paid', 'invoice.payment_failed', 'invoice.action_required', 'apps.suspended', 'apps.reactivated', 'invoice.credited', 'invoice.refunded']) {
        expect(actions).toContain(a);
      }
    });
  });
});
