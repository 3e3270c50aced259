import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, activityEvents, apps, billingContacts, invitations, memberships, outbox, sessions } from '../../../src/server/db/schema.js';
import { addMember, bookApp, cardToken, contactInput, createCompany, createTrial } from '../../harness/factories.js';
import { inviteClient, renewed as renewedOf, signUpClient } from '../../harness/handover.js';
import { queuedBehind } from '../../harness/locks.js';
import { beforeNextTransaction } from '../../harness/seams.js';
import { onPostgres } from '../../harness/testDb.js';
import { as, createTestApp, signUpVerified, uniqueEmail, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 10 (Stryker on acceptClientInvitation.ts): the refusals of a client's accept name what
 * is missing and change nothing (SPEC 4.1 steps 5–6, API.md error shape), and what happens to
 * the inviter who is already in the client's Company (SPEC 4.1 step 4: admin, unless already
 * owner or admin).
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

const accept = (who: SignedIn, body: Record<string, unknown>) => as(t, who).post('/api/v1/invitations/accept', body);
const stateOf = async (id: string) => (await t.services.db.select().from(invitations).where(eq(invitations.id, id)))[0].state;
const eventsOf = (companyId: string) =>
  t.services.db.select().from(activityEvents).where(eq(activityEvents.companyId, companyId)).orderBy(asc(activityEvents.id));
const roleIn = async (companyId: string, who: SignedIn) =>
  (await t.services.db.select().from(memberships).where(and(eq(memberships.companyId, companyId), eq(memberships.accountId, who.id))))[0]?.role;

async function offer() {
  const dev = await signUpVerified(t, { firstName: 'Dana', lastName: 'Dev' });
  const app = await createTrial(t, dev);
  const email = uniqueEmail('cl');
  const { invitation, token } = await inviteClient(t, dev, app, email);
  const client = await signUpClient(t, token, email);
  return { dev, app, invitation, token, client };
}

