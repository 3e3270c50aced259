import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingPeriods, memberships } from '../../../src/server/db/schema.js';
import { addMember, bookApp, createCompany, createTrial } from '../../harness/factories.js';
import { as, createTestApp, mailsTo, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

const day = (offset: number) => { const d = t.clock.now(); d.setUTCDate(d.getUTCDate() + offset); return d.toISOString().slice(0, 10); };

async function team() {
  const owner = await signUpVerified(t, { firstName: 'Olga', lastName: 'Owner' });
  const co = await createCompany(t, owner, { name: `Team ${Math.random().toString(36).slice(2, 6)}` });
  const app = await bookApp(t, owner, co);
  const app2 = await bookApp(t, owner, co);
  const admin = await signUpVerified(t, { firstName: 'Adam', lastName: 'Admin' });
  const collab = await signUpVerified(t, { firstName: 'Cora', lastName: 'Collab' });
  const accountant = await signUpVerified(t, { firstName: 'Acco', lastName: 'Untant' });
  await addMember(t, co.id, admin, 'admin');
  await addMember(t, co.id, collab, 'collaborator', [app]);
  await addMember(t, co.id, accountant, 'accountant');
  return { owner, co, app, app2, admin, collab, accountant };
}

const roleOf = async (companyId: string, who: SignedIn) => {
  const [row] = await t.services.db.select().from(memberships).where(and(eq(memberships.companyId, companyId), eq(memberships.accountId, who.id)));
  return row?.role ?? null;
};

describe('changing roles (issue 5)', () => {
  it('owners change roles but never their own; admins only promote collaborators', async () => {
    const { owner, co, admin, collab, accountant, app, app2 } = await team();
    const own = await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${owner.id}`, { role: 'admin' });
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('own_role');
    expect((await as(t, admin).patch(`/api/v1/companies/${co.id}/members/${accountant.id}`, { role: 'admin' })).statusCode).toBe(403);
    expect((await as(t, admin).patch(`/api/v1/companies/${co.id}/members/${admin.id}`, { role: 'owner' })).json().code).toBe('own_role');
    const edited = await as(t, admin).patch(`/api/v1/companies/${co.id}/members/${collab.id}`, { role: 'collaborator', appNames: [app, app2] });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().appNames.sort()).toEqual([app, app2].sort());
    const promoted = await as(t, admin).patch(`/api/v1/companies/${co.id}/members/${collab.id}`, { role: 'admin' });
    expect(promoted.statusCode).toBe(200);
    expect(await roleOf(co.id, collab)).toBe('admin');
    expect((await as(t, collab).patch(`/api/v1/companies/${co.id}/members/${accountant.id}`, { role: 'admin' })).statusCode).toBe(403);
    const made = await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${accountant.id}`, { role: 'owner' });
    expect(made.statusCode).toBe(200);
    // Mails to all owners, the actor and the person affected.
    const mails = await mailsTo(t.services.db, accountant.email, 'team-change');
    expect(mails[0].textBody).toMatch(/changed your role .* from accountant to owner/);
    expect((await mailsTo(t.services.db, owner.email, 'team-change')).length).toBeGreaterThan(0);
    // Demoting the last other owner is fine while one owner remains; the last one is protected.
    expect((await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${accountant.id}`, { role: 'accountant' })).statusCode).toBe(200);
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const { owner, co, collab } = await team();
    for (const body of [{ role: 'boss' }, { role: 'admin', appNames: ['x'] }, { role: 'collaborator', appNames: ['no-such-app'] }, { role: 'admin', extra: 1 }]) {
      const res = await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${collab.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(await roleOf(co.id, collab)).toBe('collaborator');
    expect((await as(t, owner).patch(`/api/v1/companies/${co.id}/members/acc_unknown`, { role: 'admin' })).statusCode).toBe(404);
  });
});

describe('dismissing and leaving (issue 5)', () => {
  it('owners dismiss anyone but the last owner; admins dismiss admins and collaborators; it takes effect at once', async () => {
    const { owner, co, admin, collab, accountant, app } = await team();
    expect((await as(t, admin).delete(`/api/v1/companies/${co.id}/members/${accountant.id}`)).statusCode).toBe(403);
    expect((await as(t, admin).delete(`/api/v1/companies/${co.id}/members/${owner.id}`)).statusCode).toBe(403);
    expect((await as(t, collab).get(`/api/v1/apps/${app}`)).statusCode).toBe(200);
    expect((await as(t, admin).delete(`/api/v1/companies/${co.id}/members/${collab.id}`)).statusCode).toBe(204);
    // The very next request of the dismissed collaborator is refused.
    expect((await as(t, collab).get(`/api/v1/apps/${app}`)).statusCode).toBe(404);
    expect((await as(t, collab).get(`/api/v1/companies/${co.id}`)).statusCode).toBe(404);
    expect((await as(t, owner).delete(`/api/v1/companies/${co.id}/members/${admin.id}`)).statusCode).toBe(204);
    expect((await as(t, admin).get(`/api/v1/companies/${co.id}`)).statusCode).toBe(404);
    expect((await mailsTo(t.services.db, admin.email, 'team-change'))[0].textBody).toMatch(/removed you from/);
    const activity = (await as(t, owner).get(`/api/v1/companies/${co.id}/activity`)).json().items.map((e: { action: string }) => e.action);
    expect(activity.filter((a: string) => a === 'member.removed')).toHaveLength(2);
  });

  it('leaving needs the typed Company name; the last owner cannot leave', async () => {
    const { owner, co, admin } = await team();
    const wrong = await as(t, admin).post(`/api/v1/companies/${co.id}/leave`, { confirm: 'something else' });
    expect(wrong.statusCode).toBe(400);
    expect(await roleOf(co.id, admin)).toBe('admin');
    expect((await as(t, admin).post(`/api/v1/companies/${co.id}/leave`, { confirm: co.name })).statusCode).toBe(204);
    expect(await roleOf(co.id, admin)).toBeNull();
    const last = await as(t, owner).post(`/api/v1/companies/${co.id}/leave`, { confirm: co.name });
    expect(last.statusCode).toBe(409);
    expect(last.json().code).toBe('last_owner');
    expect(last.json().detail).toMatch(/Make another member owner first/);
    expect(await roleOf(co.id, owner)).toBe('owner');
    const outsider = await signUpVerified(t);
    expect((await as(t, outsider).post(`/api/v1/companies/${co.id}/leave`, { confirm: co.name })).statusCode).toBe(404);
  });
});

describe('moving an App between Companies (issue 5)', () => {
  it('an owner of both moves a non-trial App; billing cuts over by day; owners of both are mailed', async () => {
    const owner = await signUpVerified(t, { firstName: 'Two', lastName: 'Companies' });
    const a = await createCompany(t, owner, { name: 'Source Co' });
    const b = await createCompany(t, owner, { name: 'Target Co', currency: 'USD' });
    const app = await bookApp(t, owner, a);
    const coOwner = await signUpVerified(t);
    await addMember(t, b.id, coOwner, 'owner');
    const res = await as(t, owner).post(`/api/v1/apps/${app}/transfer`, { toCompanyId: b.id, billingContactId: b.contactId });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ company: { id: b.id }, monthlyPrice: { currency: 'USD' } });
    const { apps } = await import('../../../src/server/db/schema.js');
    const [row] = await t.services.db.select().from(apps).where(eq(apps.name, app));
    const periods = await t.services.db.select().from(billingPeriods).where(eq(billingPeriods.appId, row.id));
    expect(periods.find((p) => p.billingContactId === a.contactId)).toMatchObject({ toDay: day(0) });
    expect(periods.find((p) => p.billingContactId === b.contactId)).toMatchObject({ fromDay: day(1), toDay: null, currency: 'USD' });
    expect(await mailsTo(t.services.db, coOwner.email, 'app-transferred')).toHaveLength(1);
    const actions = async (id: string) => (await as(t, owner).get(`/api/v1/companies/${id}/activity`)).json().items.map((e: { action: string }) => e.action);
    expect(await actions(a.id)).toContain('app.transferred_out');
    expect(await actions(b.id)).toContain('app.transferred_in');
  });

  it('refuses trial Apps, blocked Companies, non-owners and foreign billing contacts', async () => {
    const owner = await signUpVerified(t, { firstName: 'Re', lastName: 'Fuse' });
    const a = await createCompany(t, owner);
    const b = await createCompany(t, owner);
    const trial = await createTrial(t, owner);
    const trialRes = await as(t, owner).post(`/api/v1/apps/${trial}/transfer`, { toCompanyId: b.id, billingContactId: b.contactId });
    expect(trialRes.statusCode).toBe(409);
    expect(trialRes.json().code).toBe('app_is_trial');
    const app = await bookApp(t, owner, a);
    expect((await as(t, owner).post(`/api/v1/apps/${app}/transfer`, { toCompanyId: b.id, billingContactId: a.contactId })).statusCode).toBe(400);
    const stranger = await signUpVerified(t);
    const c = await createCompany(t, stranger);
    expect((await as(t, owner).post(`/api/v1/apps/${app}/transfer`, { toCompanyId: c.id, billingContactId: c.contactId })).statusCode).toBe(404);
    const admin = await signUpVerified(t);
    await addMember(t, a.id, admin, 'admin');
    await addMember(t, b.id, admin, 'owner');
    expect((await as(t, admin).post(`/api/v1/apps/${app}/transfer`, { toCompanyId: b.id, billingContactId: b.contactId })).statusCode).toBe(403);
    await as(t, owner).patch(`/api/v1/companies/${a.id}`, { blockTransfersOut: true });
    const blocked = await as(t, owner).post(`/api/v1/apps/${app}/transfer`, { toCompanyId: b.id, billingContactId: b.contactId });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().code).toBe('transfers_blocked');
    expect((await as(t, owner).get(`/api/v1/apps/${app}`)).json().company.id).toBe(a.id);
  });
});

describe('deleting a Company mails its members (issue 5)', () => {
  it('every member gets a mail naming the Company and its deleted Apps', async () => {
    const { owner, co, app, admin, collab, accountant } = await team();
    const res = await as(t, owner).delete(`/api/v1/companies/${co.id}?confirm=${encodeURIComponent(co.name)}`);
    expect(res.statusCode).toBe(204);
    for (const who of [owner, admin, collab, accountant]) {
      const [mail] = await mailsTo(t.services.db, who.email, 'company-deleted');
      expect(mail, who.email).toBeDefined();
      expect(mail.subject).toContain(co.name);
      expect(mail.textBody).toContain(app);
    }
  });
});
