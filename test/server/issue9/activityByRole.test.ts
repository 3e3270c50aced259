import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityEvents, apps } from '../../../src/server/db/schema.js';
import { bookApp, cardToken, contactInput, createCompany, MEDIUM_PLAN, type CompanyFixture } from '../../harness/factories.js';
import { acceptWithNewCompany, inviteClient, signUpClient } from '../../harness/handover.js';
import { latestTeamToken } from '../../harness/team.js';
import { as, createTestApp, signUpVerified, uniqueEmail, type SignedIn, type TestApp } from '../../harness/testApp.js';

// Issue 9, defect 13: every kind of activity event read as every role. Owners and accountants
// read the details in full (accountants billing events only); admins read billing contacts by
// id and name only; collaborators read events of their Apps, without billing.
const SENSITIVE = ['address', 'line1', 'postalCode', 'city', 'vatNumber', 'invoiceEmail', 'paymentMethod', 'last4', 'brand'];

function sensitiveKeys(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => sensitiveKeys(v, found));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SENSITIVE.includes(k)) found.push(k);
      sensitiveKeys(v, found);
    }
  }
  return found;
}

interface Item { id: string; action: string; appName?: string; outcome: string; details: Record<string, unknown> }

describe('issue 9: activity details shaped by the reader’s role', () => {
  let t: TestApp;
  let owner: SignedIn; let admin: SignedIn; let collaborator: SignedIn; let accountant: SignedIn;
  let co: CompanyFixture;
  let mine: string;

  async function joinAs(role: string, appNames?: string[]): Promise<SignedIn> {
    const email = uniqueEmail(role);
    const res = await as(t, owner).post(`/api/v1/companies/${co.id}/invitations`, { email, role, ...(appNames ? { appNames } : {}) });
    expect(res.statusCode, res.body).toBe(201);
    const who = await signUpVerified(t, { email, firstName: role, lastName: 'Member' });
    const accepted = await as(t, who).post('/api/v1/invitations/accept', { token: await latestTeamToken(t, email) });
    expect(accepted.statusCode, accepted.body).toBe(200);
    return { ...who, cookie: accepted.headers['set-cookie'] ? renewedCookie(accepted.headers['set-cookie']) ?? who.cookie : who.cookie };
  }
  function renewedCookie(raw: string | string[]): string | null {
    const list = (Array.isArray(raw) ? raw : [raw]).map((c) => c.split(';')[0]).filter((c) => c.includes('session_token') && !c.endsWith('='));
    return list.length ? list.join('; ') : null;
  }

  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUpVerified(t, { firstName: 'Olivia', lastName: 'Owner' });
    co = await createCompany(t, owner, { name: 'Shapes Ltd' });
    const other = await createCompany(t, owner, { name: 'Elsewhere Ltd' });
    mine = await bookApp(t, owner, co);
    const theirs = await bookApp(t, owner, co);
    const moving = await bookApp(t, owner, co);
    const doomed = await bookApp(t, owner, co);
    admin = await joinAs('admin');
    collaborator = await joinAs('collaborator', [mine]);
    accountant = await joinAs('accountant');
    const o = as(t, owner);
    // Billing contacts: a second one, then a change of address, invoice e-mail and card.
    const added = await o.post(`/api/v1/companies/${co.id}/billing-contacts`, { ...contactInput({ name: 'Second Contact' }), paymentMethod: { token: await cardToken(t) } });
    expect(added.statusCode, added.body).toBe(201);
    const changed = await o.patch(`/api/v1/companies/${co.id}/billing-contacts/${added.json().id}`, {
      address: { line1: 'Neue Straße 2', postalCode: '10117', city: 'Berlin', country: 'DE' }, invoiceEmail: 'new@bakery.example', paymentMethod: { token: await cardToken(t) },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    // An admin's refused attempt at billing is recorded too.
    expect((await as(t, admin).post(`/api/v1/companies/${co.id}/billing-contacts`, { ...contactInput(), paymentMethod: { token: await cardToken(t) } })).statusCode).toBe(403);
    // Apps: scale, notes, env; one on the collaborator's App.
    expect((await o.put(`/api/v1/apps/${mine}/plan`, { plan: MEDIUM_PLAN })).statusCode).toBe(200);
    expect((await o.patch(`/api/v1/apps/${mine}`, { notes: 'hello' })).statusCode).toBe(200);
    expect((await as(t, collaborator).put(`/api/v1/apps/${mine}/env`, { vars: { A: '1' } })).statusCode).toBe(200);
    expect((await o.put(`/api/v1/apps/${theirs}/env`, { vars: { B: '2' } })).statusCode).toBe(200);
    // Team: an invitation resent and revoked, a role change, a removal, a departure.
    const email = uniqueEmail('later');
    const inv = await o.post(`/api/v1/companies/${co.id}/invitations`, { email, role: 'admin' });
    expect((await o.post(`/api/v1/companies/${co.id}/invitations/${inv.json().id}/resend`)).statusCode).toBe(200);
    expect((await o.delete(`/api/v1/companies/${co.id}/invitations/${inv.json().id}`)).statusCode).toBe(204);
    const extra = await joinAs('collaborator', [theirs]);
    expect((await o.patch(`/api/v1/companies/${co.id}/members/${extra.id}`, { role: 'admin' })).statusCode).toBe(200);
    expect((await o.delete(`/api/v1/companies/${co.id}/members/${extra.id}`)).statusCode).toBe(204);
    const leaver = await joinAs('admin');
    expect((await as(t, leaver).post(`/api/v1/companies/${co.id}/leave`, { confirm: co.name })).statusCode).toBe(204);
    // Handovers: invited, resent, revoked, declined; then one accepted.
    const c1 = uniqueEmail('client');
    const first = await inviteClient(t, owner, theirs, c1, MEDIUM_PLAN);
    expect((await o.post(`/api/v1/apps/${theirs}/client-invitations/${first.invitation.id}/resend`)).statusCode).toBe(200);
    expect((await o.delete(`/api/v1/apps/${theirs}/client-invitations/${first.invitation.id}`)).statusCode).toBe(204);
    const second = await inviteClient(t, owner, theirs, c1, MEDIUM_PLAN);
    expect((await as(t, null).post('/api/v1/invitations/decline', { token: second.token })).statusCode).toBe(204);
    const third = await inviteClient(t, owner, theirs, c1, MEDIUM_PLAN);
    const client = await signUpClient(t, third.token, c1);
    expect((await acceptWithNewCompany(t, client, third.token, 'Client Co')).statusCode).toBe(200);
    // Transfer, delete, rename, block.
    expect((await o.post(`/api/v1/apps/${moving}/transfer`, { toCompanyId: other.id, billingContactId: other.contactId })).statusCode).toBe(200);
    expect((await o.delete(`/api/v1/apps/${doomed}`)).statusCode).toBe(204);
    expect((await o.patch(`/api/v1/companies/${co.id}`, { name: 'Shapes Renamed', blockTransfersOut: true })).statusCode).toBe(200);
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  async function read(who: SignedIn): Promise<Item[]> {
    const res = await as(t, who).get(`/api/v1/companies/${co.id}/activity?limit=200`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  }

  async function stored() {
    const rows = await t.services.db.select().from(activityEvents).where(eq(activityEvents.companyId, co.id));
    return new Map(rows.map((r) => [String(r.id), r]));
  }

  it('the scenario made every kind of event', async () => {
    const kinds = new Set((await read(owner)).map((e) => e.action));
    for (const kind of [
      'company.created', 'billing_contact.created', 'billing_contact.updated', 'app.booked', 'app.scaled', 'app.notes_changed',
      'app.env_changed', 'invitation.created', 'invitation.resent', 'invitation.revoked', 'member.joined', 'member.role_changed',
      'member.removed', 'member.left', 'handover.invited', 'handover.resent', 'handover.revoked', 'handover.declined',
      'app.handed_over', 'billing.app_removed', 'app.transferred_out', 'app.deleted', 'company.renamed', 'company.transfers_blocked',
      'billing.manage',
    ]) expect(kinds, kind).toContain(kind);
  });

  it('owners read every event in full', async () => {
    const rows = await stored();
    const items = await read(owner);
    expect(items).toHaveLength(rows.size);
    for (const item of items) expect(item.details, item.action).toEqual(rows.get(item.id)!.details);
    // The full details do hold what admins must not see.
    expect(sensitiveKeys(items.filter((i) => i.action.startsWith('billing_contact.')).map((i) => i.details))).toEqual(
      expect.arrayContaining(['paymentMethod', 'address', 'invoiceEmail']));
  });

  it('accountants read billing events only, in full', async () => {
    const rows = await stored();
    const items = await read(accountant);
    const billing = [...rows.values()].filter((r) => r.category === 'billing');
    expect(items.map((i) => i.id).sort()).toEqual(billing.map((r) => String(r.id)).sort());
    for (const item of items) expect(item.details, item.action).toEqual(rows.get(item.id)!.details);
  });

  it('admins read every event, billing contacts by id and name only', async () => {
    const rows = await stored();
    const items = await read(admin);
    expect(items).toHaveLength(rows.size);
    for (const item of items) {
      expect(sensitiveKeys(item.details), `${item.action} ${JSON.stringify(item.details)}`).toEqual([]);
      if (item.action.startsWith('billing_contact.')) {
        expect(Object.keys(item.details).sort(), item.action).toEqual(['contactId', 'name']);
        expect(item.details.contactId).toBe((rows.get(item.id)!.details as { contactId: string }).contactId);
      } else if (sensitiveKeys(rows.get(item.id)!.details).length === 0) {
        expect(item.details, item.action).toEqual(rows.get(item.id)!.details);
      }
    }
  });

  it('collaborators read the events of their Apps only, without billing', async () => {
    const rows = await stored();
    const [app] = await t.services.db.select().from(apps).where(eq(apps.name, mine));
    const items = await read(collaborator);
    const expected = [...rows.values()].filter((r) => r.appId === app.id && r.category !== 'billing');
    expect(items.map((i) => i.id).sort()).toEqual(expected.map((r) => String(r.id)).sort());
    expect(items.length).toBeGreaterThanOrEqual(3);
    for (const item of items) {
      expect(item.appName).toBe(mine);
      expect(sensitiveKeys(item.details)).toEqual([]);
    }
  });
});