describe('a client\'s accept refused before anything is charged (SPEC 4.1)', () => {
  it('each missing piece is named, in the detail and on its field; the invitation stays open', async () => {
    const { dev, invitation, token, client } = await offer();
    const noCompany = await accept(client, { token });
    expect(noCompany.statusCode).toBe(400);
    expect(noCompany.json()).toMatchObject({ code: 'validation_failed', detail: 'Choose a company: set up a new one or pick one you own.', errors: [{ path: 'company', message: 'Choose a company.' }] });

    const NEW = 'Enter the billing details and a payment card for your new company.';
    const nothing = await accept(client, { token, company: { name: 'Bakery' } });
    expect(nothing.json()).toMatchObject({ code: 'validation_failed', detail: NEW });
    expect(nothing.json().errors).toEqual([{ path: 'billingContact', message: 'Enter the billing details.' }, { path: 'paymentMethod', message: 'Enter a payment card.' }]);
    const noCard = await accept(client, { token, company: { name: 'Bakery' }, billingContact: contactInput() });
    expect(noCard.json()).toMatchObject({ detail: NEW });
    expect(noCard.json().errors).toEqual([{ path: 'paymentMethod', message: 'Enter a payment card.' }]);
    const noContact = await accept(client, { token, company: { name: 'Bakery' }, paymentMethod: { token: await cardToken(t) } });
    expect(noContact.json()).toMatchObject({ detail: NEW });
    expect(noContact.json().errors).toEqual([{ path: 'billingContact', message: 'Enter the billing details.' }]);

    const stranger = await signUpVerified(t);
    const foreign = await createCompany(t, stranger);
    const notSeen = await accept(client, { token, company: { id: foreign.id }, consent: true });
    expect(notSeen.statusCode).toBe(404);
    expect(notSeen.json()).toMatchObject({ code: 'not_found', detail: 'This Company does not exist or you cannot see it.' });
    await addMember(t, foreign.id, client, 'admin');
    const notOwner = await accept(client, { token, company: { id: foreign.id }, consent: true });
    expect(notOwner.statusCode).toBe(403);
    expect(notOwner.json()).toMatchObject({ code: 'forbidden', detail: 'Only an owner of that company can take over an App for it. Choose a company you own, or set up a new one.' });

    const mine = await createCompany(t, client, { name: 'Clara Co' });
    const noConsent = await accept(client, { token, company: { id: mine.id } });
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.json()).toMatchObject({ code: 'validation_failed', detail: `Confirm that Dana Dev will become an admin of "Clara Co" and see and change all its Apps.`, errors: [{ path: 'consent', message: 'Please confirm to continue.' }] });
    const newContactNoCard = await accept(client, { token, company: { id: mine.id }, consent: true, billingContact: contactInput({ name: 'Second' }) });
    expect(newContactNoCard.statusCode).toBe(400);
    expect(newContactNoCard.json()).toMatchObject({ code: 'validation_failed', detail: 'Enter a payment card for the new billing contact.', errors: [{ path: 'paymentMethod', message: 'Enter a payment card.' }] });

    expect(await stateOf(invitation.id)).toBe('pending');
    expect(await roleIn(mine.id, dev)).toBeUndefined();
  });

  it('the wrong Account and an unverified one are told what to do', async () => {
    const { token, client } = await offer();
    const stranger = await signUpVerified(t, { accountType: 'client' });
    const wrong = await accept(stranger, { token, company: { name: 'Bakery' }, billingContact: contactInput(), paymentMethod: { token: await cardToken(t) } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'email_mismatch', detail: `This invitation was sent to another e-mail address. Sign in with the invited address (you are signed in as ${stranger.email}).` });
    await t.services.db.update(accounts).set({ emailVerified: false }).where(eq(accounts.id, client.id));
    const unverified = await accept(client, { token, company: { name: 'Bakery' }, billingContact: contactInput(), paymentMethod: { token: await cardToken(t) } });
    expect(unverified.statusCode).toBe(403);
    expect(unverified.json()).toMatchObject({ code: 'email_not_verified', detail: 'Confirm your e-mail address first, then open the invitation again.' });
  });

  it('an inviter who is no longer an owner of the App\'s Company cannot hand it over', async () => {
    const dev = await signUpVerified(t, { firstName: 'Dana', lastName: 'Dev' });
    const co = await createCompany(t, dev);
    const app = await bookApp(t, dev, co);
    const email = uniqueEmail('cl');
    const { invitation, token } = await inviteClient(t, dev, app, email);
    const client = await signUpClient(t, token, email);
    const other = await signUpVerified(t);
    await addMember(t, co.id, other, 'owner');
    await t.services.db.update(memberships).set({ role: 'admin' }).where(and(eq(memberships.companyId, co.id), eq(memberships.accountId, dev.id)));
    const res = await accept(client, { token, company: { name: 'Bakery' }, billingContact: contactInput(), paymentMethod: { token: await cardToken(t) } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'invitation_invalid', reason: 'inviter_cannot', detail: 'The person who invited you can no longer hand this App over.' });
    expect(await stateOf(invitation.id)).toBe('pending');
    expect((await as(t, client).get('/api/v1/companies')).json().items).toEqual([]);
    expect(await roleIn(co.id, client)).toBeUndefined();
  });
});

