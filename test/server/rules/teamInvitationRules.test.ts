import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../../src/server/db/client.js';
import { activityEvents, collaboratorApps, invitations, memberships } from '../../../src/server/db/schema.js';
import { addMember, bookApp, createCompany, uniqueAppName, type CompanyFixture } from '../../harness/factories.js';
import { inviteClient } from '../../harness/handover.js';
import { queuedBehind } from '../../harness/locks.js';
import { onPostgres } from '../../harness/testDb.js';
import { beforeNextTransaction } from '../../harness/seams.js';
import { latestTeamToken } from '../../harness/team.js';
import { as, createTestApp, mailsTo, PUBLIC_URL, signUpVerified, uniqueEmail, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 10 (Stryker on modules/invitations, the team side): the rules of SPEC 3 and 4.6 the
 * mutation run showed unguarded — who sees which invitations, which invitation an action
 * may touch, the state an action needs, the moment an invitation expires, and what the
 * accept does besides the membership.
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

interface Team { owner: SignedIn; co: CompanyFixture; app1: string; app2: string; admin: SignedIn; collab: SignedIn; accountant: SignedIn }

async function team(): Promise<Team> {
  const owner = await signUpVerified(t, { firstName: 'Olivia', lastName: 'Owner' });
  const co = await createCompany(t, owner, { name: `Invite ${Math.random().toString(36).slice(2, 6)}` });
  const app1 = await bookApp(t, owner, co, { name: uniqueAppName('zz') });
  const app2 = await bookApp(t, owner, co, { name: uniqueAppName('aa') });
  const admin = await signUpVerified(t, { firstName: 'Ada', lastName: 'Admin' });
  const collab = await signUpVerified(t, { firstName: 'Cole', lastName: 'Collab' });
  const accountant = await signUpVerified(t, { firstName: 'Acco', lastName: 'Untant' });
  await addMember(t, co.id, admin, 'admin');
  await addMember(t, co.id, collab, 'collaborator', [app1]);
  await addMember(t, co.id, accountant, 'accountant');
  return { owner, co, app1, app2, admin, collab, accountant };
}

const invite = (who: SignedIn, co: CompanyFixture, body: Record<string, unknown>) => as(t, who).post(`/api/v1/companies/${co.id}/invitations`, body);
const listed = async (who: SignedIn, co: CompanyFixture) => (await as(t, who).get(`/api/v1/companies/${co.id}/invitations`));
const eventsOf = (companyId: string) =>
  t.services.db.select().from(activityEvents).where(eq(activityEvents.companyId, companyId)).orderBy(asc(activityEvents.id));
const stateOf = async (id: string) => (await t.services.db.select().from(invitations).where(eq(invitations.id, id)))[0].state;

describe('an invitation as created and listed (SPEC 4.6)', () => {
  it('expires exactly the configured time after it was sent; the Apps are sorted and only collaborators have them', async () => {
    const { owner, co, app1, app2 } = await team();
    const now = t.clock.now();
    const res = await invite(owner, co, { email: uniqueEmail('c'), role: 'collaborator', appNames: [app1, app2, app1] });
    expect(res.statusCode).toBe(201);
    // Ids are opaque with a prefix for people reading logs (src/server/shared/ids.ts).
    expect(res.json().id).toMatch(/^inv_[A-Za-z0-9_-]{22}$/);
    expect(res.json()).toMatchObject({
      role: 'collaborator', appNames: [app2, app1], state: 'pending', invitedBy: { firstName: 'Olivia', lastName: 'Owner' },
      createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + t.services.config.teamInvitationTtlMs).toISOString(),
    });
    const admin = await invite(owner, co, { email: uniqueEmail('a'), role: 'admin' });
    expect(admin.json()).not.toHaveProperty('appNames');
    t.clock.advance(t.services.config.teamInvitationTtlMs - 1000);
    try {
      const item = (await listed(owner, co)).json().items.find((i: { id: string }) => i.id === res.json().id);
      expect(item.state).toBe('pending');
    } finally {
      t.clock.reset();
    }
  });

  it('the invitation mail names the role, the Apps and the inviter; the refused ones name why', async () => {
    const { owner, co, app1, admin } = await team();
    const email = uniqueEmail('mail');
    await invite(owner, co, { email, role: 'collaborator', appNames: [app1] });
    const [mail] = await mailsTo(t.services.db, email, 'team-invitation');
    expect(mail.subject).toBe(`Olivia Owner invites you to join "${co.name}" on the Dashboard`);
    expect(mail.textBody).toContain(`Apps: ${app1}`);
    const none = await invite(owner, co, { email: uniqueEmail(), role: 'collaborator', appNames: [] });
    expect(none.json()).toMatchObject({ code: 'validation_failed', detail: 'Choose at least one App the collaborator will work on.', errors: [{ path: 'appNames', message: 'Choose at least one App.' }] });
    const extra = await invite(owner, co, { email: uniqueEmail(), role: 'accountant', appNames: [app1] });
    expect(extra.json()).toMatchObject({ detail: 'Only collaborators get a list of Apps; owners, admins and accountants see the whole Company.', errors: [{ path: 'appNames', message: 'Only for collaborators.' }] });
    const unknown = await invite(owner, co, { email: uniqueEmail(), role: 'collaborator', appNames: [app1, 'no-such-app', 'nor-this'] });
    expect(unknown.json()).toMatchObject({ detail: 'Not an App of this Company: no-such-app, nor-this.', errors: [{ path: 'appNames' }] });
    const member = await invite(owner, co, { email: admin.email.toUpperCase(), role: 'admin' });
    expect(member.statusCode).toBe(409);
    expect(member.json().detail).toBe(`${admin.email} is already a member of "${co.name}". Change their role on the team list instead.`);
  });

  it('a collaborator sees only the invitations of co-workers on her Apps; accountants none (403, recorded)', async () => {
    const { owner, co, app1, app2, collab, accountant } = await team();
    const mine = (await invite(owner, co, { email: uniqueEmail('mine'), role: 'collaborator', appNames: [app1, app2] })).json();
    const other = (await invite(owner, co, { email: uniqueEmail('other'), role: 'collaborator', appNames: [app2] })).json();
    const anAdmin = (await invite(owner, co, { email: uniqueEmail('adm'), role: 'admin' })).json();
    const seen = (await listed(collab, co)).json().items.map((i: { id: string }) => i.id);
    expect(seen).toEqual([mine.id]);
    const all = (await listed(owner, co)).json().items.map((i: { id: string }) => i.id);
    expect(all).toEqual([mine.id, other.id, anAdmin.id]);
    const refused = await listed(accountant, co);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toBe('Accountants see the members, not the pending invitations.');
    const [event] = (await eventsOf(co.id)).filter((e) => e.outcome === 'refused').reverse();
    expect(event).toMatchObject({ action: 'company.view', category: 'member', actorId: accountant.id, details: { what: 'invitations', role: 'accountant' } });
  });

  it('accepted invitations leave the list; revoked and declined ones stay with their state', async () => {
    const { owner, co } = await team();
    const joiner = await signUpVerified(t);
    const joined = (await invite(owner, co, { email: joiner.email, role: 'admin' })).json();
    expect((await as(t, joiner).post('/api/v1/invitations/accept', { token: await latestTeamToken(t, joiner.email) })).statusCode).toBe(200);
    const revoked = (await invite(owner, co, { email: uniqueEmail('rev'), role: 'admin' })).json();
    expect((await as(t, owner).delete(`/api/v1/companies/${co.id}/invitations/${revoked.id}`)).statusCode).toBe(204);
    const items = (await listed(owner, co)).json().items as { id: string; state: string }[];
    expect(items.map((i) => i.id)).not.toContain(joined.id);
    expect(items.find((i) => i.id === revoked.id)?.state).toBe('revoked');
  });
});

