import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityEvents, billingContacts, invoices, scheduledRuns } from '../../../src/server/db/schema.js';
import { runDueMonthlyInvoices } from '../../../src/server/jobs/monthlyInvoiceRun.js';
import { billingCommand, IncompleteRunError } from '../../../src/server/cli/billingCommand.js';
import { MonthlyRunIncomplete, runMonth, type MonthlyRunSummary } from '../../../src/server/modules/billing/monthlyRun.js';
import { createTestApp, signUpVerified, type TestApp } from '../../harness/testApp.js';
import { bookApp, createCompany } from '../../harness/factories.js';
import { atTime } from '../../harness/billing.js';
import { countStatements, instrumentDatabase } from '../../harness/statements.js';
import { freshDatabase } from '../../harness/testDb.js';

/**
 * ADR 0106: the monthly run numbers a page of billing contacts in one transaction, and a
 * contact whose data cannot be made into an invoice is reported, never lost, and costs the
 * others nothing: no gap in the numbers, every other contact invoiced.
 */
let t: TestApp;
/** The billing contacts, in id order (the order of the run's pages and numbers). */
let contacts: { id: string; companyId: string }[];
const CONTACTS = 7;

beforeAll(async () => {
  t = await createTestApp({ database: instrumentDatabase(await freshDatabase()) });
  const owner = await signUpVerified(t);
  await atTime(t, '2026-10-20T12:00:00Z', async () => {
    for (let i = 0; i < CONTACTS; i++) await bookApp(t, owner, await createCompany(t, owner));
  });
  contacts = await t.services.db.select({ id: billingContacts.id, companyId: billingContacts.companyId }).from(billingContacts).orderBy(asc(billingContacts.id));
  expect(contacts).toHaveLength(CONTACTS);
});
afterAll(async () => { await t?.close(); });

const numbersOf = async (month: string) => Object.fromEntries((await t.services.db.select().from(invoices).where(eq(invoices.month, month)))
  .map((i) => [i.billingContactId, i.number]));
const counter = async () => Number((await t.services.db.execute(sql`SELECT last_number FROM invoice_counters WHERE seller = 'INV'`)).rows[0]?.last_number ?? 0);
/** A price the invoice's total cannot hold (integer cents: €21,474,836.47 at most): the database refuses the row (22003). */
const overflowPrice = (id: string) => t.services.db.execute(sql`UPDATE billing_periods SET monthly_price_cents = 2000000000, from_day = '2026-10-01' WHERE billing_contact_id = ${id}`);
/** A plan that is not one (the JSON null): the computation of the lines throws. */
const breakPlan = (id: string) => t.services.db.execute(sql`UPDATE billing_periods SET plan = 'null'::jsonb WHERE billing_contact_id = ${id}`);
let goodPlan: unknown;
const mendPlan = (id: string) => t.services.db.execute(sql`UPDATE billing_periods SET plan = ${JSON.stringify(goodPlan)}::jsonb WHERE billing_contact_id = ${id}`);

async function incomplete(run: Promise<unknown>): Promise<MonthlyRunSummary> {
  const err = await run.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(MonthlyRunIncomplete);
  return (err as MonthlyRunIncomplete).summary;
}

