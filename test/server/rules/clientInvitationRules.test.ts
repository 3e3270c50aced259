import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accounts, activityEvents, companies, invitations } from '../../../src/server/db/schema.js';
import { appsRepo } from '../../../src/server/modules/apps/repo.js';
import { markAppDeleted } from '../../../src/server/modules/apps/lifecycle.js';
import { monthlyPrice } from '../../../src/server/modules/plans/pricing.js';
import { addMember, bookApp, cardToken, contactInput, createCompany, createTrial, MEDIUM_PLAN, SMALL_PLAN, uniqueAppName } from '../../harness/factories.js';
import { acceptWithNewCompany, inviteClient, latestInvitationToken, renewed, signUpClient } from '../../harness/handover.js';
import { queuedBehind } from '../../harness/locks.js';
import { onPostgres } from '../../harness/testDb.js';
import { as, createTestApp, mailsTo, signUpVerified, uniqueEmail, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 10 (Stryker on invitations/clientInvitations.ts, 3 December afternoon): the rules of
 * offering an App to a client (SPEC 4.1 steps 1–3, SPEC 5), each asserted by a test of its own:
 * what an offer says (price in the App's currency, name, expiry, language), whom it may go to,
 * which invitation resend and revoke may touch and in which state, and what they record.
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });
// Tests that move the clock past an expiry put it back, so each test starts at the same time.
afterEach(() => { t.clock.reset(); });

const offerTo = (who: SignedIn, app: string, body: Record<string, unknown>) => as(t, who).post(`/api/v1/apps/${app}/client-invitations`, body);
const listOf = (who: SignedIn, app: string) => as(t, who).get(`/api/v1/apps/${app}/client-invitations`);
const resend = (who: SignedIn, app: string, id: string) => as(t, who).post(`/api/v1/apps/${app}/client-invitations/${id}/resend`, {});
const revoke = (who: SignedIn, app: string, id: string) => as(t, who).delete(`/api/v1/apps/${app}/client-invitations/${id}`);
const rowOf = async (id: string) => (await t.services.db.select().from(invitations).where(eq(invitations.id, id)))[0];
const eventsOfApp = (app: string, action: string) =>
  t.services.db.select().from(activityEvents).where(and(eq(activityEvents.appName, app), eq(activityEvents.action, action))).orderBy(asc(activityEvents.id));

async function developer() {
  return signUpVerified(t, { firstName: 'Dana', lastName: 'Dev' });
}

