import { drizzle } from 'drizzle-orm/node-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db/client.js';
import * as schema from '../../../src/server/db/schema.js';
import { activityRepo } from '../../../src/server/modules/activity/repo.js';
import { appsRepo } from '../../../src/server/modules/apps/repo.js';
import { billingRepo } from '../../../src/server/modules/billing/repo.js';
import { companiesRepo } from '../../../src/server/modules/companies/repo.js';
import { createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { onPostgres } from '../../harness/testDb.js';
import { bookApp, createCompany, type CompanyFixture } from '../../harness/factories.js';

/**
 * SPEC section 6: every list is paginated and served by an index. The repos' own SQL is
 * captured and explained on PostgreSQL with sequential scans disabled: the plan must name
 * the index that serves it.
 */
describe.runIf(onPostgres)('list queries are served by indexes', () => {
  let t: TestApp;
  let owner: SignedIn;
  let company: CompanyFixture;
  const captured: { query: string; params: unknown[] }[] = [];
  let spy: Db;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUpVerified(t);
    company = await createCompany(t, owner);
    await bookApp(t, owner, company);
    spy = drizzle(t.database.pool!, { schema, logger: { logQuery: (query, params) => { captured.push({ query, params }); } } }) as unknown as Db;
  });
  afterAll(async () => { await t?.close(); });

  async function planOf(run: () => Promise<unknown>): Promise<string> {
    captured.length = 0;
    await run();
    expect(captured.length).toBeGreaterThanOrEqual(1);
    captured.splice(0, captured.length - 1); // the last statement is the list itself
    const client = await t.database.pool!.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const plan = await client.query(`EXPLAIN ${captured[0].query}`, captured[0].params as unknown[]);
      await client.query('ROLLBACK');
      return plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    } finally {
      client.release();
    }
  }

  it('my Companies: memberships_account_idx', async () => {
    expect(await planOf(() => companiesRepo.listForAccount(spy, owner.id, null, 501))).toContain('memberships_account_idx');
    expect(await planOf(() => companiesRepo.listForAccount(spy, owner.id, 'co_x', 501))).toContain('memberships_account_idx');
  });

  it('members of a Company: the memberships primary key (company_id, account_id)', async () => {
    expect(await planOf(() => companiesRepo.members(spy, company.id, null, 501))).toMatch(/memberships_pkey|memberships_company_role_idx/);
  });

  it('activity: activity_company_idx, also filtered for accountants', async () => {
    expect(await planOf(() => activityRepo.page(spy, company.id, { kind: 'all' }, 1000, 51))).toContain('activity_company');
    expect(await planOf(() => activityRepo.page(spy, company.id, { kind: 'billing' }, null, 51))).toContain('activity_company');
  });

  it('my Apps and billing contacts', async () => {
    const apps = await planOf(() => appsRepo.mine(spy, owner.id, null, 501));
    expect(apps).toContain('memberships_account_idx');
    expect(apps).toContain('apps_company_name_idx');
    expect(await planOf(() => billingRepo.contacts(spy, company.id, null, 501))).toMatch(/billing_contacts_(company_idx|id_company_key|pkey)/);
  });
});