describe('the billing contact and card of a client\'s accept (SPEC 4.1 step 6)', () => {
  it('a VAT number that fails its check is refused on the field it came from, for a new and an existing Company', async () => {
    const { invitation, token, client } = await offer();
    const bad = contactInput({ vatNumber: '123456789' });
    const fresh = await accept(client, { token, company: { name: 'Bakery' }, billingContact: bad, paymentMethod: { token: await cardToken(t) } });
    expect(fresh.statusCode).toBe(400);
    expect(fresh.json().errors).toMatchObject([{ path: 'billingContact.vatNumber' }]);
    const mine = await createCompany(t, client);
    const existing = await accept(client, { token, company: { id: mine.id }, consent: true, billingContact: bad, paymentMethod: { token: await cardToken(t) } });
    expect(existing.statusCode).toBe(400);
    expect(existing.json().errors).toMatchObject([{ path: 'billingContact.vatNumber' }]);
    expect(await stateOf(invitation.id)).toBe('pending');
  });

  it('the chosen one of several billing contacts pays for the App', async () => {
    const { app, token, client } = await offer();
    const mine = await createCompany(t, client);
    const second = await as(t, client).post(`/api/v1/companies/${mine.id}/billing-contacts`, { ...contactInput({ name: 'Second Contact' }), paymentMethod: { token: await cardToken(t) } });
    expect(second.statusCode, second.body).toBe(201);
    // Not the one that comes first by id (what the accept would take with no choice).
    const [, chosen] = [{ id: mine.contactId, name: contactInput().name as string }, { id: second.json().id as string, name: 'Second Contact' }].sort((a, b) => (a.id < b.id ? -1 : 1));
    const res = await accept(client, { token, company: { id: mine.id }, consent: true, billingContactId: chosen.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().summary.billingContact.name).toBe(chosen.name);
    const [row] = await t.services.db.select().from(apps).where(eq(apps.name, app));
    expect(row.billingContactId).toBe(chosen.id);
  });

  it('a card entry used for one handover is not used again for another (each accept authorises under its own invitation)', async () => {
    const dev = await signUpVerified(t, { firstName: 'Dana', lastName: 'Dev' });
    const email = uniqueEmail('two');
    const first = await inviteClient(t, dev, await createTrial(t, dev), email);
    const client = await signUpClient(t, first.token, email);
    const mine = await createCompany(t, client);
    const card = await cardToken(t);
    const one = await accept(client, { token: first.token, company: { id: mine.id }, consent: true, billingContact: contactInput({ name: 'First Card' }), paymentMethod: { token: card } });
    expect(one.statusCode, one.body).toBe(200);
    const otherApp = await bookApp(t, dev, await createCompany(t, dev));
    const second = await inviteClient(t, dev, otherApp, email);
    const again = await accept(renewedOf(client, one), { token: second.token, company: { id: mine.id }, consent: true, billingContact: contactInput({ name: 'Second Card' }), paymentMethod: { token: card } });
    expect(again.statusCode).toBe(400);
    expect(again.json().errors).toMatchObject([{ path: 'paymentMethod.token', reason: 'card_entry_used' }]);
    expect(await stateOf(second.invitation.id)).toBe('pending');
  });
});

describe('the client\'s Company checked again inside the transaction (SPEC 4.1.7)', () => {
  it('a billing contact that is not one of the Company\'s is refused, and nothing changes', async () => {
    const { invitation, token, client } = await offer();
    const mine = await createCompany(t, client, { name: 'Clara Three' });
    const res = await accept(client, { token, company: { id: mine.id }, consent: true, billingContactId: 'bc_not_theirs' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', detail: 'This billing contact is not one of "Clara Three"\'s. Choose one of its billing contacts, or add a new one.', errors: [{ path: 'billingContactId', message: 'Choose one of this company’s billing contacts.' }] });
    expect(await stateOf(invitation.id)).toBe('pending');
    // Another Company's contact is not one of hers either, though it exists.
    const stranger = await signUpVerified(t);
    const theirs = await createCompany(t, stranger);
    const foreign = await accept(client, { token, company: { id: mine.id }, consent: true, billingContactId: theirs.contactId });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors).toEqual([{ path: 'billingContactId', message: 'Choose one of this company’s billing contacts.' }]);
    expect(await stateOf(invitation.id)).toBe('pending');
  });

  it('the Company deleted between the check and the transaction: 404, the invitation stays open', async () => {
    const { invitation, token, client } = await offer();
    const mine = await createCompany(t, client);
    // Deleting a Company needs a recent sign-in (SPEC 4.10), as signUpVerified gives.
    await t.services.db.update(sessions).set({ reauthenticatedAt: t.clock.now() }).where(eq(sessions.userId, client.id));
    let deleted = '';
    const reached = beforeNextTransaction(t, async () => {
      const del = await as(t, client).delete(`/api/v1/companies/${mine.id}`);
      deleted = `${del.statusCode} ${del.body}`;
    });
    const res = await accept(client, { token, company: { id: mine.id }, consent: true, billingContactId: mine.contactId });
    expect(reached()).toBe(true);
    expect(deleted).toBe('204 ');
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found', detail: 'This Company does not exist or you cannot see it.' });
    expect(await stateOf(invitation.id)).toBe('pending');
  });
});