describe('an offer as made and listed (SPEC 4.1 steps 1–3)', () => {
  it('the client is shown the price in the currency of the App\'s own billing contact, as the inviter is (a Company with a EUR and a USD contact)', async () => {
    const dev = await developer();
    const co = await createCompany(t, dev, { currency: 'EUR' });
    const added = await as(t, dev).post(`/api/v1/companies/${co.id}/billing-contacts`, { ...contactInput({ name: 'Acme US Inc', currency: 'USD', vatNumber: undefined, address: { line1: '1 Main St', postalCode: '10001', city: 'New York', country: 'US' } }), paymentMethod: { token: await cardToken(t) } });
    expect(added.statusCode, added.body).toBe(201);
    const onUsd = uniqueAppName('usd');
    const booked = await as(t, dev).post('/api/v1/apps', { name: onUsd, region: 'eu1', companyId: co.id, billingContactId: added.json().id, plan: SMALL_PLAN });
    expect(booked.statusCode, booked.body).toBe(201);
    const onEur = await bookApp(t, dev, co);
    // Whichever contact a list would show first, each App's offer names its own currency.
    for (const [app, currency] of [[onUsd, 'USD'], [onEur, 'EUR']] as const) {
      const email = uniqueEmail('cl');
      const offered = await offerTo(dev, app, { email, plan: SMALL_PLAN });
      expect(offered.json().monthlyPrice).toEqual(monthlyPrice(SMALL_PLAN as never, currency));
      const token = await latestInvitationToken(t, email);
      const seen = await as(t, dev).post('/api/v1/invitations/lookup', { token });
      expect(seen.json().monthlyPrice, app).toEqual(monthlyPrice(SMALL_PLAN as never, currency));
    }
  });

  it('a Company App that pays in USD is offered in USD, with EUR as the other currency; the name is kept, trimmed', async () => {
    const dev = await developer();
    const co = await createCompany(t, dev, { currency: 'USD' });
    const app = await bookApp(t, dev, co);
    const email = uniqueEmail('cl');
    const res = await offerTo(dev, app, { email, name: '  Clara Client  ', message: '  Here it is.  ', plan: SMALL_PLAN });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ email, name: 'Clara Client', state: 'pending', monthlyPrice: monthlyPrice(SMALL_PLAN as never, 'USD'), invitedBy: { firstName: 'Dana', lastName: 'Dev' } });
    const listed = (await listOf(dev, app)).json().items;
    expect(listed).toEqual([res.json()]);
    const [mail] = await mailsTo(t.services.db, email, 'client-invitation');
    expect(mail.textBody).toContain('Hello Clara Client');
    expect(mail.textBody).toContain('Here it is.');
    expect(mail.textBody).toMatch(/\bEUR\b/);
    const row = await rowOf(res.json().id);
    expect(row).toMatchObject({ clientName: 'Clara Client', message: 'Here it is.', kind: 'client', language: null });
    // Resent: the same currencies again.
    const again = await resend(dev, app, res.json().id);
    expect(again.json().monthlyPrice).toEqual(monthlyPrice(SMALL_PLAN as never, 'USD'));
    const [resent] = await mailsTo(t.services.db, email, 'client-invitation');
    expect(resent.id).not.toBe(mail.id);
    expect(resent.textBody).toMatch(/\bEUR\b/);
    // Handing over is the owner's (SPEC section 3): an admin of the Company neither lists, resends nor revokes the offer.
    const admin = await signUpVerified(t);
    await addMember(t, co.id, admin, 'admin');
    for (const res of [await listOf(admin, app), await resend(admin, app, row.id), await revoke(admin, app, row.id)]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    expect((await revoke(dev, app, row.id)).statusCode).toBe(204);
  });

  it('a trial is offered in EUR with USD as the other currency; without a name the view has none and the mail greets plainly', async () => {
    const dev = await developer();
    const app = await createTrial(t, dev);
    const email = uniqueEmail('cl');
    const res = await offerTo(dev, app, { email, plan: MEDIUM_PLAN, name: '   ' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().monthlyPrice).toEqual(monthlyPrice(MEDIUM_PLAN as never, 'EUR'));
    expect(Object.keys(res.json())).not.toContain('name');
    expect((await listOf(dev, app)).json().items[0]).not.toHaveProperty('name');
    const [mail] = await mailsTo(t.services.db, email, 'client-invitation');
    expect(mail.textBody).toMatch(/\bUSD\b/);
    expect(mail.textBody).not.toContain('Hello ,');
    expect((await rowOf(res.json().id)).clientName).toBeNull();
  });

  it('expires exactly the configured time after it was sent; the event names the invitation, address and plan', async () => {
    const dev = await developer();
    const app = await createTrial(t, dev);
    const email = uniqueEmail('cl');
    const sent = t.clock.now();
    const res = await offerTo(dev, app, { email, plan: SMALL_PLAN });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().id).toMatch(/^inv_[A-Za-z0-9_-]{22}$/);
    expect(res.json().expiresAt).toBe(new Date(sent.getTime() + t.services.config.clientInvitationTtlMs).toISOString());
    expect(res.json().createdAt).toBe(sent.toISOString());
    const events = await eventsOfApp(app, 'handover.invited');
    expect(events.map((e) => ({ category: e.category, actorId: e.actorId, details: e.details }))).toEqual([
      { category: 'app', actorId: dev.id, details: { invitationId: res.json().id, email, plan: SMALL_PLAN } },
    ]);
  });

  it('without a language chosen the client\'s mail is in the inviter\'s own language', async () => {
    const dev = await developer();
    expect((await as(t, dev).patch('/api/v1/me', { language: 'de' })).statusCode).toBe(200);
    await t.services.identitySync();
    const app = await createTrial(t, dev);
    const email = uniqueEmail('kunde');
    const res = await offerTo(dev, app, { email, plan: SMALL_PLAN });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).not.toHaveProperty('language');
    const [mail] = await mailsTo(t.services.db, email, 'client-invitation');
    expect(mail.subject).toMatch(/lädt Sie ein/);
  });
});