describe('which invitation an action may touch, and in which state (SPEC 4.6)', () => {
  it('another Company\'s invitation and a client invitation are not found through this Company', async () => {
    const a = await team();
    const b = await team();
    const foreign = (await invite(b.owner, b.co, { email: uniqueEmail('b'), role: 'admin' })).json();
    // B's owner, also an owner of A, asks for B's invitation through A.
    await addMember(t, a.co.id, b.owner, 'owner');
    for (const [method, url] of [['post', `/api/v1/companies/${a.co.id}/invitations/${foreign.id}/resend`], ['delete', `/api/v1/companies/${a.co.id}/invitations/${foreign.id}`]] as const) {
      const res = method === 'post' ? await as(t, b.owner).post(url) : await as(t, b.owner).delete(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({ code: 'not_found', detail: 'This invitation does not exist or you cannot see it.' });
    }
    expect(await stateOf(foreign.id)).toBe('pending');
    const { invitation } = await inviteClient(t, a.owner, a.app1, uniqueEmail('client'));
    expect((await as(t, a.owner).delete(`/api/v1/companies/${a.co.id}/invitations/${invitation.id}`)).statusCode).toBe(404);
    expect((await as(t, a.owner).post(`/api/v1/companies/${a.co.id}/invitations/${invitation.id}/resend`)).statusCode).toBe(404);
    expect(await stateOf(invitation.id)).toBe('pending');
  });

  it('an admin cannot resend or revoke an owner\'s or accountant\'s invitation', async () => {
    const { owner, co, admin } = await team();
    for (const role of ['owner', 'accountant']) {
      const inv = (await invite(owner, co, { email: uniqueEmail(role), role })).json();
      expect((await as(t, admin).post(`/api/v1/companies/${co.id}/invitations/${inv.id}/resend`)).statusCode, role).toBe(403);
      expect((await as(t, admin).delete(`/api/v1/companies/${co.id}/invitations/${inv.id}`)).statusCode, role).toBe(403);
      expect(await stateOf(inv.id)).toBe('pending');
    }
  });

  it('a revoked or declined invitation is neither resent nor revoked again; resend to someone who joined meanwhile is refused', async () => {
    const { owner, co } = await team();
    const inv = (await invite(owner, co, { email: uniqueEmail('gone'), role: 'admin' })).json();
    expect((await as(t, owner).delete(`/api/v1/companies/${co.id}/invitations/${inv.id}`)).statusCode).toBe(204);
    const again = await as(t, owner).delete(`/api/v1/companies/${co.id}/invitations/${inv.id}`);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe('This invitation was already revoked.');
    const resend = await as(t, owner).post(`/api/v1/companies/${co.id}/invitations/${inv.id}/resend`);
    expect(resend.statusCode).toBe(409);
    expect(resend.json().detail).toBe('This invitation was revoked; send a new one instead.');

    const decliner = uniqueEmail('decl');
    const declined = (await invite(owner, co, { email: decliner, role: 'admin' })).json();
    expect((await as(t, null).post('/api/v1/invitations/decline', { token: await latestTeamToken(t, decliner) })).statusCode).toBe(204);
    expect((await as(t, owner).post(`/api/v1/companies/${co.id}/invitations/${declined.id}/resend`)).json().detail).toBe('This invitation was declined; send a new one instead.');

    const late = await signUpVerified(t);
    const pending = (await invite(owner, co, { email: late.email, role: 'admin' })).json();
    await addMember(t, co.id, late, 'accountant');
    const toMember = await as(t, owner).post(`/api/v1/companies/${co.id}/invitations/${pending.id}/resend`);
    expect(toMember.statusCode).toBe(409);
    expect(toMember.json().detail).toBe(`${late.email} is already a member.`);
  });

  it('an expired invitation is not resent while a newer one to the same address is open (one open invitation per person)', async () => {
    const { owner, co } = await team();
    const email = uniqueEmail('twice');
    const old = (await invite(owner, co, { email, role: 'admin' })).json();
    t.clock.advance(t.services.config.teamInvitationTtlMs + 1000);
    try {
      const newer = (await invite(owner, co, { email, role: 'accountant' })).json();
      expect(await stateOf(old.id)).toBe('expired');
      const res = await as(t, owner).post(`/api/v1/companies/${co.id}/invitations/${old.id}/resend`);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'invitation_pending_exists', detail: `${email} already has another open invitation. Revoke it first.` });
      expect(await stateOf(old.id)).toBe('expired');
      expect(await stateOf(newer.id)).toBe('pending');
    } finally {
      t.clock.reset();
    }
  });

  it('a resent invitation gets a fresh expiry and is recorded', async () => {
    const { owner, co } = await team();
    const email = uniqueEmail('again');
    const inv = (await invite(owner, co, { email, role: 'admin' })).json();
    t.clock.advance(60_000);
    try {
      const res = await as(t, owner).post(`/api/v1/companies/${co.id}/invitations/${inv.id}/resend`);
      expect(res.json().expiresAt).toBe(new Date(t.clock.now().getTime() + t.services.config.teamInvitationTtlMs).toISOString());
      expect(res.json().state).toBe('pending');
    } finally {
      t.clock.reset();
    }
  });
});

