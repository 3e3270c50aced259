import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityEvents, billingContacts, sandboxPaymentTokens } from '../../../src/server/db/schema.js';
import { addMember, cardToken, contactInput, createCompany, type CompanyFixture } from '../../harness/factories.js';
import { newBillingContactRow } from '../../../src/server/modules/billing/contacts.js';
import type { BillingContactInput } from '../../../src/server/modules/billing/contactInput.js';
import { AppError } from '../../../src/server/shared/errors.js';
import { queuedBehind } from '../../harness/locks.js';
import { onPostgres } from '../../harness/testDb.js';
import { as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 10 (Stryker on modules/billing/contacts.ts): billing contacts as SPEC 3 and 4.8 say,
 * one rule per test, each with its own Company: owners and accountants see the full contact
 * (brand and last 4, never the provider's reference), admins the name only; only owners add and
 * change them; a card change needs a fresh password; every change is an event with what it was
 * before and after. At the real time (no clock moves: sessions and their freshness are checked
 * against it).
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

const url = (co: CompanyFixture) => `/api/v1/companies/${co.id}/billing-contacts`;
const eventsOf = async (companyId: string, action: string) => (await t.services.db.select().from(activityEvents)
  .where(and(eq(activityEvents.companyId, companyId), eq(activityEvents.action, action))).orderBy(asc(activityEvents.id)));
const rowOf = async (id: string) => (await t.services.db.select().from(billingContacts).where(eq(billingContacts.id, id)))[0];
/** What the payment provider (the sandbox, at the edge) recorded of a card entry: used or not, and for which request. */
const entryOf = async (token: string) => (await t.services.db.select({ usedAt: sandboxPaymentTokens.usedAt, usedFor: sandboxPaymentTokens.usedFor }).from(sandboxPaymentTokens).where(eq(sandboxPaymentTokens.token, token)))[0];
async function setUp(): Promise<{ owner: SignedIn; co: CompanyFixture }> {
  const owner = await signUpVerified(t);
  return { owner, co: await createCompany(t, owner) };
}
const ZETA = {
  name: 'Zeta Ltd', address: { line1: '1 Main St', line2: 'Suite 5', postalCode: '10001', city: 'New York', country: 'US' },
  invoiceEmail: 'ap@zeta.example', currency: 'USD',
};

describe('who sees what of a billing contact (SPEC 3: owners and accountants all, admins the name)', () => {
  it('the full view: address, VAT ID, invoice e-mail, currency, card brand, last 4 and expiry, never the reference; a missing line 2 or VAT ID is left out', async () => {
    const { owner, co } = await setUp();
    const added = await as(t, owner).post(url(co), { ...ZETA, paymentMethod: { token: await cardToken(t) } });
    expect(added.statusCode).toBe(201);
    const year = t.clock.now().getUTCFullYear() + 2;
    expect(added.json()).toEqual({
      id: expect.stringMatching(/^bc_[\w-]+$/), name: 'Zeta Ltd', address: ZETA.address, invoiceEmail: 'ap@zeta.example', currency: 'USD',
      paymentMethod: { type: 'card', brand: 'visa', last4: '4242', expMonth: 12, expYear: year },
    });
    const list = (await as(t, owner).get(url(co))).json();
    const first = list.items.find((c: { id: string }) => c.id === co.contactId);
    expect(first).toEqual({
      id: co.contactId, name: 'Bakery Müller GmbH', address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
      vatNumber: 'DE136695976', invoiceEmail: 'invoices@bakery.example', currency: 'EUR',
      paymentMethod: { type: 'card', brand: 'visa', last4: '4242', expMonth: 12, expYear: year },
    });
    expect(list.items.find((c: { id: string }) => c.id === added.json().id)).toEqual(added.json());
    expect(JSON.stringify(list)).not.toContain('pm_sandbox_');
    // A payment method without brand and expiry (a SEPA mandate) shows type and last 4 only.
    await t.services.db.update(billingContacts).set({ pmType: 'sepa_debit', pmBrand: null, pmExpMonth: null, pmExpYear: null, pmLast4: '3000' }).where(eq(billingContacts.id, co.contactId));
    const sepa = (await as(t, owner).get(url(co))).json().items.find((c: { id: string }) => c.id === co.contactId);
    expect(sepa.paymentMethod).toEqual({ type: 'sepa_debit', last4: '3000' });
  });

  it('accountants see the full view, admins id and name only, outsiders nothing', async () => {
    const { owner, co } = await setUp();
    const [admin, accountant, outsider] = [await signUpVerified(t), await signUpVerified(t), await signUpVerified(t)];
    await addMember(t, co.id, admin, 'admin');
    await addMember(t, co.id, accountant, 'accountant');
    const full = (await as(t, owner).get(url(co))).json();
    expect((await as(t, accountant).get(url(co))).json()).toEqual(full);
    expect((await as(t, admin).get(url(co))).json()).toEqual({ items: [{ id: co.contactId, name: 'Bakery Müller GmbH' }], nextCursor: null });
    expect((await as(t, outsider).get(url(co))).statusCode).toBe(404);
  });

  it('pages by id: a full page names the last id as the cursor, the last page none', async () => {
    const { owner, co } = await setUp();
    for (const name of ['Second', 'Third']) {
      expect((await as(t, owner).post(url(co), { ...ZETA, name, paymentMethod: { token: await cardToken(t) } })).statusCode).toBe(201);
    }
    const all = (await as(t, owner).get(url(co))).json();
    expect(all.items).toHaveLength(3);
    expect(all.nextCursor).toBeNull();
    const ids = all.items.map((c: { id: string }) => c.id);
    const p1 = (await as(t, owner).get(`${url(co)}?limit=2`)).json();
    expect(p1.items.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 2));
    expect(p1.nextCursor).toBe(ids[1]);
    const p2 = (await as(t, owner).get(`${url(co)}?limit=2&cursor=${encodeURIComponent(p1.nextCursor)}`)).json();
    expect(p2).toEqual({ items: [all.items[2]], nextCursor: null });
    const exact = (await as(t, owner).get(`${url(co)}?limit=3`)).json();
    expect(exact.nextCursor).toBeNull();
  });
});

describe('adding a contact (owners only; the card authorised after the permission, the row and its event in one transaction)', () => {
  it('records billing_contact.created with the owner, name, currency and the card\'s brand and last 4', async () => {
    const { owner, co } = await setUp();
    const added = (await as(t, owner).post(url(co), { ...ZETA, paymentMethod: { token: await cardToken(t) } })).json();
    const events = await eventsOf(co.id, 'billing_contact.created');
    const mine = events.filter((e) => (e.details as { contactId: string }).contactId === added.id);
    expect(mine.map((e) => ({ actor: e.actorId, category: e.category, details: e.details }))).toEqual([{
      actor: owner.id, category: 'billing', details: { contactId: added.id, name: 'Zeta Ltd', currency: 'USD', paymentMethod: { brand: 'visa', last4: '4242' } },
    }]);
    const row = await rowOf(added.id);
    expect(row).toMatchObject({ companyId: co.id, line2: 'Suite 5', vatNumber: null, pmReference: expect.stringMatching(/^pm_sandbox_/) });
  });

  it('an admin is refused before the card is authorised: the same card entry then works for the owner', async () => {
    const { owner, co } = await setUp();
    const admin = await signUpVerified(t);
    await addMember(t, co.id, admin, 'admin');
    const token = await cardToken(t);
    const refused = await as(t, admin).post(url(co), { ...ZETA, paymentMethod: { token } });
    expect(refused.statusCode).toBe(403);
    expect(await entryOf(token)).toEqual({ usedAt: null, usedFor: null });
    expect((await as(t, owner).post(url(co), { ...ZETA, paymentMethod: { token } })).statusCode).toBe(201);
  });

  it('a VAT ID of another country is refused before the card is authorised, on billingContact\'s vatNumber', async () => {
    const { owner, co } = await setUp();
    const token = await cardToken(t);
    const refused = await as(t, owner).post(url(co), { ...contactInput({ name: 'Wrong VAT', vatNumber: 'DE136695976', address: { line1: 'Rue 1', postalCode: '75001', city: 'Paris', country: 'FR' } }), paymentMethod: { token } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors.map((e: { path: string }) => e.path)).toEqual(['vatNumber']);
    expect((await as(t, owner).post(url(co), { ...ZETA, paymentMethod: { token } })).statusCode).toBe(201);
    // A line 2 given empty is stored as none.
    const empty = (await as(t, owner).post(url(co), { ...ZETA, address: { ...ZETA.address, line2: '' }, paymentMethod: { token: await cardToken(t) } })).json();
    expect((await rowOf(empty.id)).line2).toBeNull();
    expect(empty.address).not.toHaveProperty('line2');
  });
});

describe('changing a contact (owners only; before and after in the event)', () => {
  it('name, address and invoice e-mail: the event names only what changed, before and after; the VAT ID stays', async () => {
    const { owner, co } = await setUp();
    const res = await as(t, owner).patch(`${url(co)}/${co.contactId}`, {
      name: 'Bakery Müller AG', address: { line1: 'Nebenstraße 2', line2: 'Hof', postalCode: '10117', city: 'Berlin', country: 'DE' }, invoiceEmail: 'ap@bakery.example',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Bakery Müller AG', address: { line1: 'Nebenstraße 2', line2: 'Hof', postalCode: '10117', city: 'Berlin', country: 'DE' }, invoiceEmail: 'ap@bakery.example', vatNumber: 'DE136695976' });
    expect(await rowOf(co.contactId)).toMatchObject({ name: 'Bakery Müller AG', line1: 'Nebenstraße 2', line2: 'Hof', postalCode: '10117', city: 'Berlin', country: 'DE', invoiceEmail: 'ap@bakery.example', vatNumber: 'DE136695976', currency: 'EUR' });
    const [event] = await eventsOf(co.id, 'billing_contact.updated');
    expect(event).toMatchObject({ actorId: owner.id, category: 'billing' });
    expect(event.details).toEqual({
      contactId: co.contactId, name: 'Bakery Müller AG',
      before: { name: 'Bakery Müller GmbH', address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' }, invoiceEmail: 'invoices@bakery.example' },
      after: { name: 'Bakery Müller AG', address: { line1: 'Nebenstraße 2', line2: 'Hof', postalCode: '10117', city: 'Berlin', country: 'DE' }, invoiceEmail: 'ap@bakery.example' },
    });
    // The address again, line 2 given empty: stored as none.
    await as(t, owner).patch(`${url(co)}/${co.contactId}`, { address: { line1: 'Nebenstraße 2', line2: '', postalCode: '10117', city: 'Berlin', country: 'DE' } });
    expect((await rowOf(co.contactId)).line2).toBeNull();
  });

  it('the VAT ID removed with null is gone from the view and the event; a VAT ID of another country is refused before anything changes', async () => {
    const { owner, co } = await setUp();
    const wrong = await as(t, owner).patch(`${url(co)}/${co.contactId}`, { vatNumber: 'FR40303265045' });
    expect(wrong.statusCode).toBe(400);
    // Moving to France keeps the German VAT ID unless it changes too: refused as well.
    const moved = await as(t, owner).patch(`${url(co)}/${co.contactId}`, { address: { line1: 'Rue 1', postalCode: '75001', city: 'Paris', country: 'FR' } });
    expect(moved.statusCode).toBe(400);
    expect((await rowOf(co.contactId)).country).toBe('DE');
    expect(await eventsOf(co.id, 'billing_contact.updated')).toEqual([]);
    const removed = await as(t, owner).patch(`${url(co)}/${co.contactId}`, { vatNumber: null });
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).not.toHaveProperty('vatNumber');
    expect((await rowOf(co.contactId)).vatNumber).toBeNull();
    expect((await eventsOf(co.id, 'billing_contact.updated'))[0].details).toEqual({
      contactId: co.contactId, name: 'Bakery Müller GmbH', before: { vatNumber: 'DE136695976' }, after: { vatNumber: null },
    });
    // Without a VAT ID the move to France is fine; a French VAT ID with it too.
    expect((await as(t, owner).patch(`${url(co)}/${co.contactId}`, { address: { line1: 'Rue 1', postalCode: '75001', city: 'Paris', country: 'FR' }, vatNumber: 'FR40303265045' })).statusCode).toBe(200);
    expect(await rowOf(co.contactId)).toMatchObject({ country: 'FR', vatNumber: 'FR40303265045' });
  });

  it('a new card needs a fresh password, replaces the old one, and the event says brand and last 4 before and after', async () => {
    const { owner, co } = await setUp();
    const before = await rowOf(co.contactId);
    const stale = await signUpVerified(t, { fresh: false });
    const staleCo = await createCompany(t, stale);
    const token = await cardToken(t, '5555555555554444');
    const refused = await as(t, stale).patch(`${url(staleCo)}/${staleCo.contactId}`, { paymentMethod: { token } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('reauthentication_required');
    const res = await as(t, owner).patch(`${url(co)}/${co.contactId}`, { paymentMethod: { token } });
    expect(res.statusCode).toBe(200);
    expect(res.json().paymentMethod).toMatchObject({ type: 'card', brand: 'mastercard', last4: '4444' });
    const after = await rowOf(co.contactId);
    expect(after.pmReference).not.toBe(before.pmReference);
    expect(after).toMatchObject({ pmBrand: 'mastercard', pmLast4: '4444', vatNumber: 'DE136695976', name: 'Bakery Müller GmbH' });
    expect((await eventsOf(co.id, 'billing_contact.updated'))[0].details).toEqual({
      contactId: co.contactId, name: 'Bakery Müller GmbH', before: {}, after: {},
      paymentMethod: { before: { brand: 'visa', last4: '4242' }, after: { brand: 'mastercard', last4: '4444' } },
    });
  });

  it('an admin may not change a contact; an unknown contact or one of another Company is not found', async () => {
    const { owner, co } = await setUp();
    const other = await setUp();
    const admin = await signUpVerified(t);
    await addMember(t, co.id, admin, 'admin');
    expect((await as(t, admin).patch(`${url(co)}/${co.contactId}`, { name: 'Mine' })).statusCode).toBe(403);
    const unknown = await as(t, owner).patch(`${url(co)}/bc_unknown`, { name: 'Nobody' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toMatch(/^This billing contact/);
    expect((await as(t, owner).patch(`${url(co)}/${other.co.contactId}`, { name: 'Theirs' })).statusCode).toBe(404);
    expect((await rowOf(other.co.contactId)).name).toBe('Bakery Müller GmbH');
    expect((await rowOf(co.contactId)).name).toBe('Bakery Müller GmbH');
  });
});

describe('card entries and VAT IDs across contacts (the card authorised once, for this change only)', () => {
  it('a card entry used for one Company\'s contact is refused for another Company\'s, and for another contact\'s card change', async () => {
    const { owner, co } = await setUp();
    const other = await setUp();
    const token = await cardToken(t);
    expect((await as(t, owner).post(url(co), { ...ZETA, paymentMethod: { token } })).statusCode).toBe(201);
    const again = await as(t, other.owner).post(url(other.co), { ...ZETA, paymentMethod: { token } });
    expect(again.statusCode).toBe(400);
    expect(again.json().errors).toEqual([expect.objectContaining({ path: 'paymentMethod.token', reason: 'card_entry_used' })]);
    const change = await as(t, owner).patch(`${url(co)}/${co.contactId}`, { paymentMethod: { token } });
    expect(change.statusCode).toBe(400);
    expect(change.json().errors).toEqual([expect.objectContaining({ path: 'paymentMethod.token', reason: 'card_entry_used' })]);
    expect(await entryOf(token)).toMatchObject({ usedFor: `billing-contact:${co.id}:${owner.id}` });
    // A card change's entry is for that contact: not for a new contact afterwards, nor for another Company's contact.
    const fresh = await cardToken(t, '5555555555554444');
    expect((await as(t, owner).patch(`${url(co)}/${co.contactId}`, { paymentMethod: { token: fresh } })).statusCode).toBe(200);
    expect(await entryOf(fresh)).toMatchObject({ usedFor: `billing-contact:${co.contactId}:${owner.id}` });
    expect((await as(t, owner).post(url(co), { ...ZETA, paymentMethod: { token: fresh } })).statusCode).toBe(400);
    expect((await as(t, other.owner).patch(`${url(other.co)}/${other.co.contactId}`, { paymentMethod: { token: fresh } })).statusCode).toBe(400);
    expect((await rowOf(other.co.contactId)).pmLast4).toBe('4242');
  });

  it('a card change with a VAT ID that does not fit is refused before the card is authorised: the entry then works', async () => {
    const { owner, co } = await setUp();
    const token = await cardToken(t, '5555555555554444');
    // Moving to France keeps the German VAT ID (not in the change): refused, the card untouched.
    const moved = await as(t, owner).patch(`${url(co)}/${co.contactId}`, { address: { line1: 'Rue 1', postalCode: '75001', city: 'Paris', country: 'FR' }, paymentMethod: { token } });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().errors.map((e: { path: string }) => e.path)).toEqual(['vatNumber']);
    const wrong = await as(t, owner).patch(`${url(co)}/${co.contactId}`, { vatNumber: 'FR40303265045', paymentMethod: { token } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors.map((e: { path: string }) => e.path)).toEqual(['vatNumber']);
    expect((await rowOf(co.contactId)).pmLast4).toBe('4242');
    // Not used up: the provider was not asked.
    expect(await entryOf(token)).toEqual({ usedAt: null, usedFor: null });
    const ok = await as(t, owner).patch(`${url(co)}/${co.contactId}`, { paymentMethod: { token } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().paymentMethod).toMatchObject({ brand: 'mastercard', last4: '4444' });
  });
});

describe('the password again only for the card (SPEC 4.10), and the VAT check of every new contact row', () => {
  it('a session signed in long ago changes the name, but not the card: refused in words that say what needs the password, the card entry unused', async () => {
    const stale = await signUpVerified(t, { fresh: false });
    const co = await createCompany(t, stale);
    const renamed = await as(t, stale).patch(`${url(co)}/${co.contactId}`, { name: 'Renamed GmbH' });
    expect(renamed.statusCode).toBe(200);
    const token = await cardToken(t, '5555555555554444');
    const card = await as(t, stale).patch(`${url(co)}/${co.contactId}`, { paymentMethod: { token } });
    expect(card.statusCode).toBe(403);
    expect(card.json()).toMatchObject({
      code: 'reauthentication_required',
      detail: 'Changing a payment method needs your password again (or a code from your authenticator app). Please confirm it and try again.',
    });
    expect(await entryOf(token)).toEqual({ usedAt: null, usedFor: null });
    expect((await rowOf(co.contactId)).pmLast4).toBe('4242');
  });

  it('the row of a new contact checks its VAT ID against its country itself, on billingContact.vatNumber (whichever path writes it)', () => {
    const input = contactInput({ address: { line1: 'Rue 1', postalCode: '75001', city: 'Paris', country: 'FR' } }) as BillingContactInput;
    const pm = { type: 'card' as const, brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030, reference: 'pm_x' };
    let err: unknown;
    try { newBillingContactRow('co_x', input, pm, new Date()); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).errors!.map((e) => e.path)).toEqual(['billingContact.vatNumber']);
    const row = newBillingContactRow('co_x', { ...input, vatNumber: 'FR40303265045' }, pm, new Date('2026-01-01T00:00:00Z'));
    expect(row).toMatchObject({ id: expect.stringMatching(/^bc_/), companyId: 'co_x', country: 'FR', vatNumber: 'FR40303265045', line2: null, pmReference: 'pm_x', createdAt: new Date('2026-01-01T00:00:00Z') });
  });
});

describe.runIf(onPostgres)('contact changes racing on PostgreSQL (the Company and the contact are read again under their locks)', () => {
  const contactsOf = async (companyId: string) => t.services.db.select().from(billingContacts).where(eq(billingContacts.companyId, companyId));
  const demote = (co: CompanyFixture, who: SignedIn) => (tx: Parameters<Parameters<typeof queuedBehind>[1]>[0]) =>
    tx.execute(sql`UPDATE memberships SET role = 'admin' WHERE company_id = ${co.id} AND account_id = ${who.id}`);

  it('an owner demoted while her new contact waits for her membership: refused, no contact', async () => {
    const { owner, co } = await setUp();
    const token = await cardToken(t);
    const [res] = await queuedBehind(t, demote(co, owner), [{ run: () => as(t, owner).post(url(co), { ...ZETA, paymentMethod: { token } }) }]);
    // Without the lock her role was read before the demotion committed, and the contact was added (201).
    expect(res.statusCode).toBe(403);
    expect(await contactsOf(co.id)).toHaveLength(1);
  });

  it('an owner demoted while her change waits for her membership: refused, nothing changed', async () => {
    const { owner, co } = await setUp();
    const [res] = await queuedBehind(t, demote(co, owner), [{ run: () => as(t, owner).patch(`${url(co)}/${co.contactId}`, { name: 'Too Late GmbH' }) }]);
    expect(res.statusCode).toBe(403);
    expect((await rowOf(co.contactId)).name).toBe('Bakery Müller GmbH');
    expect(await eventsOf(co.id, 'billing_contact.updated')).toEqual([]);
  });

  it('a contact moved to France while a German VAT ID is set: the VAT ID is checked against the country it has once locked', async () => {
    const { owner, co } = await setUp();
    await as(t, owner).patch(`${url(co)}/${co.contactId}`, { vatNumber: null });
    const [res] = await queuedBehind(t, (tx) => tx.execute(sql`UPDATE billing_contacts SET country = 'FR', city = 'Paris', postal_code = '75001', line1 = 'Rue 1' WHERE id = ${co.contactId}`), [
      { run: () => as(t, owner).patch(`${url(co)}/${co.contactId}`, { vatNumber: 'DE136695976' }) },
    ]);
    // Without the row lock the contact was read in Germany, and a German VAT ID was stored on a French contact (200).
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['vatNumber']);
    expect(await rowOf(co.contactId)).toMatchObject({ country: 'FR', vatNumber: null });
  });

  it('a change that waits for another one names what the contact was just before it, in its event', async () => {
    const { owner, co } = await setUp();
    const [res] = await queuedBehind(t, (tx) => tx.execute(sql`UPDATE billing_contacts SET name = 'Between GmbH' WHERE id = ${co.contactId}`), [
      { run: () => as(t, owner).patch(`${url(co)}/${co.contactId}`, { name: 'Final GmbH' }) },
    ]);
    expect(res.statusCode).toBe(200);
    expect((await eventsOf(co.id, 'billing_contact.updated'))[0].details).toMatchObject({ before: { name: 'Between GmbH' }, after: { name: 'Final GmbH' } });
  });
});
