import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apps, companies, invitations, memberships } from '../../../src/server/db/schema.js';
import { bookApp, createCompany } from '../../harness/factories.js';
import { acceptWithNewCompany, inviteClient, signUpClient } from '../../harness/handover.js';
import { duringNextAuthorisation } from '../../harness/seams.js';
import { as, createTestApp, signUpVerified, uniqueEmail, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * ADR 0124: a paused (suspended) App is not handed over. Its open invoice belongs to its current
 * billing contact; the developer settles it first, and the client never takes over a site that
 * is offline for someone else's debt. 409 `app_suspended` (API.md), nothing changes, and an
 * invitation that exists stays open for when the invoice is paid.
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

const setStatus = (app: string, status: 'active' | 'suspended') => t.services.db.execute(sql`UPDATE apps SET status = ${status} WHERE name = ${app}`);
const appRow = async (name: string) => (await t.services.db.select().from(apps).where(eq(apps.name, name)))[0];
const stateOf = async (id: string) => (await t.services.db.select().from(invitations).where(eq(invitations.id, id)))[0].state;
const companiesOf = async (who: SignedIn) => (await t.services.db.select().from(memberships).where(eq(memberships.accountId, who.id))).length;
const companyCount = async () => (await t.services.db.select({ id: companies.id }).from(companies)).length;

async function agencyApp() {
  const dev = await signUpVerified(t, { firstName: 'Dana', lastName: 'Dev' });
  const agency = await createCompany(t, dev);
  const app = await bookApp(t, dev, agency);
  return { dev, agency, app };
}

describe('a suspended App is not offered (ADR 0124)', () => {
  it('inviting a client to it: 409 app_suspended in words, and no invitation is made', async () => {
    const { dev, app } = await agencyApp();
    await setStatus(app, 'suspended');
    const res = await as(t, dev).post(`/api/v1/apps/${app}/client-invitations`, { email: uniqueEmail('cl'), plan: { php: 'php-s', database: 'db-s', storage: 'storage-10' } });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ code: 'app_suspended', reason: 'invite', detail: `"${app}" is paused until its open invoice is paid. Pay the invoice under Billing first; then you can hand the App over.` });
    const rows = await t.services.db.select().from(invitations).where(eq(invitations.appId, (await appRow(app)).id));
    expect(rows).toEqual([]);
  });

  it('resending an offer made before the suspension: 409, and the old link stays the one that works', async () => {
    const { dev, app } = await agencyApp();
    const { invitation, token } = await inviteClient(t, dev, app, uniqueEmail('cl'));
    const before = (await t.services.db.select().from(invitations).where(eq(invitations.id, invitation.id)))[0];
    await setStatus(app, 'suspended');
    const res = await as(t, dev).post(`/api/v1/apps/${app}/client-invitations/${invitation.id}/resend`, {});
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ code: 'app_suspended', reason: 'invite' });
    const after = (await t.services.db.select().from(invitations).where(eq(invitations.id, invitation.id)))[0];
    expect(after).toEqual(before);
    expect((await as(t, dev).post('/api/v1/invitations/lookup', { token })).json()).toMatchObject({ kind: 'client', state: 'pending' });
  });
});

describe('a client cannot take over a suspended App (ADR 0124)', () => {
  it('suspended after the offer: the accept is refused before any card is authorised; paid, the same link works', async () => {
    const { dev, app } = await agencyApp();
    const email = uniqueEmail('cl');
    const { invitation, token } = await inviteClient(t, dev, app, email);
    const client = await signUpClient(t, token, email);
    await setStatus(app, 'suspended');
    let authorised = false;
    const real = t.services.payments.authorize;
    t.services.payments.authorize = async (...args) => { authorised = true; return real.apply(t.services.payments, args); };
    const companiesBefore = await companyCount();
    let res;
    try {
      res = await acceptWithNewCompany(t, client, token, 'Paused Bakery');
    } finally {
      t.services.payments.authorize = real;
    }
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'app_suspended', reason: 'handover',
      detail: 'This App is paused until an open invoice of its current billing contact is paid, so it cannot be taken over yet. Your invitation stays open: ask the person who invited you to settle the invoice, then try again.',
    });
    expect(authorised).toBe(false);
    expect(await companyCount()).toBe(companiesBefore);
    expect(await companiesOf(client)).toBe(0);
    expect(await stateOf(invitation.id)).toBe('pending');
    expect((await appRow(app)).status).toBe('suspended');

    // The invoice is paid (the App is active again): the client takes it over with the same link.
    await setStatus(app, 'active');
    const ok = await acceptWithNewCompany(t, client, token, 'Paused Bakery');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await appRow(app)).toMatchObject({ status: 'active', companyId: ok.json().company.id });
  });

  it('suspended while the card is authorised: refused at commit, nothing taken over, the invitation still open', async () => {
    const { dev, agency, app } = await agencyApp();
    const email = uniqueEmail('cl');
    const { invitation, token } = await inviteClient(t, dev, app, email);
    const client = await signUpClient(t, token, email);
    const reached = duringNextAuthorisation(t, async () => { await setStatus(app, 'suspended'); });
    const companiesBefore = await companyCount();
    const res = await acceptWithNewCompany(t, client, token, 'Late Bakery');
    expect(reached()).toBe(true);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ code: 'app_suspended', reason: 'handover' });
    expect(await companyCount()).toBe(companiesBefore);
    expect(await stateOf(invitation.id)).toBe('pending');
    expect(await appRow(app)).toMatchObject({ status: 'suspended', companyId: agency.id });
  });
});
