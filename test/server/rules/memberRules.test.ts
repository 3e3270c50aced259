import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityEvents, memberships } from '../../../src/server/db/schema.js';
import { addMember, bookApp, createCompany, uniqueAppName } from '../../harness/factories.js';
import { queuedBehind } from '../../harness/locks.js';
import { onPostgres } from '../../harness/testDb.js';
import { as, createTestApp, mailsTo, PUBLIC_URL, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 10 (Stryker on modules/members): the team rules of SPEC 3 and 4.3 that the first
 * mutation runs showed unguarded — which role changes an admin may make, when a change needs
 * Apps, that a change that changes nothing is neither recorded nor mailed, and who is told
 * what, once each, in their own language.
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

async function team() {
  const owner = await signUpVerified(t, { firstName: 'Olga', lastName: 'Owner' });
  const co = await createCompany(t, owner, { name: `Rules ${Math.random().toString(36).slice(2, 6)}` });
  // Booked in the reverse of alphabetical order, so a list that is not sorted shows.
  const zApp = await bookApp(t, owner, co, { name: uniqueAppName('zz') });
  const aApp = await bookApp(t, owner, co, { name: uniqueAppName('aa') });
  const admin = await signUpVerified(t, { firstName: 'Adam', lastName: 'Admin' });
  const admin2 = await signUpVerified(t, { firstName: 'Ada', lastName: 'Second' });
  const collab = await signUpVerified(t, { firstName: 'Cora', lastName: 'Collab' });
  const accountant = await signUpVerified(t, { firstName: 'Acco', lastName: 'Untant' });
  await addMember(t, co.id, admin, 'admin');
  await addMember(t, co.id, admin2, 'admin');
  await addMember(t, co.id, collab, 'collaborator', [zApp]);
  await addMember(t, co.id, accountant, 'accountant');
  return { owner, co, zApp, aApp, admin, admin2, collab, accountant };
}

const roleOf = async (companyId: string, who: SignedIn) => {
  const [row] = await t.services.db.select().from(memberships).where(and(eq(memberships.companyId, companyId), eq(memberships.accountId, who.id)));
  return row?.role ?? null;
};

const eventsOf = (companyId: string) =>
  t.services.db.select().from(activityEvents).where(eq(activityEvents.companyId, companyId)).orderBy(asc(activityEvents.id));

const teamMails = (who: SignedIn) => mailsTo(t.services.db, who.email, 'team-change');

describe('what an admin may do to roles (SPEC 3: collaborator → admin only, and a collaborator\'s Apps)', () => {
  it('an admin cannot make an admin or an accountant a collaborator: 403 with the reason, recorded as refused, nothing changes', async () => {
    const { co, admin, admin2, accountant, zApp } = await team();
    for (const target of [admin2, accountant]) {
      const before = await roleOf(co.id, target);
      const res = await as(t, admin).patch(`/api/v1/companies/${co.id}/members/${target.id}`, { role: 'collaborator', appNames: [zApp] });
      expect(res.statusCode, before!).toBe(403);
      expect(res.json().code).toBe('forbidden');
      expect(res.json().detail).toBe('As an admin you can only make a collaborator an admin, or change which Apps a collaborator works on.');
      expect(await roleOf(co.id, target)).toBe(before);
      const [refusal] = (await eventsOf(co.id)).filter((e) => e.outcome === 'refused').reverse();
      expect(refusal).toMatchObject({ action: 'member.changeRole', category: 'member', actorId: admin.id, details: { accountId: target.id, before, after: 'collaborator' } });
    }
  });

  it('an admin dismisses another admin (204) but never herself through dismiss (409, use "Leave Company")', async () => {
    const { owner, co, admin, admin2 } = await team();
    const self = await as(t, admin).delete(`/api/v1/companies/${co.id}/members/${admin.id}`);
    expect(self.statusCode).toBe(409);
    expect(self.json().code).toBe('conflict');
    expect(self.json().detail).toMatch(/Leave Company/);
    expect(await roleOf(co.id, admin)).toBe('admin');
    const ownSelf = await as(t, owner).delete(`/api/v1/companies/${co.id}/members/${owner.id}`);
    expect(ownSelf.statusCode).toBe(409);
    expect(await roleOf(co.id, owner)).toBe('owner');
    expect((await as(t, admin).delete(`/api/v1/companies/${co.id}/members/${admin2.id}`)).statusCode).toBe(204);
    expect(await roleOf(co.id, admin2)).toBeNull();
  });

  it('dismissing someone who is not a member is 404 naming the member, and changes nothing', async () => {
    const { owner, co } = await team();
    const stranger = await signUpVerified(t);
    const res = await as(t, owner).delete(`/api/v1/companies/${co.id}/members/${stranger.id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toBe('This member does not exist or you cannot see it.');
    expect((await eventsOf(co.id)).filter((e) => e.action === 'member.removed')).toEqual([]);
  });

  it('nobody changes her own role: 403 own_role, saying whom to ask', async () => {
    const { owner, co } = await team();
    const res = await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${owner.id}`, { role: 'admin' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'own_role', detail: 'You cannot change your own role. Ask another owner to do it.' });
    expect(await roleOf(co.id, owner)).toBe('owner');
  });

  it('an admin dismissing someone who is not a member gets 404 too (the target is looked up before her limits are checked)', async () => {
    const { co, admin } = await team();
    const stranger = await signUpVerified(t);
    const res = await as(t, admin).delete(`/api/v1/companies/${co.id}/members/${stranger.id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toBe('This member does not exist or you cannot see it.');
  });

  it('an admin dismissing an owner or an accountant is refused with the reason and recorded', async () => {
    const { owner, co, admin, accountant } = await team();
    for (const [target, role] of [[owner, 'owner'], [accountant, 'accountant']] as const) {
      const res = await as(t, admin).delete(`/api/v1/companies/${co.id}/members/${target.id}`);
      expect(res.statusCode, role).toBe(403);
      expect(res.json().detail).toBe('As an admin you can remove admins and collaborators only.');
      const [refusal] = (await eventsOf(co.id)).filter((e) => e.outcome === 'refused').reverse();
      expect(refusal).toMatchObject({ action: 'member.remove', category: 'member', actorId: admin.id, details: { accountId: target.id, role } });
      expect(await roleOf(co.id, target)).toBe(role);
    }
  });
});

describe('a collaborator\'s Apps (SPEC 3, 4.3)', () => {
  it('changing the role of someone who is not a member is 404 naming the member', async () => {
    const { owner, co } = await team();
    const stranger = await signUpVerified(t);
    const res = await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${stranger.id}`, { role: 'admin' });
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toBe('This member does not exist or you cannot see it.');
  });

  it('making someone a collaborator needs at least one App; other roles get none', async () => {
    const { owner, co, admin2, collab, zApp } = await team();
    const none = await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${admin2.id}`, { role: 'collaborator' });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ code: 'validation_failed', detail: 'Choose at least one App for the collaborator.', errors: [{ path: 'appNames', message: 'Choose at least one App.' }] });
    const empty = await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${admin2.id}`, { role: 'collaborator', appNames: [] });
    expect(empty.statusCode).toBe(400);
    expect(await roleOf(co.id, admin2)).toBe('admin');
    const withApps = await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${admin2.id}`, { role: 'admin', appNames: [zApp] });
    expect(withApps.json()).toMatchObject({ code: 'validation_failed', detail: 'Only collaborators get a list of Apps.', errors: [{ path: 'appNames', message: 'Only for collaborators.' }] });
    // Promoting a collaborator drops her Apps; the answer for a non-collaborator has no list.
    const promoted = await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${collab.id}`, { role: 'admin', appNames: [] });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).not.toHaveProperty('appNames');
    expect(promoted.json()).toMatchObject({ accountId: collab.id, email: collab.email, firstName: 'Cora', lastName: 'Collab', role: 'admin' });
  });

  it('for other roles the event shows no Apps, and setting the role someone has is no event', async () => {
    const { owner, co, admin2 } = await team();
    const events = (await eventsOf(co.id)).length;
    expect((await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${admin2.id}`, { role: 'admin' })).statusCode).toBe(200);
    expect((await eventsOf(co.id)).length).toBe(events);
    expect((await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${admin2.id}`, { role: 'accountant' })).statusCode).toBe(200);
    const [event] = (await eventsOf(co.id)).filter((e) => e.action === 'member.role_changed');
    expect(event.details).toMatchObject({ before: { role: 'admin', appNames: [] }, after: { role: 'accountant', appNames: [] } });
  });

  it('the Apps come back sorted, without duplicates, and are what the collaborator can open', async () => {
    const { owner, co, collab, zApp, aApp } = await team();
    const res = await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${collab.id}`, { role: 'collaborator', appNames: [zApp, aApp, zApp] });
    expect(res.statusCode).toBe(200);
    expect(res.json().appNames).toEqual([aApp, zApp]);
    expect((await as(t, collab).get(`/api/v1/apps/${aApp}`)).statusCode).toBe(200);
    const [event] = (await eventsOf(co.id)).filter((e) => e.action === 'member.role_changed').reverse();
    expect(event).toMatchObject({ category: 'member', actorId: owner.id, outcome: 'ok' });
    expect(event.details).toEqual({
      accountId: collab.id, email: collab.email,
      before: { role: 'collaborator', appNames: [zApp] }, after: { role: 'collaborator', appNames: [aApp, zApp] },
    });
    const [mail] = await teamMails(collab);
    expect(mail.textBody).toContain(`Apps: ${aApp}, ${zApp}`);
  });

  it('an admin takes every App from a collaborator: she stays a member with no App, and is told "Apps: none" (ADR 0125)', async () => {
    const { admin, co, collab, zApp } = await team();
    const res = await as(t, admin).patch(`/api/v1/companies/${co.id}/members/${collab.id}`, { role: 'collaborator', appNames: [] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ role: 'collaborator', appNames: [] });
    // A member without the App: 403, as for any unassigned collaborator (SPEC 3).
    expect((await as(t, collab).get(`/api/v1/apps/${zApp}`)).statusCode).toBe(403);
    expect(await roleOf(co.id, collab)).toBe('collaborator');
    const [event] = (await eventsOf(co.id)).filter((e) => e.action === 'member.role_changed').reverse();
    expect(event.details).toEqual({
      accountId: collab.id, email: collab.email,
      before: { role: 'collaborator', appNames: [zApp] }, after: { role: 'collaborator', appNames: [] },
    });
    const [mail] = await teamMails(collab);
    expect(mail.textBody).toContain(`Adam Admin changed your role in "${co.name}" Apps: none.`);
    // Giving one back works the same way.
    const back = await as(t, admin).patch(`/api/v1/companies/${co.id}/members/${collab.id}`, { role: 'collaborator', appNames: [zApp] });
    expect(back.json().appNames).toEqual([zApp]);
  });

  it('a change that changes nothing keeps the Apps and writes no event and no mail', async () => {
    const { owner, co, collab, zApp } = await team();
    const events = (await eventsOf(co.id)).length;
    const mails = (await teamMails(collab)).length;
    const roleOnly = await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${collab.id}`, { role: 'collaborator' });
    expect(roleOnly.statusCode).toBe(200);
    expect(roleOnly.json().appNames).toEqual([zApp]);
    const same = await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${collab.id}`, { role: 'collaborator', appNames: [zApp] });
    expect(same.json().appNames).toEqual([zApp]);
    expect((await as(t, collab).get(`/api/v1/apps/${zApp}`)).statusCode).toBe(200);
    expect((await eventsOf(co.id)).length).toBe(events);
    expect((await teamMails(collab)).length).toBe(mails);
  });
});

describe('the Company row is locked first (issue 9: changes to the team are serialised)', () => {
  // As in rules/mutants.test.ts: a row locked FOR UPDATE carries the locker's id in xmax while
  // xmin stays. Changing only a collaborator's Apps touches no owner, so the first lock of
  // changeMemberRole is the only one; without it two such edits would not be serialised.
  const rowVersion = async (companyId: string) =>
    (await t.services.db.execute(sql`SELECT xmin::text AS xmin, xmax::text AS xmax FROM companies WHERE id = ${companyId}`)).rows[0] as { xmin: string; xmax: string };

  it('changing only a collaborator\'s Apps locks the Company row, and changes it not', async () => {
    const { owner, co, collab, aApp } = await team();
    const before = await rowVersion(co.id);
    expect((await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${collab.id}`, { role: 'collaborator', appNames: [aApp] })).statusCode).toBe(200);
    const after = await rowVersion(co.id);
    expect(after.xmin).toBe(before.xmin);
    expect(after.xmax).not.toBe(before.xmax);
    expect(after.xmax).not.toBe('0');
  });
});