describe('whom an App may be offered to (SPEC 4.1, 4.5)', () => {
  it('not to the inviter herself, in any letter case: refused on the e-mail field, nothing stored or sent', async () => {
    const dev = await developer();
    const app = await createTrial(t, dev);
    const res = await offerTo(dev, app, { email: dev.email.toUpperCase(), plan: SMALL_PLAN });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'validation_failed', detail: 'You cannot hand an App over to yourself; enter your client’s e-mail address.',
      errors: [{ path: 'email', message: 'This is your own e-mail address.' }],
    });
    expect((await listOf(dev, app)).json().items).toEqual([]);
    expect(await mailsTo(t.services.db, dev.email, 'client-invitation')).toEqual([]);
  });

  it('not from an inviter without a first or a last name (blanks are no name), in words; nothing stored', async () => {
    const dev = await developer();
    const app = await createTrial(t, dev);
    for (const names of [{ firstName: 'Dana', lastName: '' }, { firstName: '   ', lastName: 'Dev' }, { firstName: 'Dana', lastName: '  ' }]) {
      await t.services.db.update(accounts).set(names).where(eq(accounts.id, dev.id));
      await t.services.identitySync();
      const res = await offerTo(dev, app, { email: uniqueEmail('cl'), plan: SMALL_PLAN });
      expect(res.statusCode, JSON.stringify(names)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'name_required', detail: 'Add your first and last name in your profile first: the client needs to know who invites them.' });
    }
    expect((await listOf(dev, app)).json().items).toEqual([]);
  });

  it('not from a Company that blocks transfers out, in words that say who can change it', async () => {
    const dev = await developer();
    const co = await createCompany(t, dev, { name: 'Locked Agency' });
    const app = await bookApp(t, dev, co);
    expect((await as(t, dev).patch(`/api/v1/companies/${co.id}`, { blockTransfersOut: true })).statusCode).toBe(200);
    const res = await offerTo(dev, app, { email: uniqueEmail('cl'), plan: SMALL_PLAN });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'transfers_blocked', detail: '"Locked Agency" blocks transfers out, so its Apps cannot be handed over. An owner can switch this off on the Company page.' });
    expect((await listOf(dev, app)).json().items).toEqual([]);
  });

  it('an offer whose pending predecessor has expired replaces it (stored as expired); an open one is refused in words', async () => {
    const dev = await developer();
    const app = await createTrial(t, dev);
    // Another App's offer, stale too: expiring this App's stale offers leaves it alone.
    const elsewhere = await developer();
    const otherOffer = await inviteClient(t, elsewhere, await createTrial(t, elsewhere), uniqueEmail('else'));
    const first = await offerTo(dev, app, { email: uniqueEmail('one'), plan: SMALL_PLAN });
    expect(first.statusCode).toBe(201);
    const open = await offerTo(dev, app, { email: uniqueEmail('two'), plan: SMALL_PLAN });
    expect(open.statusCode).toBe(409);
    expect(open.json()).toMatchObject({ code: 'invitation_pending_exists', detail: 'This App already has an open invitation. Resend or revoke it before inviting someone else.' });
    t.clock.advance(t.services.config.clientInvitationTtlMs + 1000);
    const second = await offerTo(dev, app, { email: uniqueEmail('three'), plan: SMALL_PLAN });
    expect(second.statusCode, second.body).toBe(201);
    expect((await rowOf(first.json().id)).state).toBe('expired');
    expect((await rowOf(second.json().id)).state).toBe('pending');
    expect((await rowOf(otherOffer.invitation.id)).state).toBe('pending');
  });
});

