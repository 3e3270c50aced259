import { and, asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { activityEvents, apps, costRequests } from '../../../src/server/db/schema.js';
import { runCostRequestExpiry } from '../../../src/server/jobs/costRequestExpiry.js';
import { appsRepo } from '../../../src/server/modules/apps/repo.js';
import { MEDIUM_PLAN, SMALL_PLAN, addMember, bookApp, uniqueAppName } from '../../harness/factories.js';
import { startTestSmtp, type TestSmtp } from '../../harness/smtp.js';
import { as, createTestApp, mailsTo, signUpVerified, type TestApp } from '../../harness/testApp.js';
import { costWorld, deliver, mailsFor, type CostWorld } from './world.js';

/**
 * Issue 17 (SPEC 4.12): "ask me before the monthly cost goes up". In such a Company a scale
 * or booking by an admin that raises the monthly cost answers 202 {costRequest} and changes
 * nothing; an owner approves (the change is made then) or declines; the admin sees it pending
 * and is mailed the outcome; requests expire after 7 days.
 */
let smtp: TestSmtp;
let t: TestApp;
beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Dashboard <no-reply@dashboard.test>' } });
});
afterAll(async () => { await t?.close(); await smtp?.close(); });
// Time is frozen and moves only when a test moves it; back to the start after each test (docs/testing.md).
afterEach(() => { t?.clock.reset(); });

const base = (w: CostWorld) => `/api/v1/companies/${w.company.id}/cost-requests`;
const planOf = async (name: string) => (await appsRepo.byName(t.services.db, name))?.app.plan;

async function askScale(w: CostWorld, plan = MEDIUM_PLAN) {
  const app = await bookApp(t, w.owner, w.company, { plan: SMALL_PLAN });
  const res = await as(t, w.admin).put(`/api/v1/apps/${app}/plan`, { plan });
  return { app, res };
}

describe('the switch "ask me before the monthly cost goes up"', () => {
  it('is the owner\'s, shows on the Company and writes an activity event', async () => {
    const w = await costWorld(t);
    expect((await as(t, w.owner).get(`/api/v1/companies/${w.company.id}`)).json().requireCostApproval).toBe(false);
    for (const who of [w.admin, w.collaborator, w.accountant]) {
      expect((await as(t, who).patch(`/api/v1/companies/${w.company.id}`, { requireCostApproval: true })).statusCode).toBe(403);
    }
    const on = await as(t, w.owner).patch(`/api/v1/companies/${w.company.id}`, { requireCostApproval: true });
    expect(on.statusCode).toBe(200);
    expect(on.json().requireCostApproval).toBe(true);
    const events = (await as(t, w.owner).get(`/api/v1/companies/${w.company.id}/activity`)).json().items as { action: string; details: unknown }[];
    expect(events.find((e) => e.action === 'company.cost_approval_required')?.details).toEqual({ before: { requireCostApproval: false }, after: { requireCostApproval: true } });
    expect((await as(t, w.owner).patch(`/api/v1/companies/${w.company.id}`, { requireCostApproval: 'yes' })).statusCode).toBe(400);
  });
});