describe('accepting a team invitation (SPEC 4.6)', () => {
  const NOT_OPEN = 'This invitation is no longer open: it was used, withdrawn, sent again with a new link, or has expired.';
  const membershipOf = async (companyId: string, who: SignedIn) =>
    t.services.db.select().from(memberships).where(and(eq(memberships.companyId, companyId), eq(memberships.accountId, who.id)));

  it('the accepted invitation records who accepted it and when', async () => {
    const { owner, co } = await team();
    const person = await signUpVerified(t);
    const inv = (await invite(owner, co, { email: person.email, role: 'admin' })).json();
    expect((await as(t, person).post('/api/v1/invitations/accept', { token: await latestTeamToken(t, person.email) })).statusCode).toBe(200);
    const [row] = await t.services.db.select().from(invitations).where(eq(invitations.id, inv.id));
    expect(row).toMatchObject({ state: 'accepted', acceptedBy: person.id, decidedAt: t.clock.now() });
  });

  it('resent between the check and the transaction: the old link is refused at commit (SPEC 5: checked again at commit), no membership', async () => {
    const { owner, co } = await team();
    const person = await signUpVerified(t);
    const inv = (await invite(owner, co, { email: person.email, role: 'admin' })).json();
    const oldToken = await latestTeamToken(t, person.email);
    const reached = beforeNextTransaction(t, async () => {
      expect((await as(t, owner).post(`/api/v1/companies/${co.id}/invitations/${inv.id}/resend`)).statusCode).toBe(200);
    });
    const res = await as(t, person).post('/api/v1/invitations/accept', { token: oldToken });
    expect(reached()).toBe(true);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'invitation_invalid', reason: 'not_open', detail: NOT_OPEN });
    expect(await membershipOf(co.id, person)).toEqual([]);
    expect(await stateOf(inv.id)).toBe('pending');
  });

  it('the clock passing the expiry between the check and the transaction refuses the accept (expiry checked again at commit)', async () => {
    const { owner, co } = await team();
    const person = await signUpVerified(t);
    const inv = (await invite(owner, co, { email: person.email, role: 'admin' })).json();
    const token = await latestTeamToken(t, person.email);
    const [row] = await t.services.db.select().from(invitations).where(eq(invitations.id, inv.id));
    const reached = beforeNextTransaction(t, async () => { t.clock.set(new Date(row.expiresAt.getTime() + 1000)); });
    try {
      const res = await as(t, person).post('/api/v1/invitations/accept', { token });
      expect(reached()).toBe(true);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'invitation_invalid', reason: 'not_open' });
      expect(await membershipOf(co.id, person)).toEqual([]);
    } finally {
      t.clock.reset();
    }
  });

  it('a new owner is not told that she joined; the owners before her are', async () => {
    const { owner, co } = await team();
    const person = await signUpVerified(t);
    await invite(owner, co, { email: person.email, role: 'owner' });
    expect((await as(t, person).post('/api/v1/invitations/accept', { token: await latestTeamToken(t, person.email) })).statusCode).toBe(200);
    expect(await mailsTo(t.services.db, person.email, 'team-joined')).toHaveLength(0);
    expect(await mailsTo(t.services.db, owner.email, 'team-joined')).toHaveLength(1);
  });

  it('a deleted App is not offered to a collaborator (its name is no App of the Company)', async () => {
    const { owner, co, app2 } = await team();
    expect((await as(t, owner).delete(`/api/v1/apps/${app2}`)).statusCode).toBe(204);
    const res = await invite(owner, co, { email: uniqueEmail('gone'), role: 'collaborator', appNames: [app2] });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toBe(`Not an App of this Company: ${app2}.`);
  });

  it('someone who became a member meanwhile is told so, and the invitation stays open', async () => {
    const { owner, co } = await team();
    const person = await signUpVerified(t);
    const inv = (await invite(owner, co, { email: person.email, role: 'admin' })).json();
    const token = await latestTeamToken(t, person.email);
    await addMember(t, co.id, person, 'accountant');
    const res = await as(t, person).post('/api/v1/invitations/accept', { token });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toBe(`You are already a member of "${co.name}" (as accountant).`);
    expect(await stateOf(inv.id)).toBe('pending');
  });

  it('a collaborator gets exactly the invited Apps that still exist; the event and the mails say who joined', async () => {
    const { owner, co, app1, app2, admin } = await team();
    const person = await signUpVerified(t, { firstName: 'Jo', lastName: 'Iner' });
    const inv = (await as(t, admin).post(`/api/v1/companies/${co.id}/invitations`, { email: person.email, role: 'collaborator', appNames: [app1, app2] })).json();
    const token = await latestTeamToken(t, person.email);
    expect((await as(t, owner).delete(`/api/v1/apps/${app2}`)).statusCode).toBe(204);
    expect((await as(t, person).post('/api/v1/invitations/accept', { token })).statusCode).toBe(200);
    const assigned = await t.services.db.select().from(collaboratorApps).where(and(eq(collaboratorApps.companyId, co.id), eq(collaboratorApps.accountId, person.id)));
    expect(assigned).toHaveLength(1);
    const [row] = await t.services.db.select().from(memberships).where(and(eq(memberships.companyId, co.id), eq(memberships.accountId, person.id)));
    expect(row.role).toBe('collaborator');
    const [joined] = (await eventsOf(co.id)).filter((e) => e.action === 'member.joined');
    expect(joined).toMatchObject({ category: 'member', actorId: person.id, details: { invitationId: inv.id, accountId: person.id, email: person.email, role: 'collaborator', appNames: [app2, app1] } });
    // The inviter (an admin) and every owner are told once each; the new member is not.
    for (const who of [admin, owner]) {
      const mails = await mailsTo(t.services.db, who.email, 'team-joined');
      expect(mails, who.email).toHaveLength(1);
      expect(mails[0].subject).toBe(`Jo Iner joined "${co.name}"`);
      expect(mails[0].textBody).toContain(`Jo Iner (${person.email}) accepted the invitation and joined "${co.name}" as collaborator.`);
      expect(mails[0].textBody).toContain(`${PUBLIC_URL}/companies/${co.id}`);
    }
    expect(await mailsTo(t.services.db, person.email, 'team-joined')).toHaveLength(0);
  });
});