describe('which invitation resend and revoke may touch, and in which state (SPEC 4.1)', () => {
  it('another App\'s invitation, a team invitation and an unknown id are not found through this App, in words', async () => {
    const dev = await developer();
    const app = await createTrial(t, dev);
    const co = await createCompany(t, dev);
    const other = await bookApp(t, dev, co);
    const { invitation } = await inviteClient(t, dev, other, uniqueEmail('cl'));
    const team = await as(t, dev).post(`/api/v1/companies/${co.id}/invitations`, { email: uniqueEmail('tm'), role: 'admin' });
    expect(team.statusCode).toBe(201);
    const NOT_FOUND = { code: 'not_found', detail: 'This invitation does not exist or you cannot see it.' };
    for (const id of [invitation.id, team.json().id as string, 'inv_unknown']) {
      const r1 = await resend(dev, app, id);
      expect(r1.statusCode, id).toBe(404);
      expect(r1.json()).toMatchObject(NOT_FOUND);
      const r2 = await revoke(dev, app, id);
      expect(r2.statusCode, id).toBe(404);
      expect(r2.json()).toMatchObject(NOT_FOUND);
    }
    // The team invitation of that App's own Company is not a client invitation of the App either.
    expect((await resend(dev, other, team.json().id)).statusCode).toBe(404);
    expect((await rowOf(invitation.id)).state).toBe('pending');
    expect((await rowOf(team.json().id)).state).toBe('pending');
  });

  it('an accepted, a revoked and a declined invitation are not resent, each named; revoking again says it already was', async () => {
    const dev = await developer();
    const app = await createTrial(t, dev);
    const revokedOne = await inviteClient(t, dev, app, uniqueEmail('rv'));
    expect((await revoke(dev, app, revokedOne.invitation.id)).statusCode).toBe(204);
    const again = await resend(dev, app, revokedOne.invitation.id);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'conflict', detail: 'This invitation was revoked; send a new invitation instead.' });
    const twice = await revoke(dev, app, revokedOne.invitation.id);
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'conflict', detail: 'This invitation was already revoked.' });

    const declinedOne = await inviteClient(t, dev, app, uniqueEmail('dc'));
    expect((await as(t, null).post('/api/v1/invitations/decline', { token: declinedOne.token })).statusCode).toBe(204);
    const declined = await resend(dev, app, declinedOne.invitation.id);
    expect(declined.statusCode).toBe(409);
    expect(declined.json()).toMatchObject({ code: 'conflict', detail: 'This invitation was declined; send a new invitation instead.' });

    const email = uniqueEmail('ac');
    const acceptedOne = await inviteClient(t, dev, app, email);
    const client = await signUpClient(t, acceptedOne.token, email);
    const done = await acceptWithNewCompany(t, client, acceptedOne.token);
    expect(done.statusCode).toBe(200);
    // The App is the client's now (she owns its Company): her invitation is not sent again.
    const accepted = await resend(renewed(client, done), app, acceptedOne.invitation.id);
    expect(accepted.statusCode).toBe(409);
    expect(accepted.json()).toMatchObject({ code: 'conflict', detail: 'This invitation was accepted; send a new invitation instead.' });
    expect((await rowOf(acceptedOne.invitation.id)).state).toBe('accepted');
  });

  it('an expired invitation is not resent while a newer one of the App is open: it says to revoke that first', async () => {
    const dev = await developer();
    const app = await createTrial(t, dev);
    const old = await inviteClient(t, dev, app, uniqueEmail('old'));
    const elsewhere = await developer();
    const otherOffer = await inviteClient(t, elsewhere, await createTrial(t, elsewhere), uniqueEmail('else'));
    t.clock.advance(t.services.config.clientInvitationTtlMs + 1000);
    const newer = await inviteClient(t, dev, app, uniqueEmail('new'));
    const res = await resend(dev, app, old.invitation.id);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'invitation_pending_exists', detail: 'This App already has another open invitation. Revoke it first.' });
    expect((await rowOf(old.invitation.id)).state).toBe('expired');
    expect((await rowOf(newer.invitation.id)).state).toBe('pending');
    // Once the newer one is revoked, the old one can be sent again.
    expect((await revoke(dev, app, newer.invitation.id)).statusCode).toBe(204);
    expect((await resend(dev, app, old.invitation.id)).statusCode).toBe(200);
    // The resend expired only this App's stale offers (the other App's is still stored as pending).
    expect((await rowOf(otherOffer.invitation.id)).state).toBe('pending');
  });

  it('an invitation stored as expired (a newer one replaced it) can still be revoked', async () => {
    const dev = await developer();
    const app = await createTrial(t, dev);
    const old = await inviteClient(t, dev, app, uniqueEmail('old'));
    t.clock.advance(t.services.config.clientInvitationTtlMs + 1000);
    await inviteClient(t, dev, app, uniqueEmail('new'));
    expect((await rowOf(old.invitation.id)).state).toBe('expired');
    expect((await revoke(dev, app, old.invitation.id)).statusCode).toBe(204);
    expect((await rowOf(old.invitation.id)).state).toBe('revoked');
  });

  it('resend and revoke each record one app event with the invitation and address; the resent mail carries the new link', async () => {
    const dev = await developer();
    const app = await createTrial(t, dev);
    const email = uniqueEmail('cl');
    const { invitation, token } = await inviteClient(t, dev, app, email, SMALL_PLAN, { name: 'Clara' });
    const res = await resend(dev, app, invitation.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: invitation.id, name: 'Clara', state: 'pending', invitedBy: { firstName: 'Dana', lastName: 'Dev' } });
    const newToken = await latestInvitationToken(t, email);
    expect(newToken).not.toBe(token);
    const [mail] = await mailsTo(t.services.db, email, 'client-invitation');
    expect(mail.textBody).toContain('Hello Clara');
    expect(mail.textBody).toMatch(/\bUSD\b/);
    expect((await revoke(dev, app, invitation.id)).statusCode).toBe(204);
    for (const action of ['handover.resent', 'handover.revoked']) {
      const events = await eventsOfApp(app, action);
      expect(events.map((e) => ({ category: e.category, actorId: e.actorId, details: e.details })), action).toEqual([
        { category: 'app', actorId: dev.id, details: { invitationId: invitation.id, email } },
      ]);
    }
  });
});