describe('what the transaction refuses, and whom it tells (SPEC 4.1.7, 4.1.9)', () => {
  const NOT_OPEN = 'This invitation is no longer open: it was used, withdrawn, sent again with a new link, or has expired.';

  it('revoked between the check and the transaction: invitation_invalid, not_open, in words', async () => {
    const { dev, app, invitation, token, client } = await offer();
    const mine = await createCompany(t, client);
    const reached = beforeNextTransaction(t, async () => {
      await as(t, dev).delete(`/api/v1/apps/${app}/client-invitations/${invitation.id}`);
    });
    const res = await accept(client, { token, company: { id: mine.id }, consent: true, billingContactId: mine.contactId });
    expect(reached()).toBe(true);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'invitation_invalid', reason: 'not_open', detail: NOT_OPEN });
    expect(await stateOf(invitation.id)).toBe('revoked');
  });

  it('a Company blocking transfers out says so and who can switch it off', async () => {
    const dev = await signUpVerified(t, { firstName: 'Dana', lastName: 'Dev' });
    const co = await createCompany(t, dev, { name: 'Dev Agency' });
    const app = await bookApp(t, dev, co);
    const email = uniqueEmail('cl');
    const { token } = await inviteClient(t, dev, app, email);
    const client = await signUpClient(t, token, email);
    expect((await as(t, dev).patch(`/api/v1/companies/${co.id}`, { blockTransfersOut: true })).statusCode).toBe(200);
    const res = await accept(client, { token, company: { name: 'Bakery' }, billingContact: contactInput(), paymentMethod: { token: await cardToken(t) } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'transfers_blocked', detail: '"Dev Agency" blocks transfers out at the moment, so the App cannot be handed over. Ask Dana to switch this off.' });
  });

  it('an inviter who left the App\'s Company altogether cannot hand it over either', async () => {
    const dev = await signUpVerified(t, { firstName: 'Dana', lastName: 'Dev' });
    const co = await createCompany(t, dev);
    const app = await bookApp(t, dev, co);
    const email = uniqueEmail('cl');
    const { invitation, token } = await inviteClient(t, dev, app, email);
    const client = await signUpClient(t, token, email);
    await addMember(t, co.id, await signUpVerified(t), 'owner');
    await t.services.db.delete(memberships).where(and(eq(memberships.companyId, co.id), eq(memberships.accountId, dev.id)));
    const res = await accept(client, { token, company: { name: 'Bakery' }, billingContact: contactInput(), paymentMethod: { token: await cardToken(t) } });
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json()).toMatchObject({ code: 'invitation_invalid', reason: 'inviter_cannot' });
    expect(await stateOf(invitation.id)).toBe('pending');
  });

  it('a trial handed over tells no previous owners (there are none); the new Company has an id like any other', async () => {
    const { token, client } = await offer();
    const before = await t.services.db.select().from(outbox).where(eq(outbox.kind, 'handover-previous-owner'));
    const res = await accept(client, { token, company: { name: 'Bakery' }, billingContact: contactInput(), paymentMethod: { token: await cardToken(t) } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().company.id).toMatch(/^co_[A-Za-z0-9_-]{22}$/);
    // The new Company's first events: created (via the handover) and its billing contact.
    const events = (await eventsOf(res.json().company.id)).filter((e) => e.action === 'company.created' || e.action === 'billing_contact.created');
    expect(events.map((e) => ({ action: e.action, category: e.category, actorId: e.actorId, details: e.details }))).toMatchObject([
      { action: 'company.created', category: 'company', actorId: client.id, details: { name: 'Bakery', via: 'handover' } },
      { action: 'billing_contact.created', category: 'billing', actorId: client.id, details: { name: contactInput().name, currency: 'EUR', paymentMethod: { brand: 'visa', last4: '4242' } } },
    ]);
    const after = await t.services.db.select().from(outbox).where(eq(outbox.kind, 'handover-previous-owner'));
    expect(after).toHaveLength(before.length);
  });
});

