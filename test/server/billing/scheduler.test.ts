import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoices, scheduledRuns } from '../../../src/server/db/schema.js';
import { MONTHLY_RUN_JOB, runDueMonthlyInvoices } from '../../../src/server/jobs/monthlyInvoiceRun.js';
import { LEASE_MS } from '../../../src/server/jobs/scheduledRun.js';
import { createTestApp, signUpVerified, type TestApp } from '../../harness/testApp.js';
import { bookApp, createCompany } from '../../harness/factories.js';
import { atTime } from '../../harness/billing.js';

/** Issue 12: the monthly run happens by itself, once among any number of processes (ADR 0037). */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const owner = await signUpVerified(t);
  await atTime(t, '2026-10-20T12:00:00Z', async () => {
    for (let i = 0; i < 3; i++) await bookApp(t, owner, await createCompany(t, owner));
  });
});
afterAll(async () => { await t?.close(); });

describe('the monthly run scheduler (issue 12)', () => {
  it('waits until 00:05 UTC on the 1st', async () => {
    expect(await atTime(t, '2026-11-01T00:04:59Z', () => runDueMonthlyInvoices(t.services, 'p1'))).toBeNull();
    expect(await t.services.db.select().from(scheduledRuns)).toEqual([]);
  });

  it('runs the month that ended once among several processes, and never again', async () => {
    const results = await atTime(t, '2026-11-01T00:06:00Z', () => Promise.all(['p1', 'p2', 'p3'].map((p) => runDueMonthlyInvoices(t.services, p))));
    const ran = results.filter((r) => r !== null);
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({ month: '2026-10', issued: 3 });
    const [row] = await t.services.db.select().from(scheduledRuns);
    expect(row).toMatchObject({ job: MONTHLY_RUN_JOB, runKey: '2026-10', state: 'done', attempts: 1, result: expect.objectContaining({ issued: 3 }) });
    const later = await atTime(t, '2026-11-01T01:00:00Z', () => runDueMonthlyInvoices(t.services, 'p2'));
    expect(later).toBeNull();
    expect((await t.services.db.select().from(invoices)).length).toBe(3);
  });

  it('lets another process finish a run whose claimer died (the lease runs out), issuing nothing twice', async () => {
    // A claim of November by a process that crashed right after claiming.
    await t.services.db.execute(sql`INSERT INTO scheduled_runs (job, run_key, state, claimed_by, lease_until, attempts, created_at)
      VALUES (${MONTHLY_RUN_JOB}, '2026-11', 'pending', 'dead', ${new Date(Date.parse('2026-12-01T00:06:00Z') + LEASE_MS)}, 1, ${new Date('2026-12-01T00:06:00Z')})`);
    expect(await atTime(t, '2026-12-01T00:10:00Z', () => runDueMonthlyInvoices(t.services, 'p2'))).toBeNull();
    const taken = await atTime(t, '2026-12-01T00:17:00Z', () => runDueMonthlyInvoices(t.services, 'p2'));
    expect(taken).toMatchObject({ month: '2026-11', issued: 3 });
    const numbers = (await t.services.db.select({ n: invoices.number }).from(invoices)).map((r) => r.n).sort();
    expect(numbers).toEqual(['INV-2026-000001', 'INV-2026-000002', 'INV-2026-000003', 'INV-2026-000004', 'INV-2026-000005', 'INV-2026-000006']);
  });
});