// PostgreSQL: deleting an App revokes its open invitations under the App's row lock
// (apps/lifecycle.ts markAppDeleted). An offer, a resend or a revoke must take that lock before it
// reads the App, or it acts on an App that is being deleted (test/harness/locks.ts: the test
// deletes the App in its own transaction and holds it open while the request queues).
describe.runIf(onPostgres)('offers wait for the App\'s deletion (ADR 0016, PostgreSQL)', () => {
  const deletingWhile = async <T>(app: string, run: () => Promise<T>) => {
    const [res] = await queuedBehind(t, async (tx) => {
      const found = await appsRepo.byName(tx, app, true);
      await markAppDeleted(tx, found!.app, t.clock.now());
    }, [{ run, waitsOn: /apps/ }]);
    return res;
  };

  it('a decline that commits after the resend read the invitation: the resend changes nothing ("changed in the meantime")', async () => {
    const dev = await developer();
    const app = await createTrial(t, dev);
    const email = uniqueEmail('dr');
    const { invitation, token } = await inviteClient(t, dev, app, email);
    // As for team invitations (rules/teamInvitationRules): the decline takes no App lock; the test
    // holds the activity table, so the decline stops after it changed the invitation; the resend
    // reads it still pending, passes its checks and waits for the decline at its update.
    const [declined, resent] = await queuedBehind(t, (tx) => tx.execute(sql`LOCK TABLE activity_events IN EXCLUSIVE MODE`), [
      { run: () => as(t, null).post('/api/v1/invitations/decline', { token }), waitsOn: /activity_events/i },
      { run: () => resend(dev, app, invitation.id), waitsOn: /invitations/i },
    ]);
    expect(declined.statusCode, declined.body).toBe(204);
    expect(resent.statusCode, resent.body).toBe(409);
    expect(resent.json()).toMatchObject({ code: 'conflict', detail: 'This invitation changed in the meantime; reload the page.' });
    expect((await rowOf(invitation.id)).state).toBe('declined');
    expect(await mailsTo(t.services.db, email, 'client-invitation')).toHaveLength(1);
    expect(await eventsOfApp(app, 'handover.resent')).toEqual([]);
  });

  it('an offer queued behind the deletion of its App is not found, and leaves no open invitation', async () => {
    const dev = await developer();
    const co = await createCompany(t, dev);
    const app = await bookApp(t, dev, co);
    const res = await deletingWhile(app, () => offerTo(dev, app, { email: uniqueEmail('cl'), plan: SMALL_PLAN }));
    // Without the lock the offer read the App as live and stored a pending invitation for a deleted App: 201.
    expect(res.statusCode, res.body).toBe(404);
    const open = await t.services.db.execute(sql`SELECT i.id FROM invitations i JOIN apps a ON a.id = i.app_id WHERE a.name = ${app} AND i.state = 'pending'`);
    expect(open.rows).toEqual([]);
  });

  it('a resend queued behind the deletion of its App is not found and sends nothing', async () => {
    const dev = await developer();
    const co = await createCompany(t, dev);
    const app = await bookApp(t, dev, co);
    const email = uniqueEmail('cl');
    const { invitation } = await inviteClient(t, dev, app, email);
    const res = await deletingWhile(app, () => resend(dev, app, invitation.id));
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found', detail: 'This App does not exist or you cannot see it.' });
    expect(await mailsTo(t.services.db, email, 'client-invitation')).toHaveLength(1);
    expect((await rowOf(invitation.id)).state).toBe('revoked');
  });

  it('a revoke queued behind the deletion of its App is not found and records nothing', async () => {
    const dev = await developer();
    const co = await createCompany(t, dev);
    const app = await bookApp(t, dev, co);
    const { invitation } = await inviteClient(t, dev, app, uniqueEmail('cl'));
    const res = await deletingWhile(app, () => revoke(dev, app, invitation.id));
    expect(res.statusCode, res.body).toBe(404);
    expect(await eventsOfApp(app, 'handover.revoked')).toEqual([]);
    const [company] = await t.services.db.select().from(companies).where(eq(companies.id, co.id));
    expect(company.deletedAt).toBeNull();
  });
});
