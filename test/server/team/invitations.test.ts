import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships } from '../../../src/server/db/schema.js';
import { addMember, bookApp, createCompany, type CompanyFixture } from '../../harness/factories.js';
import { latestTeamToken } from '../../harness/team.js';
import { onPostgres } from '../../harness/testDb.js';
import { as, cookiesOf, createTestApp, mailsTo, ORIGIN, signUpVerified, uniqueEmail, type SignedIn, type TestApp } from '../../harness/testApp.js';

let t: TestApp;
let owner: SignedIn;
let co: CompanyFixture;
let app1: string;
beforeAll(async () => {
  t = await createTestApp();
  owner = await signUpVerified(t, { firstName: 'Olivia', lastName: 'Owner' });
  co = await createCompany(t, owner, { name: 'Team Co' });
  app1 = await bookApp(t, owner, co);
});
afterAll(async () => { await t?.close(); });

const invite = (who: SignedIn, body: Record<string, unknown>) => as(t, who).post(`/api/v1/companies/${co.id}/invitations`, body);

describe('team invitations (issue 5)', () => {
  it('an owner invites a collaborator for an App; the invitee signs in with the invited e-mail and accepts', async () => {
    const member = await signUpVerified(t, { firstName: 'Colin', lastName: 'Collab' });
    const res = await invite(owner, { email: member.email.toUpperCase(), role: 'collaborator', appNames: [app1] });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email: member.email, role: 'collaborator', appNames: [app1], state: 'pending', invitedBy: { firstName: 'Olivia' } });
    const [mail] = await mailsTo(t.services.db, member.email, 'team-invitation');
    expect(mail.subject).toContain('Team Co');
    expect(mail.textBody).toContain('a collaborator');
    const token = await latestTeamToken(t, member.email);
    const lookup = await as(t, null).post('/api/v1/invitations/lookup', { token });
    expect(lookup.json()).toMatchObject({ kind: 'team', state: 'pending', role: 'collaborator', company: { name: 'Team Co' }, appNames: [app1] });
    const accepted = await as(t, member).post('/api/v1/invitations/accept', { token });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toEqual({ company: { id: co.id, name: 'Team Co' } });
    const renewedCookie = cookiesOf(accepted).split('; ').filter((c) => c.includes('session_token')).join('; ');
    const m2 = { ...member, cookie: renewedCookie };
    expect((await as(t, m2).get(`/api/v1/companies/${co.id}`)).json().role).toBe('collaborator');
    expect((await as(t, m2).get(`/api/v1/apps/${app1}`)).statusCode).toBe(200);
    expect(await mailsTo(t.services.db, owner.email, 'team-joined')).toHaveLength(1);
    // Once a member, re-inviting is refused with a clear message.
    const again = await invite(owner, { email: member.email, role: 'admin' });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/already a member/);
  });

  it('keeps within the matrix: admins invite admins and collaborators only; collaborators and accountants invite nobody', async () => {
    const admin = await signUpVerified(t, { firstName: 'Ada', lastName: 'Admin' });
    const collab = await signUpVerified(t);
    const accountant = await signUpVerified(t);
    await addMember(t, co.id, admin, 'admin');
    await addMember(t, co.id, collab, 'collaborator', [app1]);
    await addMember(t, co.id, accountant, 'accountant');
    expect((await invite(admin, { email: uniqueEmail(), role: 'admin' })).statusCode).toBe(201);
    expect((await invite(admin, { email: uniqueEmail(), role: 'collaborator', appNames: [app1] })).statusCode).toBe(201);
    for (const role of ['owner', 'accountant']) {
      const res = await invite(admin, { email: uniqueEmail(), role });
      expect(res.statusCode, role).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    expect((await invite(collab, { email: uniqueEmail(), role: 'collaborator', appNames: [app1] })).statusCode).toBe(403);
    expect((await invite(accountant, { email: uniqueEmail(), role: 'collaborator', appNames: [app1] })).statusCode).toBe(403);
    const outsider = await signUpVerified(t);
    expect((await invite(outsider, { email: uniqueEmail(), role: 'admin' })).statusCode).toBe(404);
    expect((await as(t, accountant).get(`/api/v1/companies/${co.id}/invitations`)).statusCode).toBe(403);
    expect((await as(t, admin).get(`/api/v1/companies/${co.id}/invitations`)).statusCode).toBe(200);
  });

  it('refuses bad input with 400 and stable codes, and duplicates with invitation_pending_exists', async () => {
    for (const body of [
      { email: 'not-an-email', role: 'admin' },
      { email: uniqueEmail(), role: 'superuser' },
      { email: uniqueEmail(), role: 'collaborator' },
      { email: uniqueEmail(), role: 'admin', appNames: [app1] },
      { email: uniqueEmail(), role: 'collaborator', appNames: ['no-such-app'] },
      { email: uniqueEmail(), role: 'admin', companyId: 'other' },
    ]) {
      const res = await invite(owner, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
    const email = uniqueEmail();
    expect((await invite(owner, { email, role: 'admin' })).statusCode).toBe(201);
    const dup = await invite(owner, { email, role: 'collaborator', appNames: [app1] });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('invitation_pending_exists');
  });

  it('resend rotates the token, revoke kills it, expired ones stay listed and can be resent', async () => {
    const email = uniqueEmail('rot');
    const created = (await invite(owner, { email, role: 'admin' })).json();
    const first = await latestTeamToken(t, email);
    expect((await as(t, owner).post(`/api/v1/companies/${co.id}/invitations/${created.id}/resend`)).statusCode).toBe(200);
    const second = await latestTeamToken(t, email);
    expect(second).not.toBe(first);
    expect((await as(t, null).post('/api/v1/invitations/lookup', { token: first })).statusCode).toBe(404);
    t.clock.advance(t.services.config.teamInvitationTtlMs + 1000);
    try {
      const listed = (await as(t, owner).get(`/api/v1/companies/${co.id}/invitations`)).json().items.find((i: { id: string }) => i.id === created.id);
      expect(listed.state).toBe('expired');
      expect((await as(t, owner).post(`/api/v1/companies/${co.id}/invitations/${created.id}/resend`)).statusCode).toBe(200);
    } finally {
      t.clock.reset();
    }
    const third = await latestTeamToken(t, email);
    expect((await as(t, owner).delete(`/api/v1/companies/${co.id}/invitations/${created.id}`)).statusCode).toBe(204);
    expect((await as(t, null).post('/api/v1/invitations/lookup', { token: third })).json().state).toBe('revoked');
  });

  it('the invitee may sign up from the link (a verified developer Account) and accept', async () => {
    const email = uniqueEmail('newdev');
    await invite(owner, { email, role: 'admin' });
    const token = await latestTeamToken(t, email);
    const signUp = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/sign-up', headers: { origin: ORIGIN }, payload: { token, password: 'a developer joins the team', firstName: 'New', lastName: 'Dev' } });
    expect(signUp.statusCode).toBe(201);
    const newDev = { id: signUp.json().accountId, email, cookie: cookiesOf(signUp) };
    expect((await as(t, newDev).get('/api/v1/me')).json()).toMatchObject({ accountType: 'developer', emailVerified: true, newsletter: false });
    expect((await as(t, newDev).post('/api/v1/invitations/accept', { token })).statusCode).toBe(200);
  });

  it('refuses the wrong and unverified Accounts', async () => {
    const email = uniqueEmail('right');
    await invite(owner, { email, role: 'admin' });
    const token = await latestTeamToken(t, email);
    const stranger = await signUpVerified(t);
    const res = await as(t, stranger).post('/api/v1/invitations/accept', { token });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('email_mismatch');
    expect((await as(t, stranger).get(`/api/v1/companies/${co.id}`)).statusCode).toBe(404);
  });
});

describe.runIf(onPostgres)('team invitation races (PostgreSQL)', () => {
  it('accepting one invitation twice in parallel makes one membership', async () => {
    const member = await signUpVerified(t);
    await invite(owner, { email: member.email, role: 'admin' });
    const token = await latestTeamToken(t, member.email);
    const results = await Promise.all(Array.from({ length: 10 }, () => as(t, member).post('/api/v1/invitations/accept', { token })));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    const rows = await t.services.db.select().from(memberships).where(and(eq(memberships.companyId, co.id), eq(memberships.accountId, member.id)));
    expect(rows).toHaveLength(1);
  });
});