describe('cost requests', () => {
  it("answers an admin's dearer plan with 202 {costRequest}, changes nothing, and mails the owners", async () => {
    const w = await costWorld(t, { requireApproval: true });
    const { app, res } = await askScale(w);
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['costRequest']);
    expect(body.costRequest).toMatchObject({
      id: expect.any(String), kind: 'scale', appName: app, requestedBy: { firstName: 'Adam', lastName: 'Admin' },
      monthlyBefore: { amount: 1600, currency: 'EUR' }, monthlyAfter: { amount: 4200, currency: 'EUR' }, state: 'pending',
    });
    expect(new Date(body.costRequest.expiresAt).getTime() - new Date(body.costRequest.createdAt).getTime()).toBe(7 * 86_400_000);
    // The admin's view carries no VAT amounts (admins see billing contacts by name only).
    expect(body.costRequest.monthlyAfterWithVat).toBeUndefined();
    expect(await planOf(app)).toEqual(SMALL_PLAN);
    expect((await as(t, w.admin).get(`/api/v1/apps/${app}`)).json().plan).toEqual(SMALL_PLAN);
    await deliver(t);
    const [mail] = mailsFor(smtp, w.owner2.email, /asks you to approve/);
    expect(mail.subject).toBe(`Adam Admin asks you to approve a higher monthly cost for "${app}"`);
    expect(mail.text).toContain(`Monthly cost of "${app}" after the change: €42.00 excluding VAT, €49.98 including VAT.`);
    expect(mailsFor(smtp, w.owner2.email, new RegExp(`monthly cost of "${app}" went up`))).toHaveLength(0);
  });

  it('lets an owner or an admin scale down without asking, and an owner scale up without asking', async () => {
    const w = await costWorld(t, { requireApproval: true });
    const app = await bookApp(t, w.owner, w.company, { plan: MEDIUM_PLAN });
    expect((await as(t, w.admin).put(`/api/v1/apps/${app}/plan`, { plan: SMALL_PLAN })).statusCode).toBe(200);
    expect((await as(t, w.owner).put(`/api/v1/apps/${app}/plan`, { plan: MEDIUM_PLAN })).statusCode).toBe(200);
    expect((await as(t, w.owner).get(base(w))).json().items).toEqual([]);
  });

  it('lists all requests with VAT amounts for owners, only their own for the admin, nothing for others', async () => {
    const w = await costWorld(t, { requireApproval: true });
    const { app } = await askScale(w);
    const owners = await as(t, w.owner).get(base(w));
    expect(owners.statusCode).toBe(200);
    expect(owners.headers['cache-control']).toContain('no-store');
    expect(owners.json().items).toHaveLength(1);
    expect(owners.json().items[0]).toMatchObject({ appName: app, monthlyBeforeWithVat: { amount: 1904, currency: 'EUR' }, monthlyAfterWithVat: { amount: 4998, currency: 'EUR' } });
    const admin = await as(t, w.admin).get(`${base(w)}?state=pending`);
    expect(admin.json().items.map((i: { appName: string }) => i.appName)).toEqual([app]);
    expect(admin.json().items[0].monthlyAfterWithVat).toBeUndefined();
    // A second admin sees no one else's requests.
    const other = await signUpVerified(t);
    await addMember(t, w.company.id, other, 'admin');
    expect((await as(t, other).get(base(w))).json().items).toEqual([]);
    expect((await as(t, w.collaborator).get(base(w))).statusCode).toBe(403);
    expect((await as(t, w.accountant).get(base(w))).statusCode).toBe(403);
  });

  it('makes the change when an owner approves, mails the admin and the other owner, and records it', async () => {
    const w = await costWorld(t, { requireApproval: true });
    const { app, res } = await askScale(w);
    const id = res.json().costRequest.id;
    expect((await as(t, w.admin).post(`${base(w)}/${id}/approve`)).statusCode).toBe(403);
    const approved = await as(t, w.owner).post(`${base(w)}/${id}/approve`);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ id, state: 'approved', decidedAt: expect.any(String), monthlyAfterWithVat: { amount: 4998 } });
    expect(await planOf(app)).toEqual(MEDIUM_PLAN);
    await deliver(t);
    const [outcome] = mailsFor(smtp, w.admin.email, /^Approved:/);
    expect(outcome.subject).toBe(`Approved: your change to "${app}"`);
    expect(outcome.text).toContain(`Olga Owner approved your request: "${app}" now runs on the new plan.`);
    const [toOther] = mailsFor(smtp, w.owner2.email, new RegExp(`monthly cost of "${app}" went up`));
    expect(toOther.text).toContain('Adam Admin asked for this change; Olga Owner approved it.');
    expect(mailsFor(smtp, w.owner.email, new RegExp(`monthly cost of "${app}" went up`))).toHaveLength(0);
    const events = (await as(t, w.owner).get(`/api/v1/companies/${w.company.id}/activity?limit=200`)).json().items as { action: string; details: Record<string, unknown> }[];
    expect(events.find((e) => e.action === 'app.scaled')?.details).toMatchObject({ costRequestId: id, requestedBy: w.admin.id, cost: { monthlyBeforeCents: 1600, monthlyAfterCents: 4200 } });
    expect(events.find((e) => e.action === 'cost_request.approved')?.details).toMatchObject({ costRequestId: id, monthlyAfterCents: 4200 });
    expect(events.find((e) => e.action === 'cost_request.created')?.details).toMatchObject({ costRequestId: id, monthlyBeforeCents: 1600, monthlyAfterCents: 4200 });
    // Approving again: 409, nothing changes twice.
    const again = await as(t, w.owner2).post(`${base(w)}/${id}/approve`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('conflict');
  });

  it('books the App only when an owner approves a booking request', async () => {
    const w = await costWorld(t, { requireApproval: true });
    const name = uniqueAppName('ask');
    const res = await as(t, w.admin).post('/api/v1/apps', { name, region: 'eu1', companyId: w.company.id, billingContactId: w.company.contactId, plan: MEDIUM_PLAN });
    expect(res.statusCode).toBe(202);
    expect(res.json().costRequest).toMatchObject({ kind: 'book', appName: name, monthlyBefore: { amount: 0 }, monthlyAfter: { amount: 4200 }, planBefore: null, planAfter: MEDIUM_PLAN });
    expect(await appsRepo.byName(t.services.db, name)).toBeUndefined();
    // The same name again while it waits: 409.
    const twice = await as(t, w.admin).post('/api/v1/apps', { name, region: 'eu1', companyId: w.company.id, billingContactId: w.company.contactId, plan: MEDIUM_PLAN });
    expect(twice.statusCode).toBe(409);
    const approved = await as(t, w.owner2).post(`${base(w)}/${res.json().costRequest.id}/approve`);
    expect(approved.statusCode).toBe(200);
    const found = await appsRepo.byName(t.services.db, name);
    expect(found?.app).toMatchObject({ companyId: w.company.id, plan: MEDIUM_PLAN, status: 'active', createdBy: w.admin.id });
    const [row] = await t.services.db.select().from(costRequests).where(eq(costRequests.id, res.json().costRequest.id));
    expect(row.appId).toBe(found?.app.id);
    expect((await as(t, w.admin).get(`/api/v1/apps/${name}`)).statusCode).toBe(200);
  });

  it('refuses to approve a booking whose name was taken meanwhile (409, request stays pending)', async () => {
    const w = await costWorld(t, { requireApproval: true });
    const name = uniqueAppName('race');
    const res = await as(t, w.admin).post('/api/v1/apps', { name, region: 'eu1', companyId: w.company.id, billingContactId: w.company.contactId, plan: MEDIUM_PLAN });
    await bookApp(t, w.owner, w.company, { name, plan: SMALL_PLAN });
    const approved = await as(t, w.owner).post(`${base(w)}/${res.json().costRequest.id}/approve`);
    expect(approved.statusCode).toBe(409);
    expect(approved.json().code).toBe('app_name_taken');
    expect((await as(t, w.owner).get(base(w))).json().items[0].state).toBe('pending');
  });

  it('refuses to approve a scale when the plan changed since the request', async () => {
    const w = await costWorld(t, { requireApproval: true });
    const { app, res } = await askScale(w);
    expect((await as(t, w.owner).put(`/api/v1/apps/${app}/plan`, { plan: { ...SMALL_PLAN, storage: 'storage-50' } })).statusCode).toBe(200);
    const approved = await as(t, w.owner).post(`${base(w)}/${res.json().costRequest.id}/approve`);
    expect(approved.statusCode).toBe(409);
    expect(await planOf(app)).toEqual({ ...SMALL_PLAN, storage: 'storage-50' });
  });

  it('refuses to approve when the admin who asked is no longer a member (409), but lets an owner decline it', async () => {
    const w = await costWorld(t, { requireApproval: true });
    const { app, res } = await askScale(w);
    const id = res.json().costRequest.id;
    expect((await as(t, w.owner).delete(`/api/v1/companies/${w.company.id}/members/${w.admin.id}`)).statusCode).toBe(204);
    const approved = await as(t, w.owner).post(`${base(w)}/${id}/approve`);
    expect(approved.statusCode).toBe(409);
    expect(approved.json().detail).toContain('no longer an admin');
    expect(await planOf(app)).toEqual(SMALL_PLAN);
    expect((await as(t, w.owner).post(`${base(w)}/${id}/decline`)).statusCode).toBe(200);
  });

  it('changes nothing when an owner declines, and mails the admin', async () => {
    const w = await costWorld(t, { requireApproval: true });
    const { app, res } = await askScale(w);
    const id = res.json().costRequest.id;
    expect((await as(t, w.admin).post(`${base(w)}/${id}/decline`)).statusCode).toBe(403);
    const declined = await as(t, w.owner2).post(`${base(w)}/${id}/decline`);
    expect(declined.statusCode).toBe(200);
    expect(declined.json()).toMatchObject({ id, state: 'declined' });
    expect(await planOf(app)).toEqual(SMALL_PLAN);
    await deliver(t);
    const [mail] = mailsFor(smtp, w.admin.email, /^Declined:/);
    expect(mail.text).toContain(`Otto Owner declined your request to change "${app}" in "${w.company.name}". Nothing was changed.`);
    expect((await as(t, w.owner).post(`${base(w)}/${id}/approve`)).statusCode).toBe(409);
    expect((await as(t, w.admin).get(base(w))).json().items[0].state).toBe('declined');
  });

  it('declines the waiting requests of a Company that is deleted, so a booked name is free again', async () => {
    const w = await costWorld(t, { requireApproval: true });
    const name = uniqueAppName('gone');
    const asked = await as(t, w.admin).post('/api/v1/apps', { name, region: 'eu1', companyId: w.company.id, billingContactId: w.company.contactId, plan: MEDIUM_PLAN });
    expect(asked.statusCode).toBe(202);
    const id = asked.json().costRequest.id;
    const scale = await askScale(w);
    expect(scale.res.statusCode).toBe(202);
    const scaleId = scale.res.json().costRequest.id;
    const scaledAppId = (await appsRepo.byName(t.services.db, scale.app))?.app.id;
    expect((await as(t, w.owner).delete(`/api/v1/companies/${w.company.id}`)).statusCode).toBe(204);
    const [row] = await t.services.db.select().from(costRequests).where(eq(costRequests.id, id));
    expect(row).toMatchObject({ state: 'declined', decidedBy: w.owner.id });
    expect(row.decidedAt).not.toBeNull();
    // SPEC 5: each declined request is an App event, with the App when there is one (issue 10, Stryker on deleteCompany.ts).
    const declined = await t.services.db.select().from(activityEvents)
      .where(and(eq(activityEvents.companyId, w.company.id), eq(activityEvents.action, 'cost_request.declined'))).orderBy(asc(activityEvents.id));
    expect(declined.map((e) => ({ actorId: e.actorId, appId: e.appId, appName: e.appName, category: e.category, details: e.details }))
      .sort((a, b) => String(a.appName).localeCompare(String(b.appName)))).toEqual([
      { actorId: w.owner.id, appId: scaledAppId, appName: scale.app, category: 'app', details: { costRequestId: scaleId, kind: 'scale', requestedBy: w.admin.id, reason: 'company deleted' } },
      { actorId: w.owner.id, appId: null, appName: null, category: 'app', details: { costRequestId: id, kind: 'book', requestedBy: w.admin.id, reason: 'company deleted' } },
    ]);
    // Another Company asking for the same name is not told that one is waiting already.
    const other = await costWorld(t, { requireApproval: true });
    const again = await as(t, other.admin).post('/api/v1/apps', { name, region: 'eu1', companyId: other.company.id, billingContactId: other.company.contactId, plan: MEDIUM_PLAN });
    expect(again.statusCode).toBe(202);
  });

  it('expires a request after 7 days: it can no longer be approved, the job marks it once and mails the admin once', async () => {
    const w = await costWorld(t, { requireApproval: true });
    const { app, res } = await askScale(w);
    const id = res.json().costRequest.id;
    t.clock.advance(7 * 86_400_000 - 60_000);
    expect((await runCostRequestExpiry(t.services)).expired).toBe(0);
    t.clock.advance(60_000);
    expect((await as(t, w.owner).get(base(w))).json().items[0].state).toBe('expired');
    const late = await as(t, w.owner).post(`${base(w)}/${id}/approve`);
    expect(late.statusCode).toBe(409);
    expect(await planOf(app)).toEqual(SMALL_PLAN);
    const [first, second] = await Promise.all([runCostRequestExpiry(t.services), runCostRequestExpiry(t.services)]);
    expect(first.expired + second.expired).toBeGreaterThanOrEqual(1);
    expect((await runCostRequestExpiry(t.services)).expired).toBe(0);
    const [row] = await t.services.db.select().from(costRequests).where(eq(costRequests.id, id));
    expect(row.state).toBe('expired');
    const mails = await mailsTo(t.services.db, w.admin.email, 'cost-request-expired');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(`Expired: your change to "${app}"`);
    // The App's name is free for a new request again.
    expect((await as(t, w.admin).put(`/api/v1/apps/${app}/plan`, { plan: MEDIUM_PLAN })).statusCode).toBe(202);
  });

  it('has exactly one winner when approve, decline and a second approve race', async () => {
    const w = await costWorld(t, { requireApproval: true });
    for (let round = 0; round < 3; round++) {
      const { app, res } = await askScale(w);
      const id = res.json().costRequest.id;
      const answers = await Promise.all([
        as(t, w.owner).post(`${base(w)}/${id}/approve`),
        as(t, w.owner2).post(`${base(w)}/${id}/decline`),
        as(t, w.owner2).post(`${base(w)}/${id}/approve`),
      ]);
      const codes = answers.map((a) => a.statusCode);
      expect(codes.filter((c) => c === 200)).toHaveLength(1);
      expect(codes.filter((c) => c === 409)).toHaveLength(2);
      const winner = answers.find((a) => a.statusCode === 200)!.json();
      const [row] = await t.services.db.select().from(costRequests).where(eq(costRequests.id, id));
      expect(row.state).toBe(winner.state);
      const [appRow] = await t.services.db.select().from(apps).where(eq(apps.name, app));
      expect(appRow.plan).toEqual(winner.state === 'approved' ? MEDIUM_PLAN : SMALL_PLAN);
      expect((await mailsTo(t.services.db, w.admin.email)).filter((m) => m.kind.startsWith('cost-request-') && m.subject.includes(app))).toHaveLength(1);
    }
  });
});