// ADR 0016: the caller's own role (and the Company's name) are read after the Company lock.
// The lock of dismiss and leave is taken again by endMembership, so xmax cannot show the first
// one; these races can. The test holds the Company row, queues the requests behind it, and
// lets them go in the order they queued (test/harness/locks.ts).
describe.runIf(onPostgres)('dismiss and leave read under the Company lock (ADR 0016, PostgreSQL)', () => {
  it('two owners dismissing each other: the first wins, the second is no longer a member (404), not "last owner"', async () => {
    const a = await signUpVerified(t, { firstName: 'Race', lastName: 'A' });
    const b = await signUpVerified(t, { firstName: 'Race', lastName: 'B' });
    const co = await createCompany(t, a);
    await addMember(t, co.id, b, 'owner');
    const [first, second] = await queuedBehind(t, (tx) => tx.execute(sql`SELECT id FROM companies WHERE id = ${co.id} FOR UPDATE`), [
      { run: () => as(t, a).delete(`/api/v1/companies/${co.id}/members/${b.id}`) },
      { run: () => as(t, b).delete(`/api/v1/companies/${co.id}/members/${a.id}`) },
    ]);
    expect(first.statusCode).toBe(204);
    // Without the first lock B's role was read before A's dismissal committed: B went on
    // and was refused as the last owner's remover (409 last_owner) instead.
    expect(second.statusCode).toBe(404);
    expect(second.json().code).toBe('not_found');
    expect(await roleOf(co.id, a)).toBe('owner');
    expect(await roleOf(co.id, b)).toBeNull();
  });

  it('leaving confirms with the name the Company has once it is locked: renamed meanwhile, the old name is refused', async () => {
    const { co, admin } = await team();
    const renamed = `${co.name} Renamed`;
    const [left] = await queuedBehind(t, (tx) => tx.execute(sql`UPDATE companies SET name = ${renamed} WHERE id = ${co.id}`), [
      { run: () => as(t, admin).post(`/api/v1/companies/${co.id}/leave`, { confirm: co.name }) },
    ]);
    // Without the lock the old name was read before the rename committed, and she left.
    expect(left.statusCode).toBe(400);
    expect(left.json().detail).toContain(`"${renamed}"`);
    expect(await roleOf(co.id, admin)).toBe('admin');
  });
});

