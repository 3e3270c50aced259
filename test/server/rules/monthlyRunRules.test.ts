import { asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingContacts, invoices } from '../../../src/server/db/schema.js';
import {
  checkMonthIsOver, FAILURES_LISTED, isDataError, MonthlyRunIncomplete, reasonOf, runMonth, type MonthlyRunSummary,
} from '../../../src/server/modules/billing/monthlyRun.js';
import { AppError } from '../../../src/server/shared/errors.js';
import { atTime } from '../../harness/billing.js';
import { bookApp, createCompany, type CompanyFixture } from '../../harness/factories.js';
import { createTestApp, signUpVerified, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 10 (Stryker on modules/billing/monthlyRun.ts): the monthly run of SPEC 4.8 and ADR 0106
 * asked one rule at a time (billing/batchRun.test.ts tells them as one story). A run sees every
 * contact with a period in its month, and a booked App's period stays open, so each test books in
 * a year EARLIER than the tests before it: the Apps of the tests above began later and are not in
 * its month, whichever of the tests Stryker runs.
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

const summaryOf = (month: string, at: string, opts: Parameters<typeof runMonth>[2] = {}) => atTime(t, at, () => runMonth(t.services, month, opts));
async function contacts(at: string, n: number, opts: { currency?: 'EUR' | 'USD' } = {}): Promise<CompanyFixture[]> {
  const owner = await signUpVerified(t);
  return atTime(t, at, async () => {
    const out: CompanyFixture[] = [];
    for (let i = 0; i < n; i++) {
      const co = await createCompany(t, owner, opts);
      await bookApp(t, owner, co);
      out.push(co);
    }
    return out;
  });
}
/** In the order of the run: by contact id, as the database sorts them. */
async function byId(cos: CompanyFixture[]): Promise<CompanyFixture[]> {
  const ids = (await t.services.db.select({ id: billingContacts.id }).from(billingContacts)
    .where(inArray(billingContacts.id, cos.map((c) => c.contactId))).orderBy(asc(billingContacts.id))).map((r) => r.id);
  return ids.map((id) => cos.find((c) => c.contactId === id)!);
}
const numbersOf = async (cos: CompanyFixture[], month: string) => Object.fromEntries((await t.services.db.select().from(invoices)
  .where(inArray(invoices.billingContactId, cos.map((c) => c.contactId)))).filter((i) => i.month === month).map((i) => [i.billingContactId, i.number]));
const seq = (n: string) => Number(n.slice(-6));
async function incomplete(run: Promise<unknown>): Promise<MonthlyRunIncomplete> {
  const err = await run.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(MonthlyRunIncomplete);
  return err as MonthlyRunIncomplete;
}

describe('which month may be invoiced, and how a failure reads (pure)', () => {
  it('a month is invoiced from the 1st of the next month on, and must be written YYYY-MM', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(() => checkMonthIsOver('2026-11', now)).not.toThrow();
    for (const [month, detail, message] of [
      ['2026-12', '2026-12 is not over yet (today is 2026-12-01 UTC); a month can be invoiced from the 1st of the next month on.', 'Not over yet.'],
      ['2027-01', '2027-01 is not over yet (today is 2026-12-01 UTC); a month can be invoiced from the 1st of the next month on.', 'Not over yet.'],
      ['2026-13', '"2026-13" is not a month; write it as YYYY-MM, such as 2026-11.', 'Use YYYY-MM.'],
      ['2026-1', '"2026-1" is not a month; write it as YYYY-MM, such as 2026-11.', 'Use YYYY-MM.'],
    ]) {
      let err: unknown;
      try { checkMonthIsOver(month, now); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: 'validation_failed', detail, errors: [{ path: 'month', message }] });
    }
    expect(() => checkMonthIsOver('2026-11', new Date('2026-11-30T23:59:59Z'))).toThrow(/not over yet/);
  });

  it('the reason of a failure: the database\'s message and SQLSTATE from the error or its causes, else the error in one line', () => {
    const db = Object.assign(new Error('value "2000000000" is out of range for type integer'), { code: '22003' });
    expect(reasonOf(db)).toBe('value "2000000000" is out of range for type integer [22003]');
    expect(reasonOf(new Error('Failed query: insert …', { cause: db }))).toBe('value "2000000000" is out of range for type integer [22003]');
    // Five levels deep at most.
    let deep: Error = db;
    for (let i = 0; i < 4; i++) deep = new Error(`wrapper ${i}`, { cause: deep });
    expect(reasonOf(deep)).toBe('value "2000000000" is out of range for type integer [22003]');
    expect(reasonOf(new Error('wrapper 4', { cause: deep }))).toBe('wrapper 4');
    // Not a SQLSTATE: a code of another form is no database code.
    expect(reasonOf(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe('no such file');
    expect(reasonOf(Object.assign(new Error('numeric'), { code: 22003 }))).toBe('numeric');
    expect(reasonOf(new TypeError('Cannot read properties of null (reading \'php\')'))).toBe('TypeError: Cannot read properties of null (reading \'php\')');
    expect(reasonOf(new Error('first line\nsecond line'))).toBe('first line');
    expect(reasonOf(new Error('x'.repeat(400)))).toBe('x'.repeat(300));
    expect(reasonOf('a string')).toBe('a string');
    expect(reasonOf(null)).toBe('null');
  });

  it('a data error is SQLSTATE class 22 or 23, from the error or its causes; a lost connection is none', () => {
    expect(isDataError(Object.assign(new Error('out of range'), { code: '22003' }))).toBe(true);
    expect(isDataError(Object.assign(new Error('unique'), { code: '23505' }))).toBe(true);
    expect(isDataError(new Error('wrapped', { cause: Object.assign(new Error('check'), { code: '23514' }) }))).toBe(true);
    expect(isDataError(Object.assign(new Error('serialization'), { code: '40001' }))).toBe(false);
    expect(isDataError(Object.assign(new Error('connection'), { code: '08006' }))).toBe(false);
    expect(isDataError(Object.assign(new Error('code 2'), { code: '02000' }))).toBe(false);
    expect(isDataError(Object.assign(new Error('code 3'), { code: '32000' }))).toBe(false);
    expect(isDataError(new Error('no code'))).toBe(false);
    expect(isDataError(new TypeError('Cannot read properties of null'))).toBe(false);
  });

  it('an incomplete run names the failed contacts, says when more failed than are listed, and counts the others', () => {
    const summary: MonthlyRunSummary = {
      month: '2026-10', contacts: 9, issued: 5, alreadyIssued: 1, noCharges: 0, totals: {}, firstNumber: null, lastNumber: null, vatInvalid: 0, failed: 3,
      failures: [{ billingContactId: 'bc_1', companyId: 'co_1', reason: 'one' }, { billingContactId: 'bc_2', companyId: 'co_2', reason: 'two' }],
    };
    const err = new MonthlyRunIncomplete(summary);
    expect(err.name).toBe('MonthlyRunIncomplete');
    expect(err.summary).toBe(summary);
    expect(err.message).toBe('3 of 9 billing contacts could not be invoiced for 2026-10: bc_1 (one); bc_2 (two); …. The other 6 invoices are issued; fix these contacts\' data and run the month again.');
    expect(new MonthlyRunIncomplete({ ...summary, failed: 2 }).message).toBe('2 of 9 billing contacts could not be invoiced for 2026-10: bc_1 (one); bc_2 (two). The other 6 invoices are issued; fix these contacts\' data and run the month again.');
    expect(FAILURES_LISTED).toBe(50);
  });
});

describe('the monthly run (SPEC 4.8, ADR 0106)', () => {
  it('refuses a month that is not over, before it reads anything', async () => {
    const err = await atTime(t, '2015-06-30T23:59:00Z', () => runMonth(t.services, '2015-06').then(() => null, (e: unknown) => e));
    expect(err).toMatchObject({ code: 'validation_failed', errors: [{ path: 'month', message: 'Not over yet.' }] });
  });

  it('issues every contact of the month once, in contact order, and sums them up: totals per currency, first and last number, VAT IDs that failed', async () => {
    const eur = await contacts('2014-05-10T09:00:00Z', 2);
    const [usd] = await contacts('2014-05-10T09:00:00Z', 1, { currency: 'USD' });
    // A VAT ID with the wrong checksum: charged the OSS rate, and counted.
    await t.services.db.update(billingContacts).set({ vatNumber: 'DE136695977' }).where(eq(billingContacts.id, eur[1].contactId));
    const all = await byId([...eur, usd]);
    const summary = await summaryOf('2014-05', '2014-06-01T00:10:00Z');
    const rows = await t.services.db.select().from(invoices).where(inArray(invoices.billingContactId, all.map((c) => c.contactId)));
    const total = (cur: string) => rows.filter((r) => r.currency === cur).reduce((s, r) => s + r.totalCents, 0);
    expect(total('EUR')).toBeGreaterThan(0);
    expect(total('USD')).toBeGreaterThan(0);
    const numbers = await numbersOf(all, '2014-05');
    const inOrder = all.map((c) => numbers[c.contactId]);
    expect(inOrder.map(seq)).toEqual([0, 1, 2].map((i) => seq(inOrder[0]) + i));
    expect(summary).toEqual({
      month: '2014-05', contacts: 3, issued: 3, alreadyIssued: 0, noCharges: 0, totals: { EUR: total('EUR'), USD: total('USD') },
      firstNumber: inOrder[0], lastNumber: inOrder[2], vatInvalid: 1, failed: 0, failures: [],
    });
    // Again: nothing new, nothing numbered.
    expect(await summaryOf('2014-05', '2014-06-01T01:00:00Z')).toEqual({
      month: '2014-05', contacts: 3, issued: 0, alreadyIssued: 3, noCharges: 0, totals: {}, firstNumber: null, lastNumber: null, vatInvalid: 0, failed: 0, failures: [],
    });
  });

  it('goes page after page to the last contact, and reports after every page', async () => {
    const cos = await byId(await contacts('2013-03-10T09:00:00Z', 5));
    const seen: number[] = [];
    const summary = await summaryOf('2013-03', '2013-04-01T00:10:00Z', { pageSize: 2, onProgress: (s) => { seen.push(s.contacts); } });
    expect(seen).toEqual([2, 4, 5]);
    expect(summary).toMatchObject({ contacts: 5, issued: 5, alreadyIssued: 0, failed: 0 });
    expect(Object.keys(await numbersOf(cos, '2013-03')).sort()).toEqual(cos.map((c) => c.contactId).sort());
    // A last page that is full: one more, empty, read ends the run.
    const again: number[] = [];
    expect(await summaryOf('2013-03', '2013-04-01T01:00:00Z', { pageSize: 5, onProgress: (s) => { again.push(s.contacts); } })).toMatchObject({ contacts: 5, alreadyIssued: 5, issued: 0 });
    expect(again).toEqual([5, 5]);
  });

  it('a contact whose row the database refuses, and one whose lines cannot be computed: both reported, nothing written for them, the others numbered without a gap', async () => {
    const cos = await byId(await contacts('2012-10-20T12:00:00Z', 5));
    // A price the invoice's total cannot hold (integer cents): the database refuses the row (22003);
    // the page is rolled back and goes again one contact at a time.
    await t.services.db.execute(sql`UPDATE billing_periods SET monthly_price_cents = 2000000000, from_day = '2012-10-01' WHERE billing_contact_id = ${cos[1].contactId}`);
    // A plan that is not one: the computation throws, the rest of its page stays one batch.
    await t.services.db.execute(sql`UPDATE billing_periods SET plan = 'null'::jsonb WHERE billing_contact_id = ${cos[3].contactId}`);
    const err = await incomplete(summaryOf('2012-10', '2012-11-01T00:10:00Z', { pageSize: 3 }));
    expect(err.summary).toMatchObject({ contacts: 5, issued: 3, alreadyIssued: 0, failed: 2 });
    expect(err.summary.failures).toEqual([
      { billingContactId: cos[1].contactId, companyId: cos[1].id, reason: expect.stringMatching(/out of range for type integer \[22003\]$/) },
      { billingContactId: cos[3].contactId, companyId: cos[3].id, reason: expect.stringMatching(/^TypeError: Cannot read properties of null/) },
    ]);
    expect(err.message).toMatch(new RegExp(`^2 of 5 billing contacts could not be invoiced for 2012-10: ${cos[1].contactId} \\(.*\\); ${cos[3].contactId} \\(TypeError`));
    const numbers = await numbersOf(cos, '2012-10');
    expect(Object.keys(numbers).sort()).toEqual([cos[0], cos[2], cos[4]].map((c) => c.contactId).sort());
    const good = [cos[0], cos[2], cos[4]].map((c) => seq(numbers[c.contactId]));
    expect(good).toEqual([good[0], good[0] + 1, good[0] + 2]);
    expect(err.summary).toMatchObject({ firstNumber: numbers[cos[0].contactId], lastNumber: numbers[cos[4].contactId] });
  });

  it('a page of one contact whose row the database refuses is that contact\'s failure, not the run\'s', async () => {
    const [co] = await contacts('2011-10-20T12:00:00Z', 1);
    await t.services.db.execute(sql`UPDATE billing_periods SET monthly_price_cents = 2000000000, from_day = '2011-10-01' WHERE billing_contact_id = ${co.contactId}`);
    const err = await incomplete(summaryOf('2011-10', '2011-11-01T00:10:00Z'));
    expect(err.summary).toMatchObject({ contacts: 1, issued: 0, failed: 1, failures: [{ billingContactId: co.contactId, reason: expect.stringMatching(/\[22003\]$/) }] });
    expect(await numbersOf([co], '2011-10')).toEqual({});
  });
});