describe('the inviter in the client\'s own Company (SPEC 4.1 step 4)', () => {
  it('a collaborator there becomes admin, recorded as a role change; the new billing contact is recorded', async () => {
    const { dev, app, invitation, token, client } = await offer();
    const mine = await createCompany(t, client, { name: 'Clara Two' });
    await addMember(t, mine.id, dev, 'collaborator');
    const res = await accept(client, { token, company: { id: mine.id }, consent: true, billingContact: contactInput({ name: 'Clara Billing' }), paymentMethod: { token: await cardToken(t) } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ company: { id: mine.id, name: 'Clara Two' }, app: { name: app } });
    expect(await roleIn(mine.id, dev)).toBe('admin');
    const events = await eventsOf(mine.id);
    const contact = events.find((e) => e.action === 'billing_contact.created' && (e.details as { name?: string }).name === 'Clara Billing');
    expect(contact).toMatchObject({ category: 'billing', actorId: client.id, details: { name: 'Clara Billing' } });
    expect(Object.keys(contact!.details).sort()).toEqual(['contactId', 'name']);
    const changed = events.filter((e) => e.action === 'member.role_changed');
    expect(changed.map((e) => ({ category: e.category, actorId: e.actorId, details: e.details }))).toEqual([
      { category: 'member', actorId: client.id, details: { accountId: dev.id, before: 'collaborator', after: 'admin', via: 'handover' } },
    ]);
    expect(events.filter((e) => e.action === 'member.added')).toEqual([]);
    expect(events.find((e) => e.action === 'handover.accepted')?.details).toMatchObject({ invitationId: invitation.id, inviterRole: 'admin' });
  });

  for (const role of ['owner', 'admin'] as const) {
    it(`an ${role} there stays ${role}, and no role change is recorded`, async () => {
      const { dev, token, client } = await offer();
      const mine = await createCompany(t, client);
      await addMember(t, mine.id, dev, role);
      const res = await accept(client, { token, company: { id: mine.id }, consent: true, billingContactId: mine.contactId });
      expect(res.statusCode, res.body).toBe(200);
      expect(await roleIn(mine.id, dev)).toBe(role);
      const events = await eventsOf(mine.id);
      expect(events.filter((e) => e.action === 'member.role_changed' || e.action === 'member.added')).toEqual([]);
      expect(events.find((e) => e.action === 'handover.accepted')?.details).toMatchObject({ inviterRole: role });
    });
  }
});

describe('the client\'s place in her Company read again inside the transaction (SPEC 4.1.7, issue 10)', () => {
  // Stryker, acceptClientInvitation.ts:146–148 (3 December afternoon): the membership and role
  // are read again under the Company lock; what changed in the window decides.
  async function ownerWithSecond() {
    const { app, invitation, token, client } = await offer();
    const mine = await createCompany(t, client);
    const second = await signUpVerified(t);
    await addMember(t, mine.id, second, 'owner');
    return { app, invitation, token, client, mine, second };
  }

  it('removed from the Company between the check and the transaction: 404 in words, the invitation stays open', async () => {
    const { invitation, token, client, mine, second } = await ownerWithSecond();
    let removed = '';
    const reached = beforeNextTransaction(t, async () => {
      const del = await as(t, second).delete(`/api/v1/companies/${mine.id}/members/${client.id}`);
      removed = `${del.statusCode} ${del.body}`;
    });
    const res = await accept(client, { token, company: { id: mine.id }, consent: true, billingContactId: mine.contactId });
    expect(reached()).toBe(true);
    expect(removed).toBe('204 ');
    // The Company is still there; she is not in it any more (without the check on her membership: a 500).
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found', detail: 'This Company does not exist or you cannot see it.' });
    expect(await stateOf(invitation.id)).toBe('pending');
    expect(await roleIn(mine.id, client)).toBeUndefined();
  });

  it('demoted from owner between the check and the transaction: 403 in words, nothing moves', async () => {
    const { app, invitation, token, client, mine, second } = await ownerWithSecond();
    let demoted = '';
    const reached = beforeNextTransaction(t, async () => {
      const res = await as(t, second).patch(`/api/v1/companies/${mine.id}/members/${client.id}`, { role: 'admin' });
      demoted = `${res.statusCode}`;
    });
    const res = await accept(client, { token, company: { id: mine.id }, consent: true, billingContactId: mine.contactId });
    expect(reached()).toBe(true);
    expect(demoted).toBe('200');
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden', detail: 'Only an owner of that company can take over an App for it.' });
    expect(await stateOf(invitation.id)).toBe('pending');
    const [row] = await t.services.db.select().from(apps).where(eq(apps.name, app));
    expect(row.companyId).toBeNull();
    expect(row.status).toBe('trial');
  });
});

