import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityEvents, apps, billingPeriods, invoices } from '../../../src/server/db/schema.js';
import { WriteBatch } from '../../../src/server/db/writeBatch.js';
import { creditInvoice } from '../../../src/server/modules/billing/creditNote.js';
import { chargesRepo } from '../../../src/server/modules/billing/chargesRepo.js';
import { issueInvoices, issueMonthlyInvoice } from '../../../src/server/modules/billing/issueInvoice.js';
import { changeBilling, changeBillingInBatch } from '../../../src/server/modules/billing/periods.js';
import { suspendOverdue } from '../../../src/server/modules/billing/suspension.js';
import { inTransaction } from '../../../src/server/shared/transaction.js';
import { AppError } from '../../../src/server/shared/errors.js';
import { atTime } from '../../harness/billing.js';
import { queuedBehind } from '../../harness/locks.js';
import { onPostgres } from '../../harness/testDb.js';
import { bookApp, createCompany, MEDIUM_PLAN, SMALL_PLAN, type CompanyFixture } from '../../harness/factories.js';
import { as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 10 (Stryker on modules/billing, the rest): the rules of SPEC 4.8 that hold money —
 * billing periods by the day rule (ADR 0012), dunning (unpaid 14 days after the invoice: the
 * contact's Apps are suspended; paid: active again at once, unless another overdue invoice
 * keeps them), credit notes (an invoice is never edited), and the numbering of invoices. Each
 * test makes its own Company and times (Stryker runs only the tests that reach a mutant, so no
 * test may need another to have run). The dunning tests come first, each in a year of its own,
 * and leave no invoice unpaid and unsuspended behind them, so the counts of suspendOverdue are
 * their own.
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

interface World { owner: SignedIn; co: CompanyFixture; app: string }
async function world(at: string, appCount = 1): Promise<World & { apps: string[] }> {
  // Signed up now: the session is checked against the test clock, which the tests move into the past.
  const owner = await signUpVerified(t);
  return atTime(t, at, async () => {
    const co = await createCompany(t, owner);
    const names: string[] = [];
    for (let i = 0; i < appCount; i++) names.push(await bookApp(t, owner, co));
    return { owner, co, app: names[0], apps: names };
  });
}
const issue = (contactId: string, month: string, at: string) => atTime(t, at, () => issueMonthlyInvoice(t.services, contactId, month));
const invoiceRow = async (id: string) => (await t.services.db.select().from(invoices).where(eq(invoices.id, id)))[0];
const statusOf = async (name: string) => (await t.services.db.select().from(apps).where(eq(apps.name, name)))[0].status;
const suspendAt = (at: string) => atTime(t, at, () => suspendOverdue(t.services));
const eventsOf = async (companyId: string, action: string) => (await t.services.db.select().from(activityEvents)
  .where(and(eq(activityEvents.companyId, companyId), eq(activityEvents.action, action))).orderBy(asc(activityEvents.id)));
const pay = (w: World, invoiceId: string, at: string) => atTime(t, at, () => as(t, w.owner).post(`/api/v1/companies/${w.co.id}/invoices/${invoiceId}/pay`));
function issued(outcome: Awaited<ReturnType<typeof issueMonthlyInvoice>>) {
  if (outcome.outcome !== 'issued') throw new Error(`not issued: ${outcome.outcome}`);
  return outcome;
}

describe('dunning (SPEC 4.8: unpaid 14 days after the invoice, the contact\'s Apps are suspended)', () => {
  it('suspends every active App of the contact at 14 days, not a minute earlier, once, with a billing event per App; payment brings them back', async () => {
    const w = await world('2016-01-10T09:00:00Z', 2);
    const deleted = await atTime(t, '2016-01-10T09:00:00Z', () => bookApp(t, w.owner, w.co));
    await atTime(t, '2016-01-20T09:00:00Z', async () => {
      expect((await as(t, w.owner).delete(`/api/v1/apps/${deleted}`)).statusCode).toBe(204);
    });
    const inv = issued(await issue(w.co.contactId, '2016-01', '2016-02-01T00:10:00Z'));
    expect(await suspendAt('2016-02-15T00:09:59Z')).toBe(0);
    for (const name of w.apps) expect(await statusOf(name)).toBe('active');
    expect(await suspendAt('2016-02-15T00:10:00Z')).toBe(2);
    for (const name of w.apps) expect(await statusOf(name)).toBe('suspended');
    expect(await statusOf(deleted)).toBe('deleted');
    expect((await invoiceRow(inv.invoiceId)).suspendedAt).toEqual(new Date('2016-02-15T00:10:00Z'));
    const events = await eventsOf(w.co.id, 'apps.suspended');
    expect(events.map((e) => ({ app: e.appName, category: e.category, actor: e.actorId, at: e.at, details: e.details })).sort((a, b) => a.app!.localeCompare(b.app!))).toEqual(
      [...w.apps].sort().map((app) => ({ app, category: 'billing', actor: null, at: new Date('2016-02-15T00:10:00Z'), details: { invoiceId: inv.invoiceId, number: inv.number } })),
    );
    expect(await suspendAt('2016-02-16T00:10:00Z')).toBe(0);
    // Owners see why (SPEC 4.8).
    expect((await as(t, w.owner).get(`/api/v1/apps/${w.app}`)).json().suspension)
      .toEqual({ reason: 'unpaid_invoice', invoiceNumber: inv.number, since: '2016-02-15T00:10:00.000Z' });
    const paid = await pay(w, inv.invoiceId, '2016-02-16T09:00:00Z');
    expect(paid.statusCode).toBe(200);
    for (const name of w.apps) expect(await statusOf(name)).toBe('active');
    expect(await statusOf(deleted)).toBe('deleted');
    expect((await as(t, w.owner).get(`/api/v1/apps/${w.app}`)).json().suspension).toBeUndefined();
    const back = await eventsOf(w.co.id, 'apps.reactivated');
    expect(back.map((e) => ({ category: e.category, actor: e.actorId, details: e.details })))
      .toEqual(w.apps.map(() => ({ category: 'billing', actor: null, details: { number: inv.number } })));
    expect(back.map((e) => e.appName).sort()).toEqual([...w.apps].sort());
  });

  it('paid, credited and credit notes never suspend; an open invoice of another contact does not touch these Apps', async () => {
    const w = await world('2017-01-10T09:00:00Z');
    const credited = issued(await issue(w.co.contactId, '2017-01', '2017-02-01T00:10:00Z'));
    await atTime(t, '2017-02-02T09:00:00Z', () => creditInvoice(t.services, credited.number, 'Wrong plan'));
    const paid = issued(await issue(w.co.contactId, '2017-02', '2017-03-01T00:10:00Z'));
    expect((await pay(w, paid.invoiceId, '2017-03-02T09:00:00Z')).statusCode).toBe(200);
    expect(await suspendAt('2017-04-01T00:00:00Z')).toBe(0);
    expect(await statusOf(w.app)).toBe('active');
    expect((await as(t, w.owner).get(`/api/v1/apps/${w.app}`)).json().suspension).toBeUndefined();
    expect(await eventsOf(w.co.id, 'apps.suspended')).toEqual([]);
  });

  it('keeps the Apps suspended until every overdue invoice is paid, and names the oldest unpaid one', async () => {
    const w = await world('2018-01-10T09:00:00Z');
    const jan = issued(await issue(w.co.contactId, '2018-01', '2018-02-01T00:10:00Z'));
    const feb = issued(await issue(w.co.contactId, '2018-02', '2018-03-01T00:10:00Z'));
    expect(await suspendAt('2018-03-20T00:00:00Z')).toBe(1);
    expect((await invoiceRow(feb.invoiceId)).suspendedAt).toEqual(new Date('2018-03-20T00:00:00Z'));
    const view = async () => (await as(t, w.owner).get(`/api/v1/apps/${w.app}`)).json().suspension;
    expect(await view()).toMatchObject({ invoiceNumber: jan.number });
    expect((await pay(w, jan.invoiceId, '2018-03-21T09:00:00Z')).statusCode).toBe(200);
    expect(await statusOf(w.app)).toBe('suspended');
    expect(await view()).toMatchObject({ reason: 'unpaid_invoice', invoiceNumber: feb.number });
    expect(await eventsOf(w.co.id, 'apps.reactivated')).toEqual([]);
    expect((await pay(w, feb.invoiceId, '2018-03-21T10:00:00Z')).statusCode).toBe(200);
    expect(await statusOf(w.app)).toBe('active');
    expect((await eventsOf(w.co.id, 'apps.reactivated')).map((e) => e.details)).toEqual([{ number: feb.number }]);
  });

  it('a credited overdue invoice lifts the suspension too, once no other overdue invoice holds it', async () => {
    const w = await world('2019-01-10T09:00:00Z');
    const jan = issued(await issue(w.co.contactId, '2019-01', '2019-02-01T00:10:00Z'));
    const feb = issued(await issue(w.co.contactId, '2019-02', '2019-03-01T00:10:00Z'));
    expect(await suspendAt('2019-03-20T00:00:00Z')).toBe(1);
    await atTime(t, '2019-03-21T09:00:00Z', () => creditInvoice(t.services, jan.number, 'Booked by mistake'));
    expect(await statusOf(w.app)).toBe('suspended');
    expect(await eventsOf(w.co.id, 'apps.reactivated')).toEqual([]);
    await atTime(t, '2019-03-21T10:00:00Z', () => creditInvoice(t.services, feb.number, 'Goodwill'));
    expect(await statusOf(w.app)).toBe('active');
    expect((await eventsOf(w.co.id, 'apps.reactivated')).map((e) => e.details)).toEqual([{ number: feb.number }]);
    expect((await as(t, w.owner).get(`/api/v1/apps/${w.app}`)).json().suspension ?? null).toBeNull();
  });

  it('claims overdue invoices in batches until none is left: the 51st of them suspends its contact too', async () => {
    // One contact with 50 overdue invoices (one App booked in 2019), issued a month apart; the
    // 51st, of another contact, is the newest, so it is in the second batch of 50.
    const many = await world('2019-01-10T09:00:00Z');
    const months: string[] = [];
    for (let i = 0; i < 50; i++) months.push(`${2019 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    for (const [i, month] of months.entries()) {
      const next = months[i + 1] ?? '2023-03';
      issued(await issue(many.co.contactId, month, `${next}-01T00:10:00Z`));
    }
    const last = await world('2023-03-10T09:00:00Z');
    const lastInvoice = issued(await issue(last.co.contactId, '2023-03', '2023-04-01T00:10:00Z'));
    expect(await suspendAt('2023-05-01T00:00:00Z')).toBe(2);
    expect(await statusOf(many.app)).toBe('suspended');
    expect(await statusOf(last.app)).toBe('suspended');
    expect((await invoiceRow(lastInvoice.invoiceId)).suspendedAt).toEqual(new Date('2023-05-01T00:00:00Z'));
    const rows = await t.services.db.select().from(invoices).where(inArray(invoices.companyId, [many.co.id, last.co.id]));
    expect(rows.filter((r) => r.suspendedAt === null)).toEqual([]);
  });
});

describe('billing periods (SPEC 4.1.8, ADR 0012: the day rule)', () => {
  const periodsOf = async (name: string) => {
    const [app] = await t.services.db.select().from(apps).where(eq(apps.name, name));
    return (await t.services.db.select().from(billingPeriods).where(eq(billingPeriods.appId, app.id)).orderBy(asc(billingPeriods.id)))
      .map((p) => ({ php: p.plan.php, cents: p.monthlyPriceCents, currency: p.currency, from: p.fromDay, to: p.toDay, contact: p.billingContactId }));
  };
  const scale = (w: World, plan: Record<string, string>, at: string) => atTime(t, at, async () => {
    expect((await as(t, w.owner).put(`/api/v1/apps/${w.app}/plan`, { plan })).statusCode).toBe(200);
  });
  const remove = (w: World, at: string) => atTime(t, at, async () => {
    expect((await as(t, w.owner).delete(`/api/v1/apps/${w.app}`)).statusCode).toBe(204);
  });

  it('booking pays from its day; a change pays the old terms through its day and the new from the next; deletion ends on its day', async () => {
    const w = await world('2026-03-10T09:00:00Z');
    const c = w.co.contactId;
    expect(await periodsOf(w.app)).toEqual([{ php: 'php-s', cents: 1600, currency: 'EUR', from: '2026-03-10', to: null, contact: c }]);
    await scale(w, MEDIUM_PLAN, '2026-03-20T23:59:00Z');
    expect(await periodsOf(w.app)).toEqual([
      { php: 'php-s', cents: 1600, currency: 'EUR', from: '2026-03-10', to: '2026-03-20', contact: c },
      { php: 'php-m', cents: 4200, currency: 'EUR', from: '2026-03-21', to: null, contact: c },
    ]);
    await remove(w, '2026-04-02T08:00:00Z');
    expect((await periodsOf(w.app)).at(-1)).toMatchObject({ php: 'php-m', from: '2026-03-21', to: '2026-04-02' });
  });

  it('a change on the day of booking closes the booking day; a second change that day replaces the terms that have not begun', async () => {
    const w = await world('2026-05-10T09:00:00Z');
    await scale(w, MEDIUM_PLAN, '2026-05-10T10:00:00Z');
    await scale(w, SMALL_PLAN, '2026-05-10T11:00:00Z');
    expect((await periodsOf(w.app)).map(({ php, from, to }) => [php, from, to])).toEqual([
      ['php-s', '2026-05-10', '2026-05-10'],
      ['php-s', '2026-05-11', null],
    ]);
    // Deleted before the new terms begin: they are removed, the day already paid stays.
    await remove(w, '2026-05-10T12:00:00Z');
    expect((await periodsOf(w.app)).map(({ php, from, to }) => [php, from, to])).toEqual([['php-s', '2026-05-10', '2026-05-10']]);
  });

  it('booked and deleted on the same day: the booking day is paid (closed, not removed)', async () => {
    const w = await world('2026-05-12T09:00:00Z');
    await remove(w, '2026-05-12T23:59:00Z');
    expect(await periodsOf(w.app)).toEqual([{ php: 'php-s', cents: 1600, currency: 'EUR', from: '2026-05-12', to: '2026-05-12', contact: w.co.contactId }]);
  });

  it('deleting an App without an open period (a trial) is fine', async () => {
    const owner = await signUpVerified(t);
    const res = await as(t, owner).post('/api/v1/apps', { name: `trial-${Math.random().toString(36).slice(2, 8)}`, region: 'eu1', trial: true });
    expect(res.statusCode).toBe(201);
    expect((await as(t, owner).delete(`/api/v1/apps/${res.json().name}`)).statusCode).toBe(204);
  });

  it('a change of an App without an open period (a defence: every booked App has one) starts the new terms tomorrow and closes nothing', async () => {
    const w = await world('2026-05-10T09:00:00Z');
    const trial = await atTime(t, '2026-05-10T09:00:00Z', async () => (await as(t, w.owner).post('/api/v1/apps', { name: `trial-${Math.random().toString(36).slice(2, 8)}`, region: 'eu1', trial: true })).json().name as string);
    const [app] = await t.services.db.select().from(apps).where(eq(apps.name, trial));
    expect(await periodsOf(trial)).toEqual([]);
    await inTransaction(t.services.db, (tx) => changeBilling(tx, app.id, { billingContactId: w.co.contactId, currency: 'EUR', plan: SMALL_PLAN }, new Date('2026-05-20T23:00:00Z')));
    expect(await periodsOf(trial)).toEqual([{ php: 'php-s', cents: 1600, currency: 'EUR', from: '2026-05-21', to: null, contact: w.co.contactId }]);
  });

  it('the handover\'s batched change follows the same rule: closed through today or replaced when not begun, new terms from tomorrow', async () => {
    const w = await world('2026-06-10T09:00:00Z');
    const other = await atTime(t, '2026-06-10T09:00:00Z', () => createCompany(t, w.owner, { currency: 'USD' }));
    const [app] = await t.services.db.select().from(apps).where(eq(apps.name, w.app));
    const change = (plan: Record<string, string>, at: string) => inTransaction(t.services.db, async (tx) => {
      const batch = new WriteBatch(tx);
      changeBillingInBatch(batch, app.id, { billingContactId: other.contactId, currency: 'USD', plan }, new Date(at));
      await batch.flush();
    });
    await change(MEDIUM_PLAN, '2026-06-15T10:00:00Z');
    await change(SMALL_PLAN, '2026-06-15T11:00:00Z');
    expect(await periodsOf(w.app)).toEqual([
      { php: 'php-s', cents: 1600, currency: 'EUR', from: '2026-06-10', to: '2026-06-15', contact: w.co.contactId },
      { php: 'php-s', cents: 1800, currency: 'USD', from: '2026-06-16', to: null, contact: other.contactId },
    ]);
  });
});

describe('credit notes (SPEC 4.8: an invoice is never edited; a credit note references it, numbered in the same sequence)', () => {
  it('negates the invoice exactly, takes the next number, voids the invoice and records it', async () => {
    const w = await world('2026-07-03T09:00:00Z');
    const inv = issued(await issue(w.co.contactId, '2026-07', '2026-08-01T00:10:00Z'));
    const before = await invoiceRow(inv.invoiceId);
    const { creditNote, invoice, refundDue } = await atTime(t, '2026-08-05T12:00:00Z', () => creditInvoice(t.services, inv.number, '  Booked by mistake  '));
    expect(refundDue).toBe(false);
    // A credit note is an invoice row of its own kind, with an id of the same form (its routes are the invoice routes).
    expect(creditNote.id).toMatch(/^inv_[\w-]+$/);
    expect(creditNote.id).not.toBe(inv.invoiceId);
    const n = Number(inv.number.slice(-6));
    expect(creditNote.number).toBe(`${inv.number.slice(0, -6)}${String(n + 1).padStart(6, '0')}`);
    expect(creditNote).toMatchObject({
      kind: 'credit_note', state: 'issued', creditsInvoiceId: inv.invoiceId, reason: 'Booked by mistake', companyId: w.co.id,
      billingContactId: w.co.contactId, month: '2026-07', currency: 'EUR', issuedAt: new Date('2026-08-05T12:00:00Z'),
      netCents: -before.netCents, taxCents: -before.taxCents, totalCents: -before.totalCents, nextChargeAt: null, language: before.language,
      seller: before.seller, buyer: before.buyer,
    });
    expect(before.totalCents).toBeGreaterThan(0);
    expect(creditNote.lines).toEqual(before.lines.map((l) => expect.objectContaining({ amountCents: -(l.amountCents as number), appName: l.appName })));
    expect(creditNote.taxes).toEqual(before.taxes.map((x) => expect.objectContaining({ netCents: -(x.netCents as number), taxCents: -(x.taxCents as number) })));
    expect(creditNote.notes[0]).toBe(`This credit note cancels invoice ${inv.number} of 1 August 2026 in full. Reason: Booked by mistake`);
    expect(creditNote.notes.slice(1)).toEqual(before.notes);
    expect(invoice).toMatchObject({ state: 'void', nextChargeAt: null, stateChangedAt: new Date('2026-08-05T12:00:00Z'), totalCents: before.totalCents, lines: before.lines });
    const [event] = await eventsOf(w.co.id, 'invoice.credited');
    expect(event).toMatchObject({ category: 'billing', actorId: null, details: {
      invoiceId: inv.invoiceId, number: inv.number, creditNoteId: creditNote.id, creditNoteNumber: creditNote.number, reason: 'Booked by mistake', refundDue: false,
    } });
  });

  it('a paid invoice is refunded after commit: the credit note is due for it at once', async () => {
    const w = await world('2026-07-03T09:00:00Z');
    const inv = issued(await issue(w.co.contactId, '2026-07', '2026-08-01T00:10:00Z'));
    expect((await pay(w, inv.invoiceId, '2026-08-01T09:00:00Z')).statusCode).toBe(200);
    const { creditNote, refundDue } = await atTime(t, '2026-08-06T12:00:00Z', () => creditInvoice(t.services, inv.number, 'Goodwill'));
    expect(refundDue).toBe(true);
    expect(creditNote.nextChargeAt).toEqual(new Date('2026-08-06T12:00:00Z'));
    expect((await eventsOf(w.co.id, 'invoice.credited'))[0].details).toMatchObject({ refundDue: true });
  });

  it('refuses without a reason, with one over 500 characters, twice, a credit note and an unknown number, and changes nothing', async () => {
    const w = await world('2026-07-03T09:00:00Z');
    const inv = issued(await issue(w.co.contactId, '2026-07', '2026-08-01T00:10:00Z'));
    const refusal = async (number: string, reason: string) => {
      try { await creditInvoice(t.services, number, reason); } catch (e) { return e as AppError; }
      throw new Error('not refused');
    };
    const rows = async () => (await t.services.db.select().from(invoices).where(eq(invoices.companyId, w.co.id))).length;
    const empty = await refusal(inv.number, '   ');
    expect(empty).toMatchObject({ code: 'validation_failed', errors: [{ path: 'reason', message: 'Required.' }] });
    expect(empty.detail).toBe('Say why the invoice is credited: --reason "…".');
    const long = await refusal(inv.number, 'x'.repeat(501));
    expect(long).toMatchObject({ code: 'validation_failed', detail: 'Keep the reason under 500 characters.', errors: [{ path: 'reason', message: 'Too long.' }] });
    expect(await rows()).toBe(1);
    expect(await refusal('INV-1999-999999', 'Typo')).toMatchObject({ code: 'not_found', detail: 'Invoice INV-1999-999999 does not exist or you cannot see it.' });
    const { creditNote } = await creditInvoice(t.services, inv.number, 'x'.repeat(500));
    expect(await refusal(inv.number, 'Again')).toMatchObject({ code: 'conflict', detail: `${inv.number} is already credited by ${creditNote.number}; nothing was changed.` });
    expect(await refusal(creditNote.number, 'A credit of a credit')).toMatchObject({ code: 'conflict', detail: `${creditNote.number} is a credit note; only invoices can be credited.` });
    expect(await rows()).toBe(2);
  });
});

describe.runIf(onPostgres)('credit notes racing on PostgreSQL', () => {
  it('two credits of one invoice at once: the second waits for the first and is refused as credited; one number is taken', async () => {
    const w = await world('2026-07-03T09:00:00Z');
    const inv = issued(await issue(w.co.contactId, '2026-07', '2026-08-01T00:10:00Z'));
    const counter = async () => Number((await t.services.db.execute(sql`SELECT last_number FROM invoice_counters WHERE seller = 'INV'`)).rows[0].last_number);
    const before = await counter();
    const attempt = (reason: string) => creditInvoice(t.services, inv.number, reason).then((r) => r.creditNote.number, (e: unknown) => e);
    // The test holds the seller's counter: the first credit locks the invoice and waits there;
    // the second must wait for the invoice row (without that lock it read the invoice as open
    // and failed on the unique key of credit notes instead of being told it is credited).
    const [first, second] = await queuedBehind(t, (tx) => tx.execute(sql`SELECT 1 FROM invoice_counters WHERE seller = 'INV' FOR UPDATE`), [
      { run: () => attempt('First'), waitsOn: /invoice_counters/ },
      { run: () => attempt('Second') },
    ]);
    expect(first).toMatch(/^INV-2026-\d{6}$/);
    expect(second).toBeInstanceOf(AppError);
    expect(second).toMatchObject({ code: 'conflict', detail: `${inv.number} is already credited by ${first as string}; nothing was changed.` });
    expect(await counter()).toBe(before + 1);
    expect((await t.services.db.select().from(invoices).where(eq(invoices.companyId, w.co.id))).map((r) => r.kind).sort()).toEqual(['credit_note', 'invoice']);
  });
});

describe('issuing an invoice (SPEC 4.8: one per contact and month, gapless numbers, never changed)', () => {
  it('issues once with the totals, the buyer as it is now and a billing event; a second time it exists and takes no number', async () => {
    const w = await world('2026-09-21T09:00:00Z');
    const first = issued(await issue(w.co.contactId, '2026-09', '2026-10-01T00:10:00Z'));
    // 10 days of €16.00 in a 30-day month: €5.33; German VAT 19 %: €1.01.
    expect(first).toMatchObject({ outcome: 'issued', totalCents: 634, currency: 'EUR', vatValid: true });
    expect(first.number).toMatch(/^INV-2026-\d{6}$/);
    expect(first.invoiceId).toMatch(/^inv_[\w-]+$/);
    expect(await issue(w.co.contactId, '2026-09', '2026-10-01T00:20:00Z')).toEqual({ outcome: 'exists' });
    expect(await issue(w.co.contactId, '2026-08', '2026-10-01T00:20:00Z')).toEqual({ outcome: 'no_charges' });
    expect(await issue('bc_unknown', '2026-09', '2026-10-01T00:20:00Z')).toEqual({ outcome: 'no_charges' });
    const other = await world('2026-09-21T09:00:00Z');
    const next = issued(await issue(other.co.contactId, '2026-09', '2026-10-01T00:30:00Z'));
    expect(Number(next.number.slice(-6))).toBe(Number(first.number.slice(-6)) + 1);
    const row = await invoiceRow(first.invoiceId);
    expect(row).toMatchObject({
      kind: 'invoice', state: 'open', month: '2026-09', netCents: 533, taxCents: 101, totalCents: 634, currency: 'EUR',
      issuedAt: new Date('2026-10-01T00:10:00Z'), nextChargeAt: new Date('2026-10-01T00:10:00Z'), stateChangedAt: new Date('2026-10-01T00:10:00Z'),
      billingContactId: w.co.contactId, companyId: w.co.id,
    });
    expect(row.buyer).toMatchObject({
      name: 'Bakery Müller GmbH', address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' }, countryName: 'Germany',
      vatNumber: 'DE136695976', invoiceEmail: 'invoices@bakery.example', paymentMethod: { type: 'card', brand: 'visa', last4: '4242' },
      vatCheck: { vatNumber: 'DE136695976', valid: true, vies: 'not_reachable', checkedAt: '2026-10-01T00:10:00.000Z' },
    });
    expect(row.buyer.address).not.toHaveProperty('line2');
    const [event] = await eventsOf(w.co.id, 'invoice.issued');
    expect(event).toMatchObject({ category: 'billing', actorId: null, details: {
      invoiceId: first.invoiceId, number: first.number, month: '2026-09', billingContactId: w.co.contactId,
      total: { amount: 634, currency: 'EUR' }, tax: 'domestic', vatCheck: { valid: true, vies: 'not_reachable' },
    } });
  });

  it('a contact whose data cannot be made into an invoice: the error is thrown, nothing is written and no number is taken', async () => {
    const before = await world('2026-09-21T09:00:00Z');
    const first = issued(await issue(before.co.contactId, '2026-09', '2026-10-01T00:50:00Z'));
    const bad = await world('2026-09-21T09:00:00Z');
    // A plan that is not one (the JSON null): computing the lines throws.
    await t.services.db.execute(sql`UPDATE billing_periods SET plan = 'null'::jsonb WHERE billing_contact_id = ${bad.co.contactId}`);
    // The computation's own error, handed on as the contact's failure (not a failure to find the outcome).
    const err = await issue(bad.co.contactId, '2026-09', '2026-10-01T00:51:00Z').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/of null/);
    expect(await t.services.db.select().from(invoices).where(eq(invoices.companyId, bad.co.id))).toEqual([]);
    const after = await world('2026-09-21T09:00:00Z');
    const next = issued(await issue(after.co.contactId, '2026-09', '2026-10-01T00:52:00Z'));
    expect(Number(next.number.slice(-6))).toBe(Number(first.number.slice(-6)) + 1);
  });

  it('a contact numbered by another run after this run read its page is found under the counter lock: exists, no number taken; the rest numbered on without a gap', async () => {
    // ADR 0106: the check under the lock. On one connection no second process can come between
    // the read and the lock, so the page is read first and the other run numbers one contact then.
    const a = await world('2026-09-21T09:00:00Z');
    const b = await world('2026-09-21T09:00:00Z');
    const page = await chargesRepo.contactsOfRun(t.services.db, '2026-09', '2026-09-01', '2026-09-30', { ids: [a.co.contactId, b.co.contactId] });
    expect(page.map((c) => c.invoiced)).toEqual([false, false]);
    const other = issued(await issue(a.co.contactId, '2026-09', '2026-10-01T01:00:00Z'));
    const counter = async () => Number((await t.services.db.execute(sql`SELECT last_number FROM invoice_counters WHERE seller = 'INV'`)).rows[0].last_number);
    const before = await counter();
    expect(Number(other.number.slice(-6))).toBe(before);
    const run = (contacts: typeof page) => atTime(t, '2026-10-01T01:05:00Z', () => issueInvoices(t.services, '2026-09', contacts));
    expect(await run(page.filter((c) => c.id === a.co.contactId))).toEqual([{ outcome: 'exists' }]);
    expect(await counter()).toBe(before);
    const outcomes = await run(page);
    const byContact = new Map(page.map((c, i) => [c.id, outcomes[i]]));
    expect(byContact.get(a.co.contactId)).toEqual({ outcome: 'exists' });
    const fresh = byContact.get(b.co.contactId)!;
    expect(fresh).toMatchObject({ outcome: 'issued' });
    expect(Number((fresh as { number: string }).number.slice(-6))).toBe(before + 1);
    expect(await counter()).toBe(before + 1);
    expect((await t.services.db.select().from(invoices).where(eq(invoices.billingContactId, a.co.contactId))).map((r) => r.number)).toEqual([other.number]);
  });

  it('a buyer without a VAT ID has no VAT check; one with a second address line keeps it', async () => {
    const owner = await signUpVerified(t);
    const res = await atTime(t, '2026-09-21T09:00:00Z', async () => as(t, owner).post('/api/v1/companies', {
      name: 'Plain', paymentMethod: { token: (await as(t, null).post('/api/v1/payment-sandbox/tokens', { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' })).json().token },
      billingContact: { name: 'Plain Ltd', address: { line1: '1 Main St', line2: 'Suite 5', postalCode: '10001', city: 'New York', country: 'US' }, invoiceEmail: 'ap@plain.example', currency: 'USD' },
    }));
    expect(res.statusCode).toBe(201);
    const contacts = await as(t, owner).get(`/api/v1/companies/${res.json().id}/billing-contacts`);
    const co = { id: res.json().id, name: 'Plain', contactId: contacts.json().items[0].id };
    await atTime(t, '2026-09-21T09:00:00Z', () => bookApp(t, owner, co));
    const out = issued(await issue(co.contactId, '2026-09', '2026-10-01T00:40:00Z'));
    expect(out).toMatchObject({ vatValid: null, currency: 'USD' });
    const row = await invoiceRow(out.invoiceId);
    expect(row.buyer).toMatchObject({ vatNumber: null, vatCheck: null, address: { line2: 'Suite 5', country: 'US' }, countryName: 'United States' });
    const [event] = await eventsOf(co.id, 'invoice.issued');
    expect(event.details).toMatchObject({ tax: 'outside_eu' });
    expect(event.details).not.toHaveProperty('vatCheck');
  });
});

describe('upcoming charges (SPEC 4.8: per billing contact, the month so far and projected)', () => {
  it('lists the contacts by name; a contact whose terms begin tomorrow has nothing so far but its projected lines', async () => {
    const w = await world('2026-06-15T10:00:00Z');
    const url = `/api/v1/companies/${w.co.id}/billing-contacts`;
    const zeta = await atTime(t, '2026-06-15T10:00:00Z', async () => as(t, w.owner).post(url, { name: 'Zeta Ltd', address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' }, invoiceEmail: 'zeta@bakery.example', currency: 'EUR', paymentMethod: { token: (await as(t, null).post('/api/v1/payment-sandbox/tokens', { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' })).json().token } }));
    expect(zeta.statusCode).toBe(201);
    const alpha = await atTime(t, '2026-06-15T10:00:00Z', async () => as(t, w.owner).post(url, { name: 'Alpha AG', address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' }, invoiceEmail: 'alpha@bakery.example', currency: 'EUR', paymentMethod: { token: (await as(t, null).post('/api/v1/payment-sandbox/tokens', { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' })).json().token } }));
    await atTime(t, '2026-06-15T10:00:00Z', () => bookApp(t, w.owner, { ...w.co, contactId: zeta.json().id }));
    // The first App goes over to Alpha from tomorrow (as a handover does).
    const [app] = await t.services.db.select().from(apps).where(eq(apps.name, w.app));
    await inTransaction(t.services.db, async (tx) => {
      const batch = new WriteBatch(tx);
      changeBillingInBatch(batch, app.id, { billingContactId: alpha.json().id, currency: 'EUR', plan: SMALL_PLAN }, new Date('2026-06-15T10:00:00Z'));
      await batch.flush();
    });
    const res = await atTime(t, '2026-06-15T12:00:00Z', () => as(t, w.owner).get(`/api/v1/companies/${w.co.id}/upcoming-charges`));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.month).toBe('2026-06');
    expect(body.items.map((i: { billingContact: { name: string } }) => i.billingContact.name)).toEqual(['Alpha AG', 'Bakery Müller GmbH', 'Zeta Ltd']);
    const [a] = body.items;
    expect(a.lines).toEqual([]);
    expect(a.net).toEqual({ amount: 0, currency: 'EUR' });
    expect(a.projectedLines).toEqual([expect.objectContaining({ appName: w.app, fromDay: '2026-06-16', toDay: '2026-06-30', days: 15 })]);
    expect(a.projectedNet).toEqual({ amount: 800, currency: 'EUR' });
  });
});

describe('the language of an invoice (ADR 0094: taken when it is numbered, from the same people as the invoice mail)', () => {
  const german = async () => {
    const who = await signUpVerified(t);
    expect((await as(t, who).patch('/api/v1/me', { language: 'de' })).statusCode).toBe(200);
    return who;
  };
  const contactWith = (w: World, invoiceEmail: string) => atTime(t, '2024-03-10T09:00:00Z', async () => {
    const token = (await as(t, null).post('/api/v1/payment-sandbox/tokens', { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' })).json().token;
    const res = await as(t, w.owner).post(`/api/v1/companies/${w.co.id}/billing-contacts`, {
      name: `Contact of ${invoiceEmail}`, address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' }, invoiceEmail, currency: 'EUR', paymentMethod: { token },
    });
    expect(res.statusCode, res.body).toBe(201);
    await bookApp(t, w.owner, { ...w.co, contactId: res.json().id });
    return res.json().id as string;
  });
  const languageOf = async (contactId: string) => (await t.services.db.select().from(invoices).where(eq(invoices.billingContactId, contactId)))[0].language;

  it('the invoice e-mail\'s Account\'s language (in any letter case) before the first owner\'s; without one, the first owner\'s; each invoice of a page its own', async () => {
    const w = await world('2024-03-10T09:00:00Z');
    const bookkeeper = await german();
    const noAccount = `nobody-${Math.random().toString(36).slice(2, 8)}@languages.example`;
    const toBookkeeper = await contactWith(w, bookkeeper.email.toUpperCase());
    const toNobody = await contactWith(w, noAccount);
    // A German owner joins later: the first owner (English) still decides for an address without an Account.
    await atTime(t, '2024-03-11T09:00:00Z', async () => {
      const late = await german();
      await t.services.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO memberships (company_id, account_id, role, created_at) VALUES (${w.co.id}, ${late.id}, 'owner', ${new Date('2024-03-11T09:00:00Z')})`);
      });
    });
    const page = await chargesRepo.contactsOfRun(t.services.db, '2024-03', '2024-03-01', '2024-03-31', { ids: [w.co.contactId, toBookkeeper, toNobody] });
    const outcomes = await atTime(t, '2024-04-01T00:10:00Z', () => issueInvoices(t.services, '2024-03', page));
    expect(outcomes.map((o) => o.outcome)).toEqual(['issued', 'issued', 'issued']);
    expect(await languageOf(toBookkeeper)).toBe('de');
    expect(await languageOf(toNobody)).toBe('en');
    expect(await languageOf(w.co.contactId)).toBe('en');
  });

  it('a German first owner gives an address without an Account German; an English Account at the invoice e-mail keeps it English', async () => {
    const owner = await german();
    const co = await atTime(t, '2025-03-10T09:00:00Z', () => createCompany(t, owner));
    const w: World = { owner, co, app: await atTime(t, '2025-03-10T09:00:00Z', () => bookApp(t, owner, co)) };
    const english = await signUpVerified(t);
    const toEnglish = await atTime(t, '2025-03-10T09:00:00Z', async () => {
      const token = (await as(t, null).post('/api/v1/payment-sandbox/tokens', { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' })).json().token;
      const res = await as(t, owner).post(`/api/v1/companies/${co.id}/billing-contacts`, {
        name: 'English GmbH', address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' }, invoiceEmail: english.email, currency: 'EUR', paymentMethod: { token },
      });
      await bookApp(t, owner, { ...co, contactId: res.json().id });
      return res.json().id as string;
    });
    const page = await chargesRepo.contactsOfRun(t.services.db, '2025-03', '2025-03-01', '2025-03-31', { ids: [w.co.contactId, toEnglish] });
    await atTime(t, '2025-04-01T00:10:00Z', () => issueInvoices(t.services, '2025-03', page));
    // The factory's invoice e-mail (invoices@bakery.example) has no Account.
    expect(await languageOf(w.co.contactId)).toBe('de');
    expect(await languageOf(toEnglish)).toBe('en');
  });
});