describe('the invitee\'s side of a team invitation (SPEC 4.6)', () => {
  it('the lookup names the Company, the role and the Apps (none for other roles)', async () => {
    const { owner, co, app1 } = await team();
    const c = uniqueEmail('look');
    await invite(owner, co, { email: c, role: 'collaborator', appNames: [app1] });
    const lookup = (await as(t, null).post('/api/v1/invitations/lookup', { token: await latestTeamToken(t, c) })).json();
    expect(lookup).toMatchObject({ kind: 'team', email: c, role: 'collaborator', appNames: [app1], company: { name: co.name }, inviter: { firstName: 'Olivia', lastName: 'Owner' } });
    const a = uniqueEmail('looka');
    await invite(owner, co, { email: a, role: 'accountant' });
    const noApps = (await as(t, null).post('/api/v1/invitations/lookup', { token: await latestTeamToken(t, a) })).json();
    expect(noApps.role).toBe('accountant');
    expect(noApps).not.toHaveProperty('appNames');
    expect(noApps).not.toHaveProperty('plan');
  });

  it('declining while signed in as someone else is refused; declining tells the inviter what was declined', async () => {
    const { owner, co, admin } = await team();
    const email = uniqueEmail('no');
    const inv = (await invite(owner, co, { email, role: 'admin' })).json();
    const token = await latestTeamToken(t, email);
    const wrong = await as(t, admin).post('/api/v1/invitations/decline', { token });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'email_mismatch', reason: 'decline' });
    expect(await stateOf(inv.id)).toBe('pending');
    expect((await as(t, null).post('/api/v1/invitations/decline', { token })).statusCode).toBe(204);
    const [mail] = await mailsTo(t.services.db, owner.email, 'invitation-declined');
    expect(mail.subject).toBe(`${email} declined your invitation`);
    expect(mail.textBody).toContain(`${email} declined your invitation to join "${co.name}" as admin.`);
    const [event] = (await eventsOf(co.id)).filter((e) => e.action === 'invitation.declined');
    expect(event).toMatchObject({ category: 'member', actorId: null, details: { invitationId: inv.id, email } });
    const twice = await as(t, null).post('/api/v1/invitations/decline', { token });
    expect(twice.json()).toMatchObject({ code: 'invitation_invalid', reason: 'declined' });
  });

  it('asking for a new invitation: refused while it works or once used; an expired one mails the inviter with the team link', async () => {
    const { owner, co } = await team();
    const email = uniqueEmail('late');
    const inv = (await invite(owner, co, { email, role: 'accountant' })).json();
    const token = await latestTeamToken(t, email);
    const early = await as(t, null).post('/api/v1/invitations/request-new', { token });
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toBe('This invitation still works; you can accept it now.');
    t.clock.advance(t.services.config.teamInvitationTtlMs + 1000);
    try {
      expect((await as(t, null).post('/api/v1/invitations/request-new', { token })).statusCode).toBe(202);
    } finally {
      t.clock.reset();
    }
    const [mail] = await mailsTo(t.services.db, owner.email, 'invitation-new-requested');
    expect(mail.subject).toBe(`${email} asks for a new invitation`);
    expect(mail.textBody).toContain(`opened your invitation to join "${co.name}" as accountant`);
    expect(mail.textBody).toContain(`${PUBLIC_URL}/companies/${co.id}`);
    const [event] = (await eventsOf(co.id)).filter((e) => e.action === 'invitation.new_requested');
    expect(event).toMatchObject({ category: 'member', details: { invitationId: inv.id, email } });

    const joiner = await signUpVerified(t);
    await invite(owner, co, { email: joiner.email, role: 'admin' });
    const used = await latestTeamToken(t, joiner.email);
    expect((await as(t, joiner).post('/api/v1/invitations/accept', { token: used })).statusCode).toBe(200);
    const after = await as(t, null).post('/api/v1/invitations/request-new', { token: used });
    expect(after.statusCode).toBe(409);
    expect(after.json().detail).toBe('This invitation has already been accepted.');
  });
});

