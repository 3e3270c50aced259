import { and, asc, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityEvents, apps, billingContacts, invoicePayments, invoices, sandboxCharges } from '../../../src/server/db/schema.js';
import {
  CHARGE_LEASE_MS, chargeInvoice, dunningStart, idempotencyKey, nextRetry, RETRY_DAYS, recordChargeIn, refundCredit,
} from '../../../src/server/modules/billing/chargeInvoice.js';
import { creditInvoice } from '../../../src/server/modules/billing/creditNote.js';
import { issueMonthlyInvoice } from '../../../src/server/modules/billing/issueInvoice.js';
import { suspendOverdue } from '../../../src/server/modules/billing/suspension.js';
import type { ChargeOutcome, PaymentProvider } from '../../../src/server/modules/payments/provider.js';
import { AppError } from '../../../src/server/shared/errors.js';
import { inTransaction } from '../../../src/server/shared/transaction.js';
import { atTime } from '../../harness/billing.js';
import { queuedBehind } from '../../harness/locks.js';
import { onPostgres } from '../../harness/testDb.js';
import { addMember, bookApp, cardToken, contactInput, type CompanyFixture } from '../../harness/factories.js';
import { as, createTestApp, mailsTo, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 10 (Stryker on modules/billing/chargeInvoice.ts): the payment rules of SPEC 4.8 and
 * ADR 0039 asked one at a time, each test with its own Company, card and year (Stryker runs only
 * the tests that reach a mutant, so none may need another to have run; billing/payments.test.ts
 * tells the same story in one sequence). No card is charged twice: one attempt, one idempotency
 * key, one result recorded; retries 3 and 7 days after the invoice; a direct debit's pending days
 * do not count as unpaid; a credited paid invoice is refunded once. The provider is the sandbox
 * (its own table), except one test whose provider dies after charging (the edge).
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

const CARD = { ok: '4242424242424242', chargeDeclined: '4000000000000341', threeDSecure: '4000002500003155' };
const DECLINED = 'The card was declined by the bank. Please use another card.';

interface World { owner: SignedIn; co: CompanyFixture; app: string; invoiceEmail: string }
let seq = 0;
async function world(at: string, card = CARD.ok): Promise<World> {
  // Signed up now: the session is checked against the test clock, which the tests move.
  const owner = await signUpVerified(t);
  const invoiceEmail = `billing-${++seq}-${Math.random().toString(36).slice(2, 8)}@charges.example`;
  return atTime(t, at, async () => {
    const res = await as(t, owner).post('/api/v1/companies', {
      name: `Charged ${seq}`, billingContact: contactInput({ invoiceEmail }), paymentMethod: { token: await cardToken(t, card) },
    });
    expect(res.statusCode).toBe(201);
    const contacts = await as(t, owner).get(`/api/v1/companies/${res.json().id}/billing-contacts`);
    const co = { id: res.json().id, name: `Charged ${seq}`, contactId: contacts.json().items[0].id };
    return { owner, co, app: await bookApp(t, owner, co), invoiceEmail };
  });
}
async function issue(w: World, month: string, at: string) {
  const out = await atTime(t, at, () => issueMonthlyInvoice(t.services, w.co.contactId, month));
  if (out.outcome !== 'issued') throw new Error(`not issued: ${out.outcome}`);
  return invoiceRow(out.invoiceId);
}
const invoiceRow = async (id: string) => (await t.services.db.select().from(invoices).where(eq(invoices.id, id)))[0];
const charge = (id: string, at: string, mode: 'scheduled' | 'payNow' = 'scheduled', ctx = t.services) => atTime(t, at, () => chargeInvoice(ctx, id, mode));
const paymentsOf = async (id: string) => t.services.db.select().from(invoicePayments).where(eq(invoicePayments.invoiceId, id)).orderBy(asc(invoicePayments.id));
const providerChargesOf = async (id: string) => t.services.db.select().from(sandboxCharges).where(like(sandboxCharges.idempotencyKey, `${id}:%`));
const eventsOf = async (companyId: string, action: string) => (await t.services.db.select().from(activityEvents)
  .where(and(eq(activityEvents.companyId, companyId), eq(activityEvents.action, action))).orderBy(asc(activityEvents.id)));
const pmOf = async (contactId: string) => (await t.services.db.select().from(billingContacts).where(eq(billingContacts.id, contactId)))[0].pmReference;
const statusOf = async (name: string) => (await t.services.db.select().from(apps).where(eq(apps.name, name)))[0].status;
const record = (id: string, attempt: number, result: ChargeOutcome, at: string, key?: string) =>
  atTime(t, at, () => inTransaction(t.services.db, (tx) => recordChargeIn(tx, t.services, id, attempt, result, 'webhook', key)));
async function refusal(p: Promise<unknown>): Promise<AppError> {
  try { await p; } catch (e) { if (e instanceof AppError) return e; throw e; }
  throw new Error('not refused');
}

describe('the dunning clock (SPEC 4.8: retries 3 and 7 days after the invoice)', () => {
  it('retries at 3 and 7 days, strictly after now, then none; starts at dunning_from when a debit was pending', () => {
    const issued = new Date('2001-01-01T00:10:00Z');
    const day = 86_400_000;
    expect(RETRY_DAYS).toEqual([3, 7]);
    expect(nextRetry(issued, issued)).toEqual(new Date(issued.getTime() + 3 * day));
    expect(nextRetry(issued, new Date(issued.getTime() + 3 * day - 1))).toEqual(new Date(issued.getTime() + 3 * day));
    expect(nextRetry(issued, new Date(issued.getTime() + 3 * day))).toEqual(new Date(issued.getTime() + 7 * day));
    expect(nextRetry(issued, new Date(issued.getTime() + 7 * day - 1))).toEqual(new Date(issued.getTime() + 7 * day));
    expect(nextRetry(issued, new Date(issued.getTime() + 7 * day))).toBeNull();
    const from = new Date('2001-01-05T00:10:00Z');
    expect(dunningStart({ issuedAt: issued, dunningFrom: null })).toEqual(issued);
    expect(dunningStart({ issuedAt: issued, dunningFrom: from })).toEqual(from);
    expect(idempotencyKey('inv_x', 2)).toBe('inv_x:charge:2');
    expect(CHARGE_LEASE_MS).toBe(300_000);
  });
});

describe('charging an invoice (ADR 0039: one attempt, one key, one result)', () => {
  it('charges a due invoice once with the attempt\'s key, the invoice\'s amount and the contact\'s card: paid, one receipt, one event; then nothing is due', async () => {
    const w = await world('2002-01-10T09:00:00Z');
    const inv = await issue(w, '2002-01', '2002-02-01T00:10:00Z');
    expect(await charge(inv.id, '2002-02-01T00:09:59Z')).toEqual({ outcome: 'skipped' });
    // What the provider is asked (recorded at the edge, then handed to the sandbox).
    const requests: Parameters<PaymentProvider['charge']>[0][] = [];
    const recording: PaymentProvider = Object.assign(Object.create(Object.getPrototypeOf(t.services.payments)), t.services.payments, {
      charge: (request: Parameters<PaymentProvider['charge']>[0]) => { requests.push(request); return t.services.payments.charge(request); },
    });
    const out = await charge(inv.id, '2002-02-01T00:30:00Z', 'scheduled', { ...t.services, payments: recording });
    expect(out).toMatchObject({ outcome: 'paid', invoice: { id: inv.id, state: 'paid' } });
    expect(requests).toEqual([{
      idempotencyKey: `${inv.id}:charge:1`, amountCents: inv.totalCents, currency: 'EUR', paymentMethod: await pmOf(w.co.contactId), description: `Invoice ${inv.number}`,
    }]);
    const row = await invoiceRow(inv.id);
    const at = new Date('2002-02-01T00:30:00Z');
    expect(row).toMatchObject({ state: 'paid', paidAt: at, nextChargeAt: null, stateChangedAt: at, chargeAttempts: 1, totalCents: inv.totalCents });
    const key = `${inv.id}:charge:1`;
    expect(await paymentsOf(inv.id)).toEqual([expect.objectContaining({
      kind: 'charge', attempt: 1, idempotencyKey: key, state: 'paid', amountCents: inv.totalCents, currency: 'EUR', message: null, at,
      providerReference: expect.stringMatching(/^ch_sandbox_/),
    })]);
    expect(await providerChargesOf(inv.id)).toEqual([expect.objectContaining({
      idempotencyKey: key, kind: 'charge', amountCents: inv.totalCents, currency: 'EUR', state: 'paid', paymentMethod: await pmOf(w.co.contactId),
    })]);
    expect((await paymentsOf(inv.id))[0].providerReference).toBe((await providerChargesOf(inv.id))[0].reference);
    const events = await eventsOf(w.co.id, 'invoice.paid');
    expect(events.map((e) => ({ at: e.at, actor: e.actorId, category: e.category, details: e.details }))).toEqual([{
      at, actor: null, category: 'billing',
      details: { invoiceId: inv.id, number: inv.number, attempt: 1, amount: { amount: inv.totalCents, currency: 'EUR' }, trigger: 'scheduled' },
    }]);
    const receipts = await mailsTo(t.services.db, w.invoiceEmail, 'invoice-receipt');
    expect(receipts.map((m) => m.subject)).toEqual([`Receipt: €${(inv.totalCents / 100).toFixed(2)} paid for invoice ${inv.number}`]);
    expect(receipts[0].textBody).toContain('1 February 2002');
    expect(receipts[0].textBody).toContain(`http://dashboard.test/companies/${w.co.id}?tab=billing`);
    // Paid: the run finds nothing to do, and "Pay now" says why.
    expect(await charge(inv.id, '2002-02-02T00:00:00Z')).toEqual({ outcome: 'skipped' });
    const again = await refusal(charge(inv.id, '2002-02-02T00:00:00Z', 'payNow'));
    expect(again).toMatchObject({ code: 'invoice_not_payable', detail: `Invoice ${inv.number} is paid already.`, extra: { reason: 'paid' } });
    expect(await providerChargesOf(inv.id)).toHaveLength(1);
    expect(await paymentsOf(inv.id)).toHaveLength(1);
    expect(await mailsTo(t.services.db, w.invoiceEmail, 'invoice-receipt')).toHaveLength(1);
  });

  it('a declined card: payment_failed, mails to the invoice address and the owners, a new attempt at 3 and at 7 days, then none; "Pay now" tries once more without mails', async () => {
    const w = await world('2003-01-10T09:00:00Z', CARD.chargeDeclined);
    const inv = await issue(w, '2003-01', '2003-02-01T00:10:00Z');
    const out = await charge(inv.id, '2003-02-01T00:30:00Z');
    expect(out).toMatchObject({ outcome: 'declined', message: DECLINED, invoice: { state: 'payment_failed' } });
    expect(await invoiceRow(inv.id)).toMatchObject({
      state: 'payment_failed', chargeAttempts: 1, nextChargeAt: new Date('2003-02-04T00:10:00Z'), stateChangedAt: new Date('2003-02-01T00:30:00Z'),
      paidAt: null, dunningFrom: null, suspendedAt: null,
    });
    const failedMails = async () => [
      ...await mailsTo(t.services.db, w.invoiceEmail, 'invoice-payment-failed'), ...await mailsTo(t.services.db, w.owner.email, 'invoice-payment-failed'),
    ];
    const first = await failedMails();
    expect(first).toHaveLength(2);
    for (const m of first) {
      expect(m.subject).toBe(`Payment failed for invoice ${inv.number} (€${(inv.totalCents / 100).toFixed(2)})`);
      expect(m.textBody).toContain(DECLINED);
      expect(m.textBody).toContain('We try again on 4 February 2003.');
      expect(m.textBody).toContain('still unpaid on 15 February 2003');
      expect(m.textBody).toContain(`http://dashboard.test/companies/${w.co.id}?tab=billing`);
    }
    expect(await charge(inv.id, '2003-02-04T00:09:59Z')).toEqual({ outcome: 'skipped' });
    expect(await charge(inv.id, '2003-02-04T00:11:00Z')).toMatchObject({ outcome: 'declined' });
    expect(await invoiceRow(inv.id)).toMatchObject({ chargeAttempts: 2, nextChargeAt: new Date('2003-02-08T00:10:00Z') });
    expect(await charge(inv.id, '2003-02-08T00:11:00Z')).toMatchObject({ outcome: 'declined' });
    expect(await invoiceRow(inv.id)).toMatchObject({ chargeAttempts: 3, nextChargeAt: null, state: 'payment_failed' });
    expect(await charge(inv.id, '2003-02-12T00:00:00Z')).toEqual({ outcome: 'skipped' });
    expect((await paymentsOf(inv.id)).map((p) => [p.attempt, p.idempotencyKey, p.state, p.message])).toEqual([1, 2, 3].map((n) => [n, `${inv.id}:charge:${n}`, 'declined', DECLINED]));
    expect(await providerChargesOf(inv.id)).toHaveLength(3);
    const events = await eventsOf(w.co.id, 'invoice.payment_failed');
    expect(events.map((e) => e.details)).toEqual([
      ['2003-02-04T00:10:00.000Z', 1], ['2003-02-08T00:10:00.000Z', 2], [null, 3],
    ].map(([nextTry, attempt]) => ({ invoiceId: inv.id, number: inv.number, attempt, amount: { amount: inv.totalCents, currency: 'EUR' }, trigger: 'scheduled', nextTry })));
    expect(events.map((e) => [e.category, e.actorId])).toEqual([['billing', null], ['billing', null], ['billing', null]]);
    const last = (await mailsTo(t.services.db, w.invoiceEmail, 'invoice-payment-failed'))[0];
    expect(last.textBody).toContain('To pay, an owner of the Company changes the card');
    expect(await failedMails()).toHaveLength(6);
    // "Pay now": the owner sees the answer on the page, no mail; a fourth attempt with its own key.
    expect(await charge(inv.id, '2003-02-12T09:00:00Z', 'payNow')).toMatchObject({ outcome: 'declined', message: DECLINED });
    expect(await failedMails()).toHaveLength(6);
    expect(await invoiceRow(inv.id)).toMatchObject({ chargeAttempts: 4, nextChargeAt: null });
    expect((await eventsOf(w.co.id, 'invoice.payment_failed')).at(-1)!.details).toMatchObject({ attempt: 4, trigger: 'payNow', nextTry: null });
  });

  it('3-D Secure: action_required, a mail with the confirmation page; "Pay now" after a card change charges the new card once', async () => {
    const w = await world('2004-01-10T09:00:00Z', CARD.threeDSecure);
    const inv = await issue(w, '2004-01', '2004-02-01T00:10:00Z');
    const out = await charge(inv.id, '2004-02-01T00:30:00Z');
    expect(out).toMatchObject({ outcome: 'action_required', message: expect.stringContaining('3-D Secure'), invoice: { state: 'action_required' } });
    expect(await invoiceRow(inv.id)).toMatchObject({ state: 'action_required', nextChargeAt: new Date('2004-02-04T00:10:00Z') });
    expect((await eventsOf(w.co.id, 'invoice.action_required')).map((e) => e.details)).toEqual([{
      invoiceId: inv.id, number: inv.number, attempt: 1, amount: { amount: inv.totalCents, currency: 'EUR' }, trigger: 'scheduled', nextTry: '2004-02-04T00:10:00.000Z',
    }]);
    expect(await eventsOf(w.co.id, 'invoice.payment_failed')).toEqual([]);
    const mails = await mailsTo(t.services.db, w.invoiceEmail, 'invoice-action-required');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(`Please confirm the payment of invoice ${inv.number} (€${(inv.totalCents / 100).toFixed(2)})`);
    expect(mails[0].textBody).toContain(`http://dashboard.test/companies/${w.co.id}/invoices/${inv.id}/confirm`);
    expect(await mailsTo(t.services.db, w.invoiceEmail, 'invoice-payment-failed')).toEqual([]);
    const old = await pmOf(w.co.contactId);
    // At the real time: a card change asks for a recent sign-in, checked against the clock.
    const changed = await as(t, w.owner).patch(`/api/v1/companies/${w.co.id}/billing-contacts/${w.co.contactId}`, { paymentMethod: { token: await cardToken(t, CARD.ok) } });
    expect(changed.statusCode).toBe(200);
    const fresh = await pmOf(w.co.contactId);
    expect(fresh).not.toBe(old);
    expect(await charge(inv.id, '2004-02-02T09:01:00Z', 'payNow')).toMatchObject({ outcome: 'paid' });
    expect((await providerChargesOf(inv.id)).map((c) => [c.idempotencyKey, c.paymentMethod]).sort()).toEqual([[`${inv.id}:charge:1`, old], [`${inv.id}:charge:2`, fresh]]);
    expect((await eventsOf(w.co.id, 'invoice.paid')).map((e) => e.details)).toEqual([expect.objectContaining({ attempt: 2, trigger: 'payNow' })]);
  });

  it('a worker that dies after the provider charged: the attempt is leased for 5 minutes, then claimed again with the same key, and nothing is charged twice', async () => {
    const w = await world('2005-01-10T09:00:00Z');
    const inv = await issue(w, '2005-01', '2005-02-01T00:10:00Z');
    const dying: PaymentProvider = Object.assign(Object.create(Object.getPrototypeOf(t.services.payments)), t.services.payments, {
      charge: async (request: Parameters<PaymentProvider['charge']>[0]) => {
        await t.services.payments.charge(request);
        throw new Error('worker killed after the charge');
      },
    });
    await expect(charge(inv.id, '2005-02-01T00:20:00Z', 'scheduled', { ...t.services, payments: dying })).rejects.toThrow(/worker killed/);
    expect(await invoiceRow(inv.id)).toMatchObject({ state: 'open', chargeAttempts: 1, nextChargeAt: new Date('2005-02-01T00:25:00Z') });
    expect(await paymentsOf(inv.id)).toEqual([]);
    expect(await charge(inv.id, '2005-02-01T00:24:59Z')).toEqual({ outcome: 'skipped' });
    expect(await charge(inv.id, '2005-02-01T00:25:00Z')).toMatchObject({ outcome: 'paid' });
    expect(await providerChargesOf(inv.id)).toEqual([expect.objectContaining({ idempotencyKey: `${inv.id}:charge:1` })]);
    expect(await paymentsOf(inv.id)).toEqual([expect.objectContaining({ attempt: 1, idempotencyKey: `${inv.id}:charge:1`, state: 'paid' })]);
    expect(await invoiceRow(inv.id)).toMatchObject({ chargeAttempts: 1, state: 'paid' });
  });

  it('only invoices are charged: a credit note, a voided invoice and an unknown id are skipped by the run and refused or skipped by "Pay now"', async () => {
    const w = await world('2006-01-10T09:00:00Z');
    const inv = await issue(w, '2006-01', '2006-02-01T00:10:00Z');
    const { creditNote } = await atTime(t, '2006-02-01T00:20:00Z', () => creditInvoice(t.services, inv.number, 'Wrong plan'));
    expect(await charge(inv.id, '2006-02-01T00:30:00Z')).toEqual({ outcome: 'skipped' });
    expect(await charge(creditNote.id, '2006-02-01T00:30:00Z')).toEqual({ outcome: 'skipped' });
    const voided = await refusal(charge(inv.id, '2006-02-01T00:30:00Z', 'payNow'));
    expect(voided).toMatchObject({ code: 'invoice_not_payable', detail: `${inv.number} cannot be paid (void).` });
    expect(voided.extra).toBeUndefined();
    const credit = await refusal(charge(creditNote.id, '2006-02-01T00:30:00Z', 'payNow'));
    expect(credit).toMatchObject({ code: 'invoice_not_payable', detail: `${creditNote.number} cannot be paid (a credit note).` });
    expect(credit.extra).toBeUndefined();
    expect(await charge('inv_unknown', '2006-02-01T00:30:00Z', 'payNow')).toEqual({ outcome: 'skipped' });
    expect(await providerChargesOf(inv.id)).toEqual([]);
    expect(await invoiceRow(inv.id)).toMatchObject({ chargeAttempts: 0, state: 'void' });
  });
});

describe('recording a result (the charging request or the provider\'s webhook, whichever comes first)', () => {
  it('a key is recorded once: the same result again is recorded_before and changes nothing', async () => {
    const w = await world('2007-01-10T09:00:00Z');
    const inv = await issue(w, '2007-01', '2007-02-01T00:10:00Z');
    const first = await record(inv.id, 1, { state: 'declined', reference: 'ch_x', message: 'No.' }, '2007-02-01T00:20:00Z');
    expect(first).toMatchObject({ outcome: 'declined', message: 'No.', invoice: { state: 'payment_failed' } });
    const again = await record(inv.id, 1, { state: 'paid', reference: 'ch_y' }, '2007-02-01T00:21:00Z');
    expect(again).toMatchObject({ outcome: 'recorded_before', invoice: { state: 'payment_failed' } });
    expect(await paymentsOf(inv.id)).toEqual([expect.objectContaining({ idempotencyKey: `${inv.id}:charge:1`, state: 'declined', providerReference: 'ch_x', message: 'No.' })]);
    expect(await invoiceRow(inv.id)).toMatchObject({ state: 'payment_failed', paidAt: null });
    expect(await eventsOf(w.co.id, 'invoice.paid')).toEqual([]);
    // A key of the webhook's own (a payment completed later) is another result.
    const completed = await record(inv.id, 1, { state: 'paid', reference: 'ch_z' }, '2007-02-01T00:22:00Z', `${inv.id}:charge:1:completed`);
    expect(completed).toMatchObject({ outcome: 'paid', invoice: { state: 'paid' } });
    expect((await paymentsOf(inv.id)).map((p) => p.idempotencyKey)).toEqual([`${inv.id}:charge:1`, `${inv.id}:charge:1:completed`]);
    expect((await eventsOf(w.co.id, 'invoice.paid'))[0].details).toMatchObject({ attempt: 1, trigger: 'webhook' });
  });

  it('paid after the invoice was credited: it stays void, and its credit note is due for the refund at once, which is made once', async () => {
    const w = await world('2008-01-10T09:00:00Z');
    const inv = await issue(w, '2008-01', '2008-02-01T00:10:00Z');
    const { creditNote, refundDue } = await atTime(t, '2008-02-01T00:20:00Z', () => creditInvoice(t.services, inv.number, 'Wrong plan'));
    expect(refundDue).toBe(false);
    expect(await atTime(t, '2008-02-01T00:21:00Z', () => refundCredit(t.services, creditNote.id))).toBe(false);
    // A refund due without a paid charge (a defence: every path that makes it due has one) is dropped.
    await t.services.db.update(invoices).set({ nextChargeAt: new Date('2008-02-01T00:21:00Z') }).where(eq(invoices.id, creditNote.id));
    expect(await atTime(t, '2008-02-01T00:21:00Z', () => refundCredit(t.services, creditNote.id))).toBe(false);
    expect(await invoiceRow(creditNote.id)).toMatchObject({ nextChargeAt: null });
    // The charge ran while the invoice was credited; its answer arrives now.
    const out = await record(inv.id, 1, { state: 'paid', reference: 'ch_late' }, '2008-02-01T00:30:00Z');
    const at = new Date('2008-02-01T00:30:00Z');
    expect(out).toMatchObject({ outcome: 'paid', invoice: { id: inv.id, state: 'void', paidAt: at, nextChargeAt: null } });
    expect(await invoiceRow(inv.id)).toMatchObject({ state: 'void', paidAt: at, nextChargeAt: null });
    expect(await invoiceRow(creditNote.id)).toMatchObject({ nextChargeAt: at, state: 'issued' });
    expect((await eventsOf(w.co.id, 'invoice.paid')).map((e) => e.details)).toEqual([{
      invoiceId: inv.id, number: inv.number, attempt: 1, amount: { amount: inv.totalCents, currency: 'EUR' }, trigger: 'webhook', void: true,
    }]);
    expect(await mailsTo(t.services.db, w.invoiceEmail, 'invoice-receipt')).toEqual([]);
    // The refund: not before it is due; then once, of the amount paid, with the credit note's key.
    expect(await atTime(t, '2008-02-01T00:29:59Z', () => refundCredit(t.services, creditNote.id))).toBe(false);
    // The sandbox refunds a charge it made: the late charge is the provider's own row.
    expect(await atTime(t, '2008-02-01T00:31:00Z', () => refundCredit(t.services, creditNote.id))).toBe(true);
    const refunds = await providerChargesOf(creditNote.id);
    expect(refunds).toEqual([expect.objectContaining({ idempotencyKey: `${creditNote.id}:refund`, kind: 'refund', amountCents: inv.totalCents, currency: 'EUR', paymentMethod: 'ch_late' })]);
    expect(await paymentsOf(creditNote.id)).toEqual([expect.objectContaining({
      kind: 'refund', attempt: 1, idempotencyKey: `${creditNote.id}:refund`, state: 'refunded', amountCents: inv.totalCents, currency: 'EUR',
      providerReference: refunds[0].reference, at: new Date('2008-02-01T00:31:00Z'),
    })]);
    expect(await invoiceRow(creditNote.id)).toMatchObject({ nextChargeAt: null });
    expect((await eventsOf(w.co.id, 'invoice.refunded')).map((e) => ({ at: e.at, actor: e.actorId, category: e.category, details: e.details }))).toEqual([{
      at: new Date('2008-02-01T00:31:00Z'), actor: null, category: 'billing',
      details: { creditNoteId: creditNote.id, number: creditNote.number, amount: { amount: inv.totalCents, currency: 'EUR' } },
    }]);
    expect(await atTime(t, '2008-02-02T00:00:00Z', () => refundCredit(t.services, creditNote.id))).toBe(false);
    expect(await providerChargesOf(creditNote.id)).toHaveLength(1);
  });

  it('a refund whose result was not recorded (a crash) is made again with the same key and recorded once', async () => {
    const w = await world('2009-01-10T09:00:00Z');
    const inv = await issue(w, '2009-01', '2009-02-01T00:10:00Z');
    expect(await charge(inv.id, '2009-02-01T00:20:00Z')).toMatchObject({ outcome: 'paid' });
    const { creditNote, refundDue } = await atTime(t, '2009-02-02T00:00:00Z', () => creditInvoice(t.services, inv.number, 'Goodwill'));
    expect(refundDue).toBe(true);
    const dying: PaymentProvider = Object.assign(Object.create(Object.getPrototypeOf(t.services.payments)), t.services.payments, {
      refund: async (request: Parameters<PaymentProvider['refund']>[0]) => {
        await t.services.payments.refund(request);
        throw new Error('worker killed after the refund');
      },
    });
    await expect(atTime(t, '2009-02-02T00:01:00Z', () => refundCredit({ ...t.services, payments: dying }, creditNote.id))).rejects.toThrow(/killed/);
    expect(await invoiceRow(creditNote.id)).toMatchObject({ nextChargeAt: new Date('2009-02-02T00:06:00Z') });
    expect(await atTime(t, '2009-02-02T00:05:59Z', () => refundCredit(t.services, creditNote.id))).toBe(false);
    expect(await atTime(t, '2009-02-02T00:06:00Z', () => refundCredit(t.services, creditNote.id))).toBe(true);
    expect(await providerChargesOf(creditNote.id)).toHaveLength(1);
    expect(await paymentsOf(creditNote.id)).toHaveLength(1);
    expect(await eventsOf(w.co.id, 'invoice.refunded')).toHaveLength(1);
  });

  it('a refund whose worker stalled past its lease is made by the next worker; the stalled one then records nothing twice', async () => {
    const w = await world('2015-01-10T09:00:00Z');
    const inv = await issue(w, '2015-01', '2015-02-01T00:10:00Z');
    expect(await charge(inv.id, '2015-02-01T00:20:00Z')).toMatchObject({ outcome: 'paid' });
    const { creditNote } = await atTime(t, '2015-02-02T00:00:00Z', () => creditInvoice(t.services, inv.number, 'Goodwill'));
    // The first worker's provider call takes longer than the lease: meanwhile the next worker claims, refunds and records.
    const stalling: PaymentProvider = Object.assign(Object.create(Object.getPrototypeOf(t.services.payments)), t.services.payments, {
      refund: async (request: Parameters<PaymentProvider['refund']>[0]) => {
        const result = await t.services.payments.refund(request);
        expect(await atTime(t, '2015-02-02T00:06:00Z', () => refundCredit(t.services, creditNote.id))).toBe(true);
        return result;
      },
    });
    expect(await atTime(t, '2015-02-02T00:01:00Z', () => refundCredit({ ...t.services, payments: stalling }, creditNote.id))).toBe(true);
    expect(await providerChargesOf(creditNote.id)).toHaveLength(1);
    expect(await paymentsOf(creditNote.id)).toHaveLength(1);
    expect(await eventsOf(w.co.id, 'invoice.refunded')).toHaveLength(1);
    expect(await invoiceRow(creditNote.id)).toMatchObject({ nextChargeAt: null });
  });

  it('paid again by another attempt (3-D Secure completed after "Pay now"): recorded, the invoice and its receipt stay as they were', async () => {
    const w = await world('2010-01-10T09:00:00Z');
    const inv = await issue(w, '2010-01', '2010-02-01T00:10:00Z');
    expect(await charge(inv.id, '2010-02-01T00:20:00Z')).toMatchObject({ outcome: 'paid' });
    const out = await record(inv.id, 1, { state: 'paid', reference: 'ch_other' }, '2010-02-01T00:40:00Z', `${inv.id}:charge:1:completed`);
    expect(out).toMatchObject({ outcome: 'paid', invoice: { state: 'paid', paidAt: new Date('2010-02-01T00:20:00Z') } });
    expect(await invoiceRow(inv.id)).toMatchObject({ state: 'paid', paidAt: new Date('2010-02-01T00:20:00Z'), stateChangedAt: new Date('2010-02-01T00:20:00Z') });
    expect((await eventsOf(w.co.id, 'invoice.paid')).map((e) => e.details)).toEqual([
      expect.not.objectContaining({ again: true }),
      { invoiceId: inv.id, number: inv.number, attempt: 1, amount: { amount: inv.totalCents, currency: 'EUR' }, trigger: 'webhook', again: true },
    ]);
    expect(await mailsTo(t.services.db, w.invoiceEmail, 'invoice-receipt')).toHaveLength(1);
    // Late answers of other kinds change a paid or voided invoice no more.
    expect(await record(inv.id, 2, { state: 'pending', reference: 'ch_p' }, '2010-02-01T00:41:00Z')).toMatchObject({ outcome: 'pending', invoice: { state: 'paid' } });
    expect(await record(inv.id, 3, { state: 'declined', reference: 'ch_d', message: 'No.' }, '2010-02-01T00:42:00Z')).toMatchObject({ outcome: 'declined', message: 'No.', invoice: { state: 'paid' } });
    expect(await record(inv.id, 4, { state: 'action_required', reference: 'ch_a', message: 'Confirm.' }, '2010-02-01T00:43:00Z')).toMatchObject({ outcome: 'action_required', invoice: { state: 'paid' } });
    expect(await invoiceRow(inv.id)).toMatchObject({ state: 'paid', nextChargeAt: null, stateChangedAt: new Date('2010-02-01T00:20:00Z') });
    expect(await eventsOf(w.co.id, 'invoice.payment_failed')).toEqual([]);
    expect(await eventsOf(w.co.id, 'invoice.payment_pending')).toEqual([]);
    expect(await mailsTo(t.services.db, w.invoiceEmail, 'invoice-payment-failed')).toEqual([]);
    const credited = await world('2010-01-10T09:00:00Z');
    const voided = await issue(credited, '2010-01', '2010-02-01T00:10:00Z');
    await atTime(t, '2010-02-01T00:20:00Z', () => creditInvoice(t.services, voided.number, 'Wrong plan'));
    expect(await record(voided.id, 1, { state: 'pending', reference: 'ch_p' }, '2010-02-01T00:41:00Z')).toMatchObject({ outcome: 'pending', invoice: { state: 'void' } });
    expect(await record(voided.id, 2, { state: 'declined', reference: 'ch_d', message: 'No.' }, '2010-02-01T00:42:00Z')).toMatchObject({ outcome: 'declined', invoice: { state: 'void' } });
    expect(await invoiceRow(voided.id)).toMatchObject({ state: 'void', nextChargeAt: null });
    expect(await eventsOf(credited.co.id, 'invoice.payment_failed')).toEqual([]);
    expect(await eventsOf(credited.co.id, 'invoice.payment_pending')).toEqual([]);
  });
});

describe.runIf(onPostgres)('two results of one invoice at once, on PostgreSQL', () => {
  it('the second waits for the invoice row and sees the first: a decline that comes while a payment is recorded leaves the invoice paid', async () => {
    const w = await world('2014-01-10T09:00:00Z');
    const inv = await issue(w, '2014-01', '2014-02-01T00:10:00Z');
    const recordIn = (attempt: number, result: ChargeOutcome) => inTransaction(t.services.db, (tx) => recordChargeIn(tx, t.services, inv.id, attempt, result, 'webhook'));
    // The test holds the invoice row: both results queue for it. Without the row lock each read
    // the invoice as open, and the decline, written last, turned the paid invoice into a failed one.
    const [paid, declined] = await atTime(t, '2014-02-01T00:30:00Z', () => queuedBehind(t, (tx) => tx.execute(sql`SELECT 1 FROM invoices WHERE id = ${inv.id} FOR UPDATE`), [
      { run: () => recordIn(1, { state: 'paid', reference: 'ch_paid' }), waitsOn: /invoice/ },
      { run: () => recordIn(2, { state: 'declined', reference: 'ch_declined', message: 'No.' }) },
    ]));
    expect(paid).toMatchObject({ outcome: 'paid', invoice: { state: 'paid' } });
    expect(declined).toMatchObject({ outcome: 'declined', invoice: { state: 'paid' } });
    expect(await invoiceRow(inv.id)).toMatchObject({ state: 'paid', nextChargeAt: null });
    expect(await eventsOf(w.co.id, 'invoice.payment_failed')).toEqual([]);
  });
});

describe('a direct debit in progress (ADR 0096: pending is not unpaid)', () => {
  it('pending: no retry, no "Pay now"; when it fails, the days it was pending move the dunning clock on and the run\'s mails go out', async () => {
    const w = await world('2011-01-10T09:00:00Z');
    const inv = await issue(w, '2011-01', '2011-02-01T00:10:00Z');
    const out = await record(inv.id, 1, { state: 'pending', reference: 'pi_debit' }, '2011-02-01T00:20:00Z');
    expect(out).toMatchObject({ outcome: 'pending', invoice: { state: 'payment_pending', nextChargeAt: null } });
    expect(await invoiceRow(inv.id)).toMatchObject({ state: 'payment_pending', nextChargeAt: null, stateChangedAt: new Date('2011-02-01T00:20:00Z') });
    expect(await paymentsOf(inv.id)).toEqual([expect.objectContaining({ state: 'pending', message: null, providerReference: 'pi_debit' })]);
    expect((await eventsOf(w.co.id, 'invoice.payment_pending')).map((e) => [e.category, e.actorId, e.details])).toEqual([['billing', null, {
      invoiceId: inv.id, number: inv.number, attempt: 1, amount: { amount: inv.totalCents, currency: 'EUR' }, trigger: 'webhook',
    }]]);
    expect(await mailsTo(t.services.db, w.invoiceEmail)).toEqual([]);
    const refused = await refusal(charge(inv.id, '2011-02-02T00:00:00Z', 'payNow'));
    expect(refused).toMatchObject({
      code: 'invoice_not_payable', extra: { reason: 'payment_pending' },
      detail: `Invoice ${inv.number} is being paid by direct debit; the bank has not confirmed it yet. Nothing was charged again.`,
    });
    // The bank refuses it 4 days (and 10 minutes) later: the clock starts 4 days 10 minutes after the invoice.
    const failed = await record(inv.id, 1, { state: 'declined', reference: 'pi_debit', message: 'The bank refused the debit.' }, '2011-02-05T00:30:00Z', `${inv.id}:charge:1:failed`);
    expect(failed).toMatchObject({ outcome: 'declined', invoice: { state: 'payment_failed' } });
    const from = new Date('2011-02-05T00:20:00Z');
    expect(await invoiceRow(inv.id)).toMatchObject({
      state: 'payment_failed', dunningFrom: from, nextChargeAt: new Date('2011-02-08T00:20:00Z'), stateChangedAt: new Date('2011-02-05T00:30:00Z'), suspendedAt: null,
    });
    const mail = (await mailsTo(t.services.db, w.invoiceEmail, 'invoice-payment-failed'))[0];
    expect(mail.textBody).toContain('The bank refused the debit.');
    expect(mail.textBody).toContain('We try again on 8 February 2011.');
    expect(mail.textBody).toContain('still unpaid on 19 February 2011');
    expect((await eventsOf(w.co.id, 'invoice.payment_failed'))[0].details).toMatchObject({ trigger: 'webhook', nextTry: '2011-02-08T00:20:00.000Z' });
    // A second failure, not after a pending debit, keeps the clock where it is.
    expect(await record(inv.id, 2, { state: 'declined', reference: 'ch_2', message: 'No.' }, '2011-02-08T00:30:00Z')).toMatchObject({ outcome: 'declined' });
    expect(await invoiceRow(inv.id)).toMatchObject({ dunningFrom: from, nextChargeAt: new Date('2011-02-12T00:20:00Z') });
  });
});

describe('the payment mails speak each recipient\'s language (ADR 0050, 0070; SPEC 4.8)', () => {
  /** Intl writes "13,51 €" with a no-break space before the sign. */
  const nb = (s: string) => s.replace(/ €/g, '\u00a0€');
  async function germanOwner(): Promise<SignedIn> {
    const owner = await signUpVerified(t);
    expect((await as(t, owner).patch('/api/v1/me', { language: 'de' })).statusCode).toBe(200);
    return owner;
  }
  async function companyOf(owner: SignedIn, at: string, invoiceEmail: string, card: string): Promise<World> {
    return atTime(t, at, async () => {
      const res = await as(t, owner).post('/api/v1/companies', { name: `Sprachen ${++seq}`, billingContact: contactInput({ invoiceEmail }), paymentMethod: { token: await cardToken(t, card) } });
      expect(res.statusCode).toBe(201);
      const contacts = await as(t, owner).get(`/api/v1/companies/${res.json().id}/billing-contacts`);
      const co = { id: res.json().id, name: `Sprachen ${seq}`, contactId: contacts.json().items[0].id };
      return { owner, co, app: await bookApp(t, owner, co), invoiceEmail };
    });
  }

  it('a declined card: the invoice address without an Account hears it in the first owner\'s language, each owner in her own, amounts as the language writes them', async () => {
    const owner = await germanOwner();
    const invoiceEmail = `rechnung-${Math.random().toString(36).slice(2, 8)}@sprachen.example`;
    const w = await companyOf(owner, '2016-01-10T09:00:00Z', invoiceEmail, CARD.chargeDeclined);
    const english = await signUpVerified(t);
    await addMember(t, w.co.id, english, 'owner');
    const inv = await issue(w, '2016-01', '2016-02-01T00:10:00Z');
    // 10–31 January: 22 of 31 days of €16.00 = €11.35; 19 % = €2.16; €13.51.
    expect(inv.totalCents).toBe(1351);
    expect(await charge(inv.id, '2016-02-01T00:30:00Z')).toMatchObject({ outcome: 'declined' });
    const german = nb(`Zahlung für Rechnung ${inv.number} fehlgeschlagen (13,51 €)`);
    for (const to of [invoiceEmail, owner.email]) {
      const mails = await mailsTo(t.services.db, to, 'invoice-payment-failed');
      expect(mails.map((m) => m.subject)).toEqual([german]);
      expect(mails[0].textBody).toContain('Guten Tag,');
      expect(mails[0].textBody).toContain(nb(`wir konnten 13,51 € für die Rechnung ${inv.number} von Bakery Müller GmbH nicht abbuchen: ${DECLINED}`));
      expect(mails[0].textBody).toContain('Wir versuchen es am 4. Februar 2016 noch einmal.');
      expect(mails[0].textBody).toContain('Ist die Rechnung am 15. Februar 2016 noch offen, werden die Apps von Bakery Müller GmbH gesperrt');
      expect(mails[0].textBody).toContain('Rechnung öffnen');
    }
    const theirs = await mailsTo(t.services.db, english.email, 'invoice-payment-failed');
    expect(theirs.map((m) => m.subject)).toEqual([`Payment failed for invoice ${inv.number} (€13.51)`]);
    expect(theirs[0].textBody).toContain(`we could not charge €13.51 for invoice ${inv.number} of Bakery Müller GmbH: ${DECLINED}`);
  });

  it('an invoice address with an Account of its own (a bookkeeper, not an owner) hears in her language, the English owner in his; the receipt ends with the seller\'s name', async () => {
    const bookkeeper = await germanOwner();
    const owner = await signUpVerified(t);
    const w = await companyOf(owner, '2018-01-10T09:00:00Z', bookkeeper.email, CARD.threeDSecure);
    const inv = await issue(w, '2018-01', '2018-02-01T00:10:00Z');
    expect(await charge(inv.id, '2018-02-01T00:30:00Z')).toMatchObject({ outcome: 'action_required' });
    expect((await mailsTo(t.services.db, bookkeeper.email, 'invoice-action-required')).map((m) => m.subject)).toEqual([nb(`Bitte bestätigen Sie die Zahlung der Rechnung ${inv.number} (13,51 €)`)]);
    expect((await mailsTo(t.services.db, owner.email, 'invoice-action-required')).map((m) => m.subject)).toEqual([`Please confirm the payment of invoice ${inv.number} (€13.51)`]);
    expect(await record(inv.id, 1, { state: 'paid', reference: 'ch_confirmed' }, '2018-02-02T09:00:00Z', `${inv.id}:charge:1:completed`)).toMatchObject({ outcome: 'paid' });
    const [receipt] = await mailsTo(t.services.db, bookkeeper.email, 'invoice-receipt');
    expect(receipt.subject).toBe(nb(`Zahlungsbestätigung: 13,51 € für Rechnung ${inv.number} bezahlt`));
    expect(receipt.textBody).toContain(`Die Rechnung ist bezahlt.\n\nDashboard Hosting GmbH\n\nIhre Rechnungen ansehen:\nhttp://dashboard.test/companies/${w.co.id}?tab=billing`);
  });

  it('3-D Secure: the owner who is also the invoice address gets one mail, in her language, with the confirmation page; the receipt after it names the buyer and the seller', async () => {
    const owner = await germanOwner();
    const w = await companyOf(owner, '2017-01-10T09:00:00Z', owner.email, CARD.threeDSecure);
    const inv = await issue(w, '2017-01', '2017-02-01T00:10:00Z');
    expect(await charge(inv.id, '2017-02-01T00:30:00Z')).toMatchObject({ outcome: 'action_required' });
    const mails = await mailsTo(t.services.db, owner.email, 'invoice-action-required');
    expect(mails.map((m) => m.subject)).toEqual([nb(`Bitte bestätigen Sie die Zahlung der Rechnung ${inv.number} (13,51 €)`)]);
    expect(mails[0].textBody).toContain(nb(`die Bank bittet den Karteninhaber, die Zahlung von 13,51 € für die Rechnung ${inv.number} von Bakery Müller GmbH zu bestätigen.`));
    expect(mails[0].textBody).toContain(`http://dashboard.test/companies/${w.co.id}/invoices/${inv.id}/confirm`);
    expect(mails[0].textBody).not.toContain('?tab=billing');
    // The card holder confirms; the provider tells the result (the webhook).
    expect(await record(inv.id, 1, { state: 'paid', reference: 'ch_confirmed' }, '2017-02-02T09:00:00Z', `${inv.id}:charge:1:completed`)).toMatchObject({ outcome: 'paid' });
    const receipts = await mailsTo(t.services.db, owner.email, 'invoice-receipt');
    expect(receipts.map((m) => m.subject)).toEqual([nb(`Zahlungsbestätigung: 13,51 € für Rechnung ${inv.number} bezahlt`)]);
    expect(receipts[0].textBody).toContain('Guten Tag Bakery Müller GmbH,');
    expect(receipts[0].textBody).toContain(nb(`vielen Dank: 13,51 € für die Rechnung ${inv.number} wurden am 2. Februar 2017 von Ihrer Karte abgebucht.`));
    expect(receipts[0].textBody).toContain('Dashboard Hosting GmbH');
    expect(receipts[0].textBody).toContain('Ihre Rechnungen ansehen');
    expect(receipts[0].textBody).toContain(`http://dashboard.test/companies/${w.co.id}?tab=billing`);
  });
});

describe('payment lifts the suspension (SPEC 4.8: active again at once)', () => {
  // Last in the file: suspendOverdue suspends every overdue invoice, so these run after the tests
  // above and look only at their own Apps.
  it('a charge that pays a suspended invoice brings the Apps back with an event; a pending debit does too, and its failure lets the suspension come again', async () => {
    const w = await world('2012-01-10T09:00:00Z');
    const inv = await issue(w, '2012-01', '2012-02-01T00:10:00Z');
    await atTime(t, '2012-02-15T00:10:00Z', () => suspendOverdue(t.services));
    expect(await statusOf(w.app)).toBe('suspended');
    expect(await charge(inv.id, '2012-02-15T01:00:00Z')).toMatchObject({ outcome: 'paid' });
    expect(await statusOf(w.app)).toBe('active');
    expect((await eventsOf(w.co.id, 'apps.reactivated')).map((e) => [e.appName, e.details])).toEqual([[w.app, { number: inv.number }]]);

    const d = await world('2013-01-10T09:00:00Z');
    const debit = await issue(d, '2013-01', '2013-02-01T00:10:00Z');
    await atTime(t, '2013-02-15T00:10:00Z', () => suspendOverdue(t.services));
    expect(await statusOf(d.app)).toBe('suspended');
    await record(debit.id, 1, { state: 'pending', reference: 'pi_debit' }, '2013-02-15T01:00:00Z');
    expect(await statusOf(d.app)).toBe('active');
    expect((await eventsOf(d.co.id, 'apps.reactivated')).map((e) => e.details)).toEqual([{ number: debit.number }]);
    // Pending for 2 days, then refused: 14 days from the moved start, the Apps are suspended again.
    await record(debit.id, 1, { state: 'declined', reference: 'pi_debit', message: 'Refused.' }, '2013-02-17T01:00:00Z', `${debit.id}:charge:1:failed`);
    expect(await invoiceRow(debit.id)).toMatchObject({ suspendedAt: null, dunningFrom: new Date('2013-02-03T00:10:00Z') });
    await atTime(t, '2013-02-17T00:09:00Z', () => suspendOverdue(t.services));
    expect(await statusOf(d.app)).toBe('active');
    await atTime(t, '2013-02-17T02:00:00Z', () => suspendOverdue(t.services));
    expect(await statusOf(d.app)).toBe('suspended');
  });
});
