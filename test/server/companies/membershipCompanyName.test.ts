import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, bookApp, createCompany, createTrial } from '../../harness/factories.js';
import { acceptWithNewCompany, inviteClient, renewed, signUpClient } from '../../harness/handover.js';
import { as, createTestApp, signUpVerified, uniqueEmail, type TestApp } from '../../harness/testApp.js';

/**
 * ADR 0117: the Company's name and deletion are kept on each membership by triggers, so the
 * lists read one index. The copy must never differ from the Company: checked after every
 * step, through the lists people see and in the tables themselves.
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

/** Memberships whose copy of the Company differs from the Company row. */
async function drift(): Promise<unknown[]> {
  const result = await t.services.db.execute(sql`
    SELECT m.company_id, m.account_id, m.company_name, c.name, m.company_deleted, c.deleted_at
    FROM memberships m JOIN companies c ON c.id = m.company_id
    WHERE m.company_name <> c.name OR m.company_deleted <> (c.deleted_at IS NOT NULL)`);
  return result.rows;
}

describe('the Company name on memberships (ADR 0117)', () => {
  it('follows a rename into my Companies and my Apps, for every member', async () => {
    const owner = await signUpVerified(t);
    const admin = await signUpVerified(t);
    const company = await createCompany(t, owner, { name: 'Bäckerei Alt' });
    const app = await bookApp(t, owner, company);
    await addMember(t, company.id, admin, 'admin');
    expect(await drift()).toEqual([]);
    for (const who of [owner, admin]) {
      expect((await as(t, who).get('/api/v1/companies')).json().items).toContainEqual({ id: company.id, name: 'Bäckerei Alt', role: who === owner ? 'owner' : 'admin' });
    }

    expect((await as(t, owner).patch(`/api/v1/companies/${company.id}`, { name: 'Bäckerei Neu' })).statusCode).toBe(200);
    expect(await drift()).toEqual([]);
    for (const who of [owner, admin]) {
      const companies = (await as(t, who).get('/api/v1/companies')).json().items as { id: string; name: string }[];
      expect(companies.find((c) => c.id === company.id)?.name).toBe('Bäckerei Neu');
      const apps = (await as(t, who).get('/api/v1/apps')).json().items as { name: string; company: { name: string } | null }[];
      expect(apps.find((a) => a.name === app)?.company?.name).toBe('Bäckerei Neu');
    }
  });

  it('a handover into a new Company writes its name on both memberships (the Company is written in the same statement)', async () => {
    const dev = await signUpVerified(t);
    const app = await createTrial(t, dev);
    const email = uniqueEmail('client');
    const { token } = await inviteClient(t, dev, app, email);
    const client = await signUpClient(t, token, email);
    const accepted = await acceptWithNewCompany(t, client, token, 'Blumen Schmidt');
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(await drift()).toEqual([]);
    for (const [who, role] of [[renewed(client, accepted), 'owner'], [dev, 'admin']] as const) {
      const items = (await as(t, who).get('/api/v1/companies')).json().items as { name: string; role: string }[];
      expect(items).toContainEqual(expect.objectContaining({ name: 'Blumen Schmidt', role }));
    }
  });

  it('other changes to the Company leave the memberships alone', async () => {
    const owner = await signUpVerified(t);
    const company = await createCompany(t, owner, { name: 'Settings GmbH' });
    const before = await t.services.db.execute(sql`SELECT xmin::text AS x FROM memberships WHERE company_id = ${company.id}`);
    expect((await as(t, owner).patch(`/api/v1/companies/${company.id}`, { blockTransfersOut: true })).statusCode).toBe(200);
    const after = await t.services.db.execute(sql`SELECT xmin::text AS x FROM memberships WHERE company_id = ${company.id}`);
    expect(after.rows).toEqual(before.rows);
  });

  it('a deleted Company leaves both lists', async () => {
    const owner = await signUpVerified(t);
    const company = await createCompany(t, owner, { name: 'Gone Soon' });
    const app = await bookApp(t, owner, company);
    const deleted = await as(t, owner).delete(`/api/v1/companies/${company.id}?confirm=${encodeURIComponent('Gone Soon')}`);
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(await drift()).toEqual([]);
    expect((await as(t, owner).get('/api/v1/companies')).json().items.map((c: { id: string }) => c.id)).not.toContain(company.id);
    expect((await as(t, owner).get('/api/v1/apps')).json().items.map((a: { name: string }) => a.name)).not.toContain(app);
  });

  it('a Company marked deleted behind the code is left out of the lists even with memberships still there', async () => {
    const owner = await signUpVerified(t);
    const company = await createCompany(t, owner, { name: 'Marked' });
    await t.services.db.execute(sql`UPDATE companies SET deleted_at = now() WHERE id = ${company.id}`);
    expect(await drift()).toEqual([]);
    expect((await as(t, owner).get('/api/v1/companies')).json().items.map((c: { id: string }) => c.id)).not.toContain(company.id);
    await t.services.db.execute(sql`UPDATE companies SET deleted_at = NULL WHERE id = ${company.id}`);
    expect(await drift()).toEqual([]);
    expect((await as(t, owner).get('/api/v1/companies')).json().items.map((c: { id: string }) => c.id)).toContain(company.id);
  });

  it('a membership cannot be given another name than its Company\'s', async () => {
    const owner = await signUpVerified(t);
    const company = await createCompany(t, owner, { name: 'The Real Name' });
    await t.services.db.execute(sql`UPDATE memberships SET company_name = 'Forged', company_deleted = true WHERE company_id = ${company.id}`);
    expect(await drift()).toEqual([]);
    expect((await as(t, owner).get('/api/v1/companies')).json().items).toContainEqual({ id: company.id, name: 'The Real Name', role: 'owner' });
  });
});