// Issue 10, the survivors of the Stryker run of teamInvitations.ts (docs/testing.md,
// "invitations: survivors"): the words of each refusal, each event as written, the mail of a
// resend, revoking an invitation stored as expired, and the reach of "expire the stale ones".
describe('what invite, resend and revoke write and refuse (SPEC 4.6, SPEC 5: every invitation writes an event)', () => {
  const eventView = (e: typeof activityEvents.$inferSelect) => ({ action: e.action, category: e.category, actorId: e.actorId, outcome: e.outcome, details: e.details });

  it('invite, resend and revoke each record one member event with what was done', async () => {
    const { owner, co, app1, app2 } = await team();
    const email = uniqueEmail('ev');
    const inv = (await invite(owner, co, { email, role: 'collaborator', appNames: [app1, app2] })).json();
    expect((await as(t, owner).post(`/api/v1/companies/${co.id}/invitations/${inv.id}/resend`)).statusCode).toBe(200);
    expect((await as(t, owner).delete(`/api/v1/companies/${co.id}/invitations/${inv.id}`)).statusCode).toBe(204);
    const events = (await eventsOf(co.id)).filter((e) => e.action.startsWith('invitation.')).map(eventView);
    expect(events).toEqual([
      { action: 'invitation.created', category: 'member', actorId: owner.id, outcome: 'ok', details: { invitationId: inv.id, email, role: 'collaborator', appNames: [app2, app1] } },
      { action: 'invitation.resent', category: 'member', actorId: owner.id, outcome: 'ok', details: { invitationId: inv.id, email } },
      { action: 'invitation.revoked', category: 'member', actorId: owner.id, outcome: 'ok', details: { invitationId: inv.id, email, role: 'collaborator' } },
    ]);
  });

  it('a second invitation to someone with an open one is refused in words that say what to do', async () => {
    const { owner, co } = await team();
    const email = uniqueEmail('dup');
    const first = (await invite(owner, co, { email, role: 'admin' })).json();
    const dup = await invite(owner, co, { email: email.toUpperCase(), role: 'accountant' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'invitation_pending_exists', detail: `${email} already has an open invitation to this Company. Resend it instead.` });
    expect(await stateOf(first.id)).toBe('pending');
  });

  it('the resent mail names the collaborator\'s Apps again, with the new link', async () => {
    const { owner, co, app1, app2 } = await team();
    const email = uniqueEmail('re');
    const inv = (await invite(owner, co, { email, role: 'collaborator', appNames: [app1, app2] })).json();
    const first = await latestTeamToken(t, email);
    expect((await as(t, owner).post(`/api/v1/companies/${co.id}/invitations/${inv.id}/resend`)).statusCode).toBe(200);
    const mails = await mailsTo(t.services.db, email, 'team-invitation');
    expect(mails).toHaveLength(2);
    expect(mails[0].subject).toBe(`Olivia Owner invites you to join "${co.name}" on the Dashboard`);
    expect(mails[0].textBody).toContain(`Apps: ${app2}, ${app1}`);
    expect(await latestTeamToken(t, email)).not.toBe(first);
  });

  it('an invitation stored as expired (a newer one replaced it) can still be revoked', async () => {
    const { owner, co } = await team();
    const email = uniqueEmail('old');
    const old = (await invite(owner, co, { email, role: 'admin' })).json();
    t.clock.advance(t.services.config.teamInvitationTtlMs + 1000);
    try {
      const newer = (await invite(owner, co, { email, role: 'admin' })).json();
      expect(await stateOf(old.id)).toBe('expired');
      expect((await as(t, owner).delete(`/api/v1/companies/${co.id}/invitations/${old.id}`)).statusCode).toBe(204);
      expect(await stateOf(old.id)).toBe('revoked');
      expect(await stateOf(newer.id)).toBe('pending');
    } finally {
      t.clock.reset();
    }
  });

  it('inviting and resending expire only the same address\'s stale invitations in the same Company', async () => {
    const a = await team();
    const b = await team();
    const email = uniqueEmail('same');
    const other = uniqueEmail('other');
    const inA = (await invite(a.owner, a.co, { email, role: 'admin' })).json();
    const otherInA = (await invite(a.owner, a.co, { email: other, role: 'admin' })).json();
    const inB = (await invite(b.owner, b.co, { email, role: 'admin' })).json();
    const clientInA = (await inviteClient(t, a.owner, a.app1, uniqueEmail('client'))).invitation;
    t.clock.advance(Math.max(t.services.config.teamInvitationTtlMs, t.services.config.clientInvitationTtlMs) + 1000);
    try {
      // A new invitation to the same address in A: A's stale one is closed, nobody else's.
      expect((await invite(a.owner, a.co, { email, role: 'accountant' })).statusCode).toBe(201);
      expect(await stateOf(inA.id)).toBe('expired');
      for (const id of [otherInA.id, inB.id, clientInA.id]) expect(await stateOf(id), id).toBe('pending');
      // Resending B's expired invitation: the same again.
      expect((await as(t, b.owner).post(`/api/v1/companies/${b.co.id}/invitations/${inB.id}/resend`)).statusCode).toBe(200);
      expect(await stateOf(inB.id)).toBe('pending');
      for (const id of [otherInA.id, clientInA.id]) expect(await stateOf(id), id).toBe('pending');
    } finally {
      t.clock.reset();
    }
  });
});

