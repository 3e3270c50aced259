import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endMembership } from '../../../src/server/modules/companies/ownership.js';
import { companiesRepo } from '../../../src/server/modules/companies/repo.js';
import { as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { onPostgres } from '../../harness/testDb.js';
import { addMember, createCompany, SMALL_PLAN, uniqueAppName } from '../../harness/factories.js';

/** Issue 3: requests racing on PostgreSQL with real parallel connections yield exactly one winner. */
describe.runIf(onPostgres)('races on PostgreSQL', () => {
  let t: TestApp;
  let users: SignedIn[];
  beforeAll(async () => {
    t = await createTestApp();
    users = await Promise.all(Array.from({ length: 8 }, () => signUpVerified(t)));
  });
  afterAll(async () => { await t?.close(); });

  const statuses = (responses: { statusCode: number; json(): { code?: string } }[]) =>
    responses.map((r) => (r.statusCode === 201 ? 201 : `${r.statusCode} ${r.json().code}`)).sort();

  it('one trial App per Account: ten parallel requests, one trial', async () => {
    const dev = users[0];
    const responses = await Promise.all(Array.from({ length: 10 }, () =>
      as(t, dev).post('/api/v1/apps', { name: uniqueAppName('race'), region: 'eu1', trial: true })));
    expect(statuses(responses)).toEqual([201, ...Array(9).fill('409 trial_limit')]);
    const rows = await t.services.db.execute(sql`SELECT count(*)::int AS n FROM apps WHERE trial_account_id = ${dev.id} AND status = 'trial'`);
    expect(Number((rows.rows[0] as { n: number }).n)).toBe(1);
  });

  it('App names are unique: eight Accounts race for one name, one gets it', async () => {
    const name = uniqueAppName('same');
    const responses = await Promise.all(users.map((u) => as(t, u).post('/api/v1/apps', { name, region: 'eu1', trial: true })));
    const created = responses.filter((r) => r.statusCode === 201);
    expect(created).toHaveLength(1);
    for (const r of responses.filter((x) => x.statusCode !== 201)) {
      // An Account whose own trial slot is taken may get trial_limit; every other loser gets app_name_taken.
      expect(['app_name_taken', 'trial_limit']).toContain(r.json().code);
    }
    expect(responses.filter((r) => r.statusCode === 409 && r.json().code === 'app_name_taken').length).toBeGreaterThanOrEqual(6);
    const rows = await t.services.db.execute(sql`SELECT count(*)::int AS n FROM apps WHERE name = ${name}`);
    expect(Number((rows.rows[0] as { n: number }).n)).toBe(1);
  });

  it('booked App names race the same way', async () => {
    const company = await createCompany(t, users[1]);
    const name = uniqueAppName('booked');
    const responses = await Promise.all(Array.from({ length: 8 }, () => as(t, users[1]).post('/api/v1/apps', {
      name, region: 'eu1', companyId: company.id, billingContactId: company.contactId, plan: SMALL_PLAN,
    })));
    expect(statuses(responses)).toEqual([201, ...Array(7).fill('409 app_name_taken')]);
  });

  it('the last two owners leaving at once: one leaves, the other stays as the last owner', async () => {
    for (let round = 0; round < 5; round++) {
      const company = await createCompany(t, users[2]);
      await addMember(t, company.id, users[3], 'owner');
      const results = await Promise.allSettled([users[2], users[3]].map((u) =>
        t.services.db.transaction((tx) => endMembership(tx, company.id, u.id))));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(failed.reason).toMatchObject({ code: 'last_owner' });
      const owners = await t.services.db.transaction((tx) => companiesRepo.countOwnersExcept(tx, company.id, 'nobody'));
      expect(owners).toBe(1);
    }
  });

  it('deleting a Company while Apps are booked into it neither deadlocks nor leaves a live App behind', async () => {
    for (let round = 0; round < 5; round++) {
      const company = await createCompany(t, users[4]);
      await addMember(t, company.id, users[5], 'admin');
      const bookings = Array.from({ length: 4 }, () => as(t, users[5]).post('/api/v1/apps', {
        name: uniqueAppName('del'), region: 'eu1', companyId: company.id, billingContactId: company.contactId, plan: SMALL_PLAN,
      }));
      const [deleted, ...booked] = await Promise.all([as(t, users[4]).delete(`/api/v1/companies/${company.id}`), ...bookings]);
      expect(deleted.statusCode).toBe(204);
      for (const r of booked) expect([201, 404]).toContain(r.statusCode);
      const live = await t.services.db.execute(sql`SELECT count(*)::int AS n FROM apps WHERE company_id = ${company.id} AND status <> 'deleted'`);
      expect(Number((live.rows[0] as { n: number }).n)).toBe(0);
    }
  });
});