// PostgreSQL: the test holds the chosen billing contact's row while it changes it; the accept
// must read the contact after that change commits (it locks the row), so what the client is
// told she agreed to is the contact that pays (test/harness/locks.ts).
describe('the inviter not yet in the client\'s Company joins it as admin (SPEC 4.1 step 4, issue 10)', () => {
  it('she is added as admin with a member.added event, and her open team invitation there ends; others stay open', async () => {
    const { dev, token, client } = await offer();
    const mine = await createCompany(t, client, { name: 'Clara Six' });
    const elsewhere = await createCompany(t, client, { name: 'Clara Seven' });
    const toDev = await as(t, client).post(`/api/v1/companies/${mine.id}/invitations`, { email: dev.email, role: 'admin' });
    expect(toDev.statusCode, toDev.body).toBe(201);
    const toOther = await as(t, client).post(`/api/v1/companies/${mine.id}/invitations`, { email: uniqueEmail('other'), role: 'admin' });
    expect(toOther.statusCode, toOther.body).toBe(201);
    const devElsewhere = await as(t, client).post(`/api/v1/companies/${elsewhere.id}/invitations`, { email: dev.email, role: 'admin' });
    expect(devElsewhere.statusCode, devElsewhere.body).toBe(201);
    const res = await accept(client, { token, company: { id: mine.id }, consent: true, billingContactId: mine.contactId });
    expect(res.statusCode, res.body).toBe(200);
    expect(await roleIn(mine.id, dev)).toBe('admin');
    // The invitation to someone who is now a member would be a second way in; it ends with the handover.
    expect(await stateOf(toDev.json().id)).toBe('revoked');
    expect(await stateOf(toOther.json().id)).toBe('pending');
    expect(await stateOf(devElsewhere.json().id)).toBe('pending');
    const added = (await eventsOf(mine.id)).filter((e) => e.action === 'member.added');
    expect(added.map((e) => ({ category: e.category, actorId: e.actorId, details: e.details }))).toEqual([
      { category: 'member', actorId: client.id, details: { accountId: dev.id, email: dev.email, role: 'admin', via: 'handover' } },
    ]);
    expect((await eventsOf(mine.id)).find((e) => e.action === 'handover.accepted')?.details).toMatchObject({ inviterRole: 'admin' });
  });

  it('in a new Company too: the client owner, the inviter admin, one member.added event', async () => {
    const { dev, token, client } = await offer();
    const res = await accept(client, { token, company: { name: 'Bakery Eight' }, billingContact: contactInput(), paymentMethod: { token: await cardToken(t) } });
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json().company.id as string;
    expect(await roleIn(id, client)).toBe('owner');
    expect(await roleIn(id, dev)).toBe('admin');
    const added = (await eventsOf(id)).filter((e) => e.action === 'member.added');
    expect(added.map((e) => ({ category: e.category, actorId: e.actorId, details: e.details }))).toEqual([
      { category: 'member', actorId: client.id, details: { accountId: dev.id, email: dev.email, role: 'admin', via: 'handover' } },
    ]);
  });
});

describe('what a handover records, on both sides (SPEC 5: every handover and billing change writes an event; issue 10)', () => {
  const pick = (e: typeof activityEvents.$inferSelect) => ({ action: e.action, category: e.category, actorId: e.actorId, appName: e.appName, details: e.details });
  const day = (d: Date, plus = 0) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + plus)).toISOString().slice(0, 10);

  it('a Company App into the client\'s Company: accepted and added there, handed over and removed at the agency, each whole', async () => {
    const dev = await signUpVerified(t, { firstName: 'Dana', lastName: 'Dev' });
    const agency = await createCompany(t, dev, { name: 'Dev Agency Nine' });
    const app = await bookApp(t, dev, agency);
    const email = uniqueEmail('cl');
    const { invitation, token } = await inviteClient(t, dev, app, email);
    const client = await signUpClient(t, token, email);
    const mine = await createCompany(t, client, { name: 'Clara Nine' });
    const res = await accept(client, { token, company: { id: mine.id }, consent: true, billingContactId: mine.contactId });
    expect(res.statusCode, res.body).toBe(200);
    const now = t.clock.now();
    const price = { amount: 1600, currency: 'EUR' };
    const plan = { php: 'php-s', database: 'db-s', storage: 'storage-10' };
    const details = { invitationId: invitation.id, from: { companyId: agency.id }, to: { companyId: mine.id, name: 'Clara Nine' }, plan, monthlyPrice: price, inviterRole: 'admin' };
    const theirs = (await eventsOf(mine.id)).filter((e) => e.action.startsWith('handover.') || e.action.startsWith('billing.app'));
    expect(theirs.map(pick)).toEqual([
      { action: 'handover.accepted', category: 'app', actorId: client.id, appName: app, details },
      { action: 'billing.app_added', category: 'billing', actorId: client.id, appName: app, details: { contactId: mine.contactId, plan, monthlyPrice: price, fromDay: day(now, 1) } },
    ]);
    const agencys = (await eventsOf(agency.id)).filter((e) => e.action === 'app.handed_over' || e.action === 'billing.app_removed');
    expect(agencys.map(pick)).toEqual([
      { action: 'app.handed_over', category: 'app', actorId: client.id, appName: app, details },
      { action: 'billing.app_removed', category: 'billing', actorId: client.id, appName: app, details: { throughDay: day(now) } },
    ]);
  });

  it('a trial into a new Company: from "trial", and nothing recorded for a Company it came from', async () => {
    const { app, invitation, token, client } = await offer();
    const res = await accept(client, { token, company: { name: 'Bakery Ten' }, billingContact: contactInput(), paymentMethod: { token: await cardToken(t) } });
    expect(res.statusCode, res.body).toBe(200);
    // The link's cookie is cleared with the answer (the mailed link set it to keep the token out of the URL, ADR 0005).
    expect(String(res.headers['set-cookie'])).toContain('dashboard.invitation=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax');
    const id = res.json().company.id as string;
    const accepted = (await eventsOf(id)).filter((e) => e.action === 'handover.accepted');
    expect(accepted.map(pick)).toEqual([{
      action: 'handover.accepted', category: 'app', actorId: client.id, appName: app,
      details: { invitationId: invitation.id, from: 'trial', to: { companyId: id, name: 'Bakery Ten' }, plan: { php: 'php-s', database: 'db-s', storage: 'storage-10' }, monthlyPrice: { amount: 1600, currency: 'EUR' }, inviterRole: 'admin' },
    }]);
    const elsewhere = await t.services.db.select().from(activityEvents).where(eq(activityEvents.appName, app));
    expect(elsewhere.filter((e) => e.action === 'app.handed_over' || e.action === 'billing.app_removed')).toEqual([]);
  });
});