// The resend's and the revoke's own Company lock (taken before they read the invitation) and
// the resend's "changed in the meantime": deterministic races (test/harness/locks.ts).
describe.runIf(onPostgres)('resend and revoke against a concurrent change of the same invitation (PostgreSQL)', () => {
  const holdCompany = (id: string) => (tx: Tx) => tx.execute(sql`SELECT id FROM companies WHERE id = ${id} FOR UPDATE`);

  it('a resend queued behind a revoke reads the invitation after it: "was revoked"', async () => {
    const { owner, co, admin } = await team();
    const inv = (await invite(owner, co, { email: uniqueEmail('rr'), role: 'admin' })).json();
    const [revoked, resent] = await queuedBehind(t, holdCompany(co.id), [
      { run: () => as(t, owner).delete(`/api/v1/companies/${co.id}/invitations/${inv.id}`), waitsOn: /companies/i },
      { run: () => as(t, admin).post(`/api/v1/companies/${co.id}/invitations/${inv.id}/resend`) },
    ]);
    expect(revoked.statusCode).toBe(204);
    // Without the resend's first lock it read the invitation while it was still pending and
    // answered "changed in the meantime" from the rotation instead.
    expect(resent.statusCode).toBe(409);
    expect(resent.json()).toMatchObject({ code: 'conflict', detail: 'This invitation was revoked; send a new one instead.' });
    expect(await stateOf(inv.id)).toBe('revoked');
  });

  it('a revoke queued behind another revoke says "already revoked"', async () => {
    const { owner, co, admin } = await team();
    const inv = (await invite(owner, co, { email: uniqueEmail('r2'), role: 'admin' })).json();
    const [first, second] = await queuedBehind(t, holdCompany(co.id), [
      { run: () => as(t, owner).delete(`/api/v1/companies/${co.id}/invitations/${inv.id}`), waitsOn: /companies/i },
      { run: () => as(t, admin).delete(`/api/v1/companies/${co.id}/invitations/${inv.id}`) },
    ]);
    expect(first.statusCode).toBe(204);
    // Without the revoke's first lock the second read the invitation as pending: "already pending".
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'conflict', detail: 'This invitation was already revoked.' });
    expect((await eventsOf(co.id)).filter((e) => e.action === 'invitation.revoked')).toHaveLength(1);
  });

  it('a decline that commits after the resend read the invitation: the resend changes nothing ("changed in the meantime")', async () => {
    const { owner, co } = await team();
    const email = uniqueEmail('dr');
    const inv = (await invite(owner, co, { email, role: 'admin' })).json();
    const token = await latestTeamToken(t, email);
    // The decline takes no Company lock. The test holds the activity table, so the decline stops
    // after it changed the invitation (at its event); the resend then reads the invitation (the
    // decline is not committed: still pending), passes its checks and waits for the decline at its
    // update. (Holding the invitation row instead made both wait for the test's transaction,
    // since the resend's retired-token insert key-shares the row first, and either could win.)
    const [declined, resent] = await queuedBehind(t, (tx) => tx.execute(sql`LOCK TABLE activity_events IN EXCLUSIVE MODE`), [
      { run: () => as(t, null).post('/api/v1/invitations/decline', { token }), waitsOn: /activity_events/i },
      { run: () => as(t, owner).post(`/api/v1/companies/${co.id}/invitations/${inv.id}/resend`), waitsOn: /invitations/i },
    ]);
    expect(declined.statusCode, declined.body).toBe(204);
    expect(resent.statusCode).toBe(409);
    expect(resent.json()).toMatchObject({ code: 'conflict', detail: 'This invitation changed in the meantime; reload the page.' });
    expect(await stateOf(inv.id)).toBe('declined');
    expect(await mailsTo(t.services.db, email, 'team-invitation')).toHaveLength(1);
    expect((await eventsOf(co.id)).filter((e) => e.action === 'invitation.resent')).toEqual([]);
    expect((await as(t, null).post('/api/v1/invitations/lookup', { token })).json().state).toBe('declined');
  });
});