describe('the monthly run in pages, with contacts whose data is bad (ADR 0106)', () => {
  it('issues every good contact gaplessly, reports the bad ones by id and reason, and throws at the end', async () => {
    goodPlan = (await t.services.db.execute(sql`SELECT plan FROM billing_periods WHERE billing_contact_id = ${contacts[4].id}`)).rows[0].plan;
    await overflowPrice(contacts[1].id); // page 1 of 3: the page's write is refused, the page goes again one by one
    await breakPlan(contacts[4].id); // page 2: fails while computing, the rest of the page stays one batch
    const summary = await incomplete(atTime(t, '2026-11-01T00:10:00Z', () => runMonth(t.services, '2026-10', { pageSize: 3 })));
    expect(summary).toMatchObject({ contacts: CONTACTS, issued: 5, alreadyIssued: 0, noCharges: 0, failed: 2, firstNumber: 'INV-2026-000001', lastNumber: 'INV-2026-000005' });
    expect(summary.failures).toEqual([
      { billingContactId: contacts[1].id, companyId: contacts[1].companyId, reason: expect.stringMatching(/out of range for type integer \[22003\]$/) },
      { billingContactId: contacts[4].id, companyId: contacts[4].companyId, reason: expect.stringMatching(/^TypeError: Cannot read properties of null/) },
    ]);
    // Numbers in contact order, without the two, without a gap; nothing of the two was written.
    const good = [0, 2, 3, 5, 6].map((i) => contacts[i].id);
    expect(await numbersOf('2026-10')).toEqual(Object.fromEntries(good.map((id, n) => [id, `INV-2026-00000${n + 1}`])));
    expect(await counter()).toBe(5);
    const events = await t.services.db.select().from(activityEvents).where(eq(activityEvents.action, 'invoice.issued')).orderBy(asc(activityEvents.id));
    expect(events.map((e) => (e.details as { number: string }).number)).toEqual(['INV-2026-000001', 'INV-2026-000002', 'INV-2026-000003', 'INV-2026-000004', 'INV-2026-000005']);
  });

  it('once the data is mended, the same run issues just the two, numbered next', async () => {
    await t.services.db.execute(sql`UPDATE billing_periods SET monthly_price_cents = 1600, from_day = '2026-10-20' WHERE billing_contact_id = ${contacts[1].id}`);
    await mendPlan(contacts[4].id);
    const summary = await atTime(t, '2026-11-02T09:00:00Z', () => runMonth(t.services, '2026-10', { pageSize: 3 }));
    expect(summary).toMatchObject({ contacts: CONTACTS, issued: 2, alreadyIssued: 5, failed: 0, failures: [], firstNumber: 'INV-2026-000006', lastNumber: 'INV-2026-000007' });
    const numbers = await numbersOf('2026-10');
    expect([numbers[contacts[1].id], numbers[contacts[4].id]]).toEqual(['INV-2026-000006', 'INV-2026-000007']);
    expect(await counter()).toBe(7);
  });

  it('numbers a page in one transaction of five statements; a run with nothing left to do reads one page and writes nothing', async () => {
    const { result, count } = await countStatements(() => atTime(t, '2026-12-01T00:10:00Z', () => runMonth(t.services, '2026-11')));
    expect(result).toMatchObject({ contacts: CONTACTS, issued: CONTACTS, firstNumber: 'INV-2026-000008', lastNumber: 'INV-2026-000014' });
    // The page, its periods, its languages; BEGIN, the counter lock, the invoices under the lock, one write batch, COMMIT.
    expect(count.transactions, count.texts.join('\n')).toBe(1);
    expect(count.statements, count.texts.join('\n')).toBe(8);
    const again = await countStatements(() => atTime(t, '2026-12-01T00:20:00Z', () => runMonth(t.services, '2026-11')));
    expect(again.result).toMatchObject({ issued: 0, alreadyIssued: CONTACTS });
    expect(again.count.statements, again.count.texts.join('\n')).toBe(1);
  });

  it('the scheduler records an incomplete run and retries it a minute later; mended, the run is done', async () => {
    await breakPlan(contacts[2].id);
    const failed = await atTime(t, '2027-01-01T00:06:00Z', () => runDueMonthlyInvoices(t.services, 'p1').then(() => null, (e: unknown) => e));
    expect(failed).toBeInstanceOf(MonthlyRunIncomplete);
    const [row] = await t.services.db.select().from(scheduledRuns).where(eq(scheduledRuns.runKey, '2026-12'));
    expect(row).toMatchObject({ state: 'pending', attempts: 1 });
    expect(row.lastError).toContain(`1 of ${CONTACTS} billing contacts could not be invoiced for 2026-12: ${contacts[2].id} (TypeError: Cannot read properties of null`);
    expect(Object.keys(await numbersOf('2026-12'))).toHaveLength(CONTACTS - 1);
    await mendPlan(contacts[2].id);
    const done = await atTime(t, '2027-01-01T00:07:30Z', () => runDueMonthlyInvoices(t.services, 'p2'));
    expect(done).toMatchObject({ issued: 1, alreadyIssued: CONTACTS - 1, failed: 0 });
    expect((await t.services.db.select().from(scheduledRuns).where(eq(scheduledRuns.runKey, '2026-12')))[0]).toMatchObject({ state: 'done', lastError: null });
  });

  it('the operator command prints the summary with the failed contacts, then refuses to call it done', async () => {
    await breakPlan(contacts[3].id);
    const lines: string[] = [];
    const err = await atTime(t, '2027-02-01T08:00:00Z', () => billingCommand(['run', '--month', '2027-01'], t.services, (l) => lines.push(l)).then(() => null, (e: unknown) => e));
    expect(err).toBeInstanceOf(IncompleteRunError);
    expect((err as Error).message).toBe('Not complete: 1 billing contact of 2027-01 could not be invoiced (listed above). Fix their data and run the same command again: it issues only what is missing.');
    expect(lines).toContain('Done, but not complete: 2027-01.');
    expect(lines).toContain(`  Invoices issued now: ${CONTACTS - 1} (INV-2027-000022 to INV-2027-000027)`);
    expect(lines).toContain('  Billing contacts that could not be invoiced (nothing was written for them, no number taken): 1');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^    ${contacts[3].id} of Company ${contacts[3].companyId}: TypeError: Cannot read properties of null`)));
    await mendPlan(contacts[3].id);
  });
});
