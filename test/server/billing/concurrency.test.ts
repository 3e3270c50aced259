import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/server/db/client.js';
import { invoices } from '../../../src/server/db/schema.js';
import { runMonth } from '../../../src/server/modules/billing/monthlyRun.js';
import { createTestApp, signUpVerified, type TestApp } from '../../harness/testApp.js';
import { bookApp, createCompany } from '../../harness/factories.js';
import { atTime } from '../../harness/billing.js';
import { onPostgres } from '../../harness/testDb.js';

/** Issue 12: two processes run the same month at once on PostgreSQL → one invoice per contact, gapless numbers. */
describe.runIf(onPostgres)('two concurrent monthly runs on PostgreSQL (issue 12)', () => {
  let t: TestApp;
  let second: Database;
  const CONTACTS = 24;

  beforeAll(async () => {
    t = await createTestApp();
    const owner = await signUpVerified(t);
    await atTime(t, '2026-10-05T12:00:00Z', async () => {
      for (let i = 0; i < CONTACTS; i++) await bookApp(t, owner, await createCompany(t, owner));
    });
    // A second process: its own pool on the same database.
    second = await openDatabase({ databaseUrl: (t.database.pool as unknown as { options: { connectionString: string } }).options.connectionString, poolSize: 5 });
  });
  afterAll(async () => { await second?.close(); await t?.close(); });

  it('issues each invoice once and leaves no gap in the numbers', async () => {
    const other = { ...t.services, db: second.db };
    const summaries = await atTime(t, '2026-11-01T00:06:00Z', () => Promise.all([
      runMonth(t.services, '2026-10', { pageSize: 5 }), runMonth(other, '2026-10', { pageSize: 7 }),
      runMonth(t.services, '2026-10', { pageSize: 3 }),
    ]));
    expect(summaries.reduce((s, r) => s + r.issued, 0)).toBe(CONTACTS);
    for (const s of summaries) expect(s.issued + s.alreadyIssued).toBe(CONTACTS);
    const rows = await t.services.db.select().from(invoices);
    expect(rows).toHaveLength(CONTACTS);
    expect(new Set(rows.map((r) => r.billingContactId)).size).toBe(CONTACTS);
    const numbers = rows.map((r) => Number(r.number.slice(-6))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: CONTACTS }, (_, i) => i + 1));
    const counter = await t.services.db.execute(sql`SELECT last_number FROM invoice_counters`);
    expect(Number((counter.rows[0] as { last_number: number }).last_number)).toBe(CONTACTS);
  });

  it('the same pages at once in two processes (ADR 0106): each page numbered by one, the other finds it issued under the lock', async () => {
    const other = { ...t.services, db: second.db };
    const summaries = await atTime(t, '2026-12-01T00:06:00Z', () => Promise.all([
      runMonth(t.services, '2026-11', { pageSize: 6 }), runMonth(other, '2026-11', { pageSize: 6 }), runMonth(other, '2026-11', { pageSize: 6 }),
    ]));
    expect(summaries.reduce((s, r) => s + r.issued, 0)).toBe(CONTACTS);
    for (const s of summaries) expect(s.issued + s.alreadyIssued).toBe(CONTACTS);
    const rows = await t.services.db.select().from(invoices).where(eq(invoices.month, '2026-11'));
    expect(new Set(rows.map((r) => r.billingContactId)).size).toBe(CONTACTS);
    expect(rows.map((r) => Number(r.number.slice(-6))).sort((a, b) => a - b)).toEqual(Array.from({ length: CONTACTS }, (_, i) => CONTACTS + i + 1));
    const counter = await t.services.db.execute(sql`SELECT last_number FROM invoice_counters`);
    expect(Number((counter.rows[0] as { last_number: number }).last_number)).toBe(2 * CONTACTS);
  });
});