// ADR 0016: inviting waits for the Company lock and then sees the membership. The test holds
// the invitee's Account row, so the accept stops after it locked the Company and changed the
// invitation (its foreign keys to the Account wait); the re-invite then queues (test/harness/locks.ts).
describe.runIf(onPostgres)('inviting while the same person accepts (ADR 0016, PostgreSQL)', () => {
  it('the invite waits for the accept and is refused as a member, leaving no open invitation', async () => {
    const { owner, co } = await team();
    const person = await signUpVerified(t);
    expect((await invite(owner, co, { email: person.email, role: 'admin' })).statusCode).toBe(201);
    const token = await latestTeamToken(t, person.email);
    const [accepted, again] = await queuedBehind(t, (tx) => tx.execute(sql`SELECT id FROM accounts WHERE id = ${person.id} FOR UPDATE`), [
      { run: () => as(t, person).post('/api/v1/invitations/accept', { token }), waitsOn: /invitations|memberships/i },
      { run: () => invite(owner, co, { email: person.email, role: 'accountant' }) },
    ]);
    expect(accepted.statusCode).toBe(200);
    // Without requireInviteRight's lock the invite read "not a member" before the accept
    // committed, waited only at the unique index, and then created an open invitation (201)
    // for someone who had just joined.
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'conflict', detail: `${person.email} is already a member of "${co.name}". Change their role on the team list instead.` });
    const open = await t.services.db.select().from(invitations)
      .where(and(eq(invitations.companyId, co.id), eq(invitations.email, person.email), eq(invitations.state, 'pending')));
    expect(open).toEqual([]);
  });
});