describe.runIf(onPostgres)('the chosen billing contact is read under its row lock (PostgreSQL)', () => {
  it('a contact renamed while the accept waits: the summary and the App name the contact as it is now', async () => {
    const { app, token, client } = await offer();
    const mine = await createCompany(t, client);
    const [res] = await queuedBehind(t, async (tx) => {
      await tx.update(billingContacts).set({ name: 'Renamed Meanwhile' }).where(eq(billingContacts.id, mine.contactId));
    }, [{ run: () => accept(client, { token, company: { id: mine.id }, consent: true, billingContactId: mine.contactId }), waitsOn: /billing_contacts/ }]);
    // Without the lock the accept read the contact before the rename committed and told the old name.
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().summary.billingContact.name).toBe('Renamed Meanwhile');
    const [row] = await t.services.db.select().from(apps).where(eq(apps.name, app));
    expect(row.billingContactId).toBe(mine.contactId);
  });
});

describe.runIf(onPostgres)('the accept takes its locks in the order of ADR 0016 (PostgreSQL)', () => {
  it('both Companies are locked before the App: while the accept waits for the App, neither Company row is free', async () => {
    const dev = await signUpVerified(t, { firstName: 'Dana', lastName: 'Dev' });
    const agency = await createCompany(t, dev);
    const app = await bookApp(t, dev, agency);
    const email = uniqueEmail('cl');
    const { token } = await inviteClient(t, dev, app, email);
    const client = await signUpClient(t, token, email);
    const mine = await createCompany(t, client);
    // Another connection tries each Company row without waiting: 55P03 means the accept holds it.
    const rowFree = async (companyId: string) => {
      try {
        await t.services.db.transaction(async (tx) => { await tx.execute(sql`SELECT 1 FROM companies WHERE id = ${companyId} FOR UPDATE NOWAIT`); });
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === '55P03' || (err as { cause?: { code?: string } }).cause?.code === '55P03') return false;
        throw err;
      }
    };
    type Step = { statusCode?: number; body?: string; free?: boolean[] };
    const [res, probe] = await queuedBehind<Step>(t, async (tx) => {
      await tx.execute(sql`SELECT 1 FROM apps WHERE name = ${app} FOR UPDATE`);
    }, [
      { run: async () => { const r = await accept(client, { token, company: { id: mine.id }, consent: true, billingContactId: mine.contactId }); return { statusCode: r.statusCode, body: r.body }; }, waitsOn: /apps/ },
      { run: async () => ({ free: [await rowFree(agency.id), await rowFree(mine.id)] }) },
    ]);
    // Without the first lockAll the accept waited at the App holding no Company, and both rows were free.
    expect(probe.free).toEqual([false, false]);
    expect(res.statusCode, res.body).toBe(200);
    const [row] = await t.services.db.select().from(apps).where(eq(apps.name, app));
    expect(row.companyId).toBe(mine.id);
  });
});