describe('bad input', () => {
  it('answers unknown, foreign and odd ids with 404 or 400, never a 500', async () => {
    const w = await costWorld(t, { requireApproval: true });
    const stranger = await costWorld(t, { requireApproval: true });
    const { res } = await askScale(stranger);
    const foreignId = res.json().costRequest.id;
    for (const requestId of ['nope', foreignId, '%27%3B--', 'x'.repeat(100)]) {
      for (const verb of ['approve', 'decline']) {
        const r = await as(t, w.owner).post(`${base(w)}/${requestId}/${verb}`);
        expect(r.statusCode, `${verb} ${requestId}`).toBe(404);
        expect(r.json().code).toBe('not_found');
      }
    }
    expect((await as(t, w.owner).post(`${base(w)}/${'x'.repeat(101)}/approve`)).statusCode).toBe(400);
    expect((await as(t, w.owner).get(`/api/v1/companies/nope/cost-requests`)).statusCode).toBe(404);
    expect((await as(t, stranger.owner).get(base(w))).statusCode).toBe(404);
    expect((await as(t, w.owner).get(`${base(w)}?state=weird`)).statusCode).toBe(400);
    expect((await as(t, w.owner).get(`${base(w)}?cursor=garbage`)).statusCode).toBe(400);
    expect((await as(t, w.owner).get(`${base(w)}?limit=0`)).statusCode).toBe(400);
    expect((await as(t, w.owner).post(`${base(w)}/${foreignId}/approve`, { extra: 1 })).statusCode).toBeLessThan(500);
    expect((await as(t, null).get(base(w))).statusCode).toBe(401);
  });
});