describe('team mails (SPEC 4.3: all owners, the actor and the person affected, once each, in their language)', () => {
  const link = (companyId: string) => `${PUBLIC_URL}/companies/${companyId}`;

  it('a role change: one mail each; the affected person gets "your role" without the team link, the others get the link', async () => {
    const { owner, co, admin, collab } = await team();
    const coOwner = await signUpVerified(t, { firstName: 'Otto', lastName: 'Second' });
    await addMember(t, co.id, coOwner, 'owner');
    expect((await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${collab.id}`, { role: 'admin' })).statusCode).toBe(200);
    for (const who of [owner, coOwner, collab]) expect(await teamMails(who), who.email).toHaveLength(1);
    expect(await teamMails(admin)).toHaveLength(0);
    const [affected] = await teamMails(collab);
    expect(affected.subject).toBe(`Role changed in "${co.name}"`);
    expect(affected.textBody).toContain(`Olga Owner changed your role in "${co.name}" from collaborator to admin.`);
    expect(affected.textBody).not.toContain(link(co.id));
    const [other] = await teamMails(coOwner);
    expect(other.textBody).toContain(`Olga Owner changed the role of Cora Collab in "${co.name}" from collaborator to admin.`);
    expect(other.textBody).toContain(`See the team:\n${link(co.id)}`);
  });

  it('a dismissal and a leave are worded for each side', async () => {
    const { owner, co, admin, collab, accountant } = await team();
    expect((await as(t, admin).delete(`/api/v1/companies/${co.id}/members/${collab.id}`)).statusCode).toBe(204);
    const [removed] = await teamMails(collab);
    expect(removed.subject).toBe(`Cora Collab was removed from "${co.name}"`);
    expect(removed.textBody).toContain(`Adam Admin removed you from "${co.name}". You no longer have access to its Apps.`);
    expect(removed.textBody).not.toContain(link(co.id));
    const [toOwner] = await teamMails(owner);
    expect(toOwner.textBody).toContain(`Adam Admin removed Cora Collab (collaborator) from "${co.name}".`);
    expect(toOwner.textBody).toContain(link(co.id));
    expect(await teamMails(admin)).toHaveLength(1);
    const [removedEvent] = (await eventsOf(co.id)).filter((e) => e.action === 'member.removed');
    expect(removedEvent).toMatchObject({ category: 'member', actorId: admin.id, details: { accountId: collab.id, email: collab.email, role: 'collaborator' } });

    expect((await as(t, accountant).post(`/api/v1/companies/${co.id}/leave`, { confirm: co.name })).statusCode).toBe(204);
    const [leftEvent] = (await eventsOf(co.id)).filter((e) => e.action === 'member.left');
    expect(leftEvent).toMatchObject({ category: 'member', actorId: accountant.id, details: { accountId: accountant.id, email: accountant.email, role: 'accountant' } });
    const [left] = await teamMails(accountant);
    expect(left.subject).toBe(`Acco Untant left "${co.name}"`);
    expect(left.textBody).toContain(`You left "${co.name}". You no longer have access to its Apps.`);
    expect(left.textBody).not.toContain(link(co.id));
    const [leftToOwner] = await teamMails(owner);
    expect(leftToOwner.subject).toBe(`Acco Untant left "${co.name}"`);
    expect(leftToOwner.textBody).toContain(`Acco Untant (accountant) left "${co.name}".`);
    expect(leftToOwner.textBody).toContain(link(co.id));
    // Leaving is told to the owners and the leaver, not to the other members.
    expect(await teamMails(admin)).toHaveLength(1);
  });

  it('each recipient reads the mail in her Account\'s language, roles included', async () => {
    const { owner, co, collab, accountant } = await team();
    expect((await as(t, collab).patch('/api/v1/me', { language: 'de' })).statusCode).toBe(200);
    expect((await as(t, owner).patch(`/api/v1/companies/${co.id}/members/${collab.id}`, { role: 'accountant' })).statusCode).toBe(200);
    const [german] = await teamMails(collab);
    expect(german.subject).toBe(`Rolle in „${co.name}“ geändert`);
    expect(german.textBody).toContain('von Mitarbeiter zu Buchhaltung');
    const [english] = await teamMails(owner);
    expect(english.textBody).toContain('from collaborator to accountant');
    expect((await as(t, accountant).patch('/api/v1/me', { language: 'de' })).statusCode).toBe(200);
    expect((await as(t, owner).delete(`/api/v1/companies/${co.id}/members/${accountant.id}`)).statusCode).toBe(204);
    const [removed] = await teamMails(accountant);
    expect(removed.subject).toBe(`Acco Untant wurde aus „${co.name}“ entfernt`);
  });
});

describe('leaving (SPEC 4.3: confirmed by typing the Company\'s name)', () => {
  it('the typed name may differ in case and surrounding spaces', async () => {
    const { co, admin } = await team();
    expect((await as(t, admin).post(`/api/v1/companies/${co.id}/leave`, { confirm: `  ${co.name.toUpperCase()} ` })).statusCode).toBe(204);
    expect(await roleOf(co.id, admin)).toBeNull();
  });

  it('a wrong name is refused on the field confirm, naming the Company; the last owner is told the Company\'s name', async () => {
    const { owner, co, collab } = await team();
    const wrong = await as(t, collab).post(`/api/v1/companies/${co.id}/leave`, { confirm: `${co.name} Ltd` });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors).toEqual([expect.objectContaining({ path: 'confirm' })]);
    expect(wrong.json().detail).toContain(`"${co.name}"`);
    expect(await roleOf(co.id, collab)).toBe('collaborator');
    const last = await as(t, owner).post(`/api/v1/companies/${co.id}/leave`, { confirm: co.name });
    expect(last.json()).toMatchObject({ code: 'last_owner' });
    expect(last.json().detail).toContain(`You are the only owner of "${co.name}".`);
  });
});
