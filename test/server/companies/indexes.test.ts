import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db/client.js';
import { activityRepo } from '../../../src/server/modules/activity/repo.js';
import { appsRepo } from '../../../src/server/modules/apps/repo.js';
import { billingRepo } from '../../../src/server/modules/billing/repo.js';
import { companiesRepo } from '../../../src/server/modules/companies/repo.js';
import { createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { freshDatabase, onPostgres } from '../../harness/testDb.js';
import { countStatements, instrumentDatabase } from '../../harness/statements.js';
import { bookApp, createCompany, type CompanyFixture } from '../../harness/factories.js';

/**
 * SPEC section 6: every list is paginated and served by an index. The repos' own SQL is
 * captured and explained on PostgreSQL with sequential scans disabled: the plan must name
 * the index that serves it. The statements are captured at the driver (test/harness/statements.ts),
 * so named prepared statements sent past Drizzle are seen too.
 */
describe.runIf(onPostgres)('list queries are served by indexes', () => {
  let t: TestApp;
  let owner: SignedIn;
  let company: CompanyFixture;
  let spy: Db;

  beforeAll(async () => {
    t = await createTestApp({ database: instrumentDatabase(await freshDatabase()) });
    owner = await signUpVerified(t);
    company = await createCompany(t, owner);
    await bookApp(t, owner, company);
    spy = t.services.db;
  });
  afterAll(async () => { await t?.close(); });

  async function planOf(run: () => Promise<unknown>): Promise<string> {
    const { count } = await countStatements(run);
    expect(count.statements).toBeGreaterThanOrEqual(1);
    const captured = count.queries.slice(-1); // the last statement is the list itself
    const client = await t.database.pool!.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const plan = await client.query(`EXPLAIN ${captured[0].text}`, captured[0].values);
      await client.query('ROLLBACK');
      const text = plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
      if (process.env.SHOW_PLANS) console.log(text);
      return text;
    } finally {
      client.release();
    }
  }

  it('my Companies: memberships_account_list_idx, without the Companies (ADR 0117)', async () => {
    for (const after of [null, 'co_x']) {
      const plan = await planOf(() => companiesRepo.listForAccount(spy, owner.id, after, 501));
      expect(plan).toContain('Index Only Scan using memberships_account_list_idx');
      expect(plan).not.toContain('companies');
    }
  });

  it('members of a Company: the memberships primary key (company_id, account_id)', async () => {
    expect(await planOf(() => companiesRepo.members(spy, company.id, null, 501))).toMatch(/memberships_pkey|memberships_company_role_idx/);
    // The members page with the caller's own access (issue 14): both by the primary key.
    const withAccess = await planOf(() => companiesRepo.membersForCaller(spy, owner.id, company.id, null, 501));
    expect(withAccess).toMatch(/memberships_company_id_account_id_pk|memberships_company_role_idx/);
    expect(withAccess).toContain('memberships_account_idx');
    expect(await planOf(() => companiesRepo.membersForCaller(spy, owner.id, company.id, 'acc_x', 501))).toContain('memberships_company_id_account_id_pk');
  });

  it('activity: activity_company_idx, also filtered for accountants', async () => {
    expect(await planOf(() => activityRepo.page(spy, company.id, { kind: 'all' }, 1000, 51))).toContain('activity_company');
    expect(await planOf(() => activityRepo.page(spy, company.id, { kind: 'billing' }, null, 51))).toContain('activity_company');
  });

  it('my Apps and billing contacts', async () => {
    const apps = await planOf(() => appsRepo.mine(spy, owner.id, null, 501));
    expect(apps).toMatch(/memberships_account_(list_)?idx/);
    expect(apps).toContain('apps_company_name_idx');
    const next = await planOf(() => appsRepo.mine(spy, owner.id, JSON.stringify([company.id, 'a']), 501));
    expect(next).toContain('apps_company_name_idx');
    expect(await planOf(() => billingRepo.contacts(spy, company.id, null, 501))).toMatch(/billing_contacts_(company_idx|id_company_key|pkey)/);
  });
});
