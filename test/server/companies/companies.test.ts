import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { addMember, bookApp, cardToken, CARDS, contactInput, createCompany } from '../../harness/factories.js';

let t: TestApp;
let owner: SignedIn, admin: SignedIn, collab: SignedIn, accountant: SignedIn, outsider: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  [owner, admin, collab, accountant, outsider] = await Promise.all([
    signUpVerified(t, { firstName: 'Olivia', lastName: 'Owner' }), signUpVerified(t, { firstName: 'Adam', lastName: 'Admin' }),
    signUpVerified(t, { firstName: 'Cleo', lastName: 'Collab' }), signUpVerified(t, { firstName: 'Acco', lastName: 'Untant' }),
    signUpVerified(t, { firstName: 'Otto', lastName: 'Outsider' }),
  ]);
});
afterAll(async () => { await t?.close(); });

async function count(table: string): Promise<number> {
  const res = await t.services.db.execute(sql.raw(`SELECT count(*)::int AS n FROM ${table}`));
  return Number((res.rows[0] as { n: number }).n);
}
async function snapshotCounts() {
  return { companies: await count('companies'), memberships: await count('memberships'), contacts: await count('billing_contacts'), events: await count('activity_events') };
}

async function team() {
  const company = await createCompany(t, owner);
  const appA = await bookApp(t, owner, company);
  const appB = await bookApp(t, owner, company);
  await addMember(t, company.id, admin, 'admin');
  await addMember(t, company.id, collab, 'collaborator', [appA]);
  await addMember(t, company.id, accountant, 'accountant');
  return { company, appA, appB };
}

describe('setting up a Company', () => {
  it('makes the creator owner with one billing contact, and records it', async () => {
    const res = await as(t, owner).post('/api/v1/companies', { name: '  Bakery Müller ', billingContact: contactInput(), paymentMethod: { token: await cardToken(t) } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ id: expect.any(String), name: 'Bakery Müller', role: 'owner' });
    const id = res.json().id;
    const got = await as(t, owner).get(`/api/v1/companies/${id}`);
    expect(got.json()).toMatchObject({ id, name: 'Bakery Müller', role: 'owner', blockTransfersOut: false });
    const contacts = (await as(t, owner).get(`/api/v1/companies/${id}/billing-contacts`)).json().items;
    expect(contacts).toEqual([{
      id: expect.any(String), name: 'Bakery Müller GmbH',
      address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
      vatNumber: 'DE136695976', invoiceEmail: 'invoices@bakery.example', currency: 'EUR',
      paymentMethod: { type: 'card', brand: 'visa', last4: '4242', expMonth: 12, expYear: expect.any(Number) },
    }]);
    expect(JSON.stringify(contacts)).not.toContain('pm_sandbox');
    const activity = (await as(t, owner).get(`/api/v1/companies/${id}/activity`)).json().items;
    expect(activity.map((e: { action: string }) => e.action)).toEqual(['billing_contact.created', 'company.created']);
    expect(activity[1].actor).toEqual({ id: owner.id, name: 'Olivia Owner' });
    // SPEC 5: the billing change is a billing event (the accountant's part of the log), with the card's brand and last 4 only.
    const events = await t.services.db.execute(sql`SELECT action, category, details FROM activity_events WHERE company_id = ${id} ORDER BY id`);
    expect(events.rows).toEqual([
      { action: 'company.created', category: 'company', details: { name: 'Bakery Müller' } },
      { action: 'billing_contact.created', category: 'billing', details: { contactId: contacts[0].id, name: 'Bakery Müller GmbH', currency: 'EUR', paymentMethod: { brand: 'visa', last4: '4242' } } },
    ]);
    expect(id).toMatch(/^co_/);
  });

  it('stores nothing when the card is declined', async () => {
    const before = await snapshotCounts();
    for (const card of [CARDS.declined, CARDS.insufficientFunds]) {
      const res = await as(t, owner).post('/api/v1/companies', { name: 'Declined Ltd', billingContact: contactInput(), paymentMethod: { token: await cardToken(t, card) } });
      expect(res.statusCode).toBe(402);
      expect(res.json().code).toBe('payment_declined');
    }
    expect(await snapshotCounts()).toEqual(before);
  });

  // Issue 10 (Stryker, createCompany.ts:26: the authorisation's key `company:<account>` → an empty one):
  // a card entry is used once; only its own Account's retry may use it again.
  it('does not let another Account set up a Company with a card entry that was used', async () => {
    const token = await cardToken(t);
    const body = (name: string) => ({ name, billingContact: contactInput(), paymentMethod: { token } });
    expect((await as(t, owner).post('/api/v1/companies', body('First Card Ltd'))).statusCode).toBe(201);
    const before = await snapshotCounts();
    const replay = await as(t, outsider).post('/api/v1/companies', body('Replayed Card Ltd'));
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'paymentMethod.token', reason: 'card_entry_used' }] });
    expect(await snapshotCounts()).toEqual(before);
  });

  it('checks every field and changes nothing on bad input', async () => {
    const token = await cardToken(t);
    const before = await snapshotCounts();
    const bad: [string, Record<string, unknown>, string][] = [
      ['VAT without country prefix', { billingContact: contactInput({ vatNumber: '123456789' }) }, 'billingContact.vatNumber'],
      ['VAT of another country', { billingContact: contactInput({ vatNumber: 'FR12345678901' }) }, 'billingContact.vatNumber'],
      ['malformed German VAT', { billingContact: contactInput({ vatNumber: 'DE12345' }) }, 'billingContact.vatNumber'],
      // Issue 12/17: format and check digits (jsvat) at entry, not only a prefix.
      ['German VAT with a wrong check digit', { billingContact: contactInput({ vatNumber: 'DE123456789' }) }, 'billingContact.vatNumber'],
      ['a bare "123"', { billingContact: contactInput({ vatNumber: '123' }) }, 'billingContact.vatNumber'],
      ['Greek VAT with a wrong check digit', { billingContact: contactInput({ address: { line1: 'Odos 1', postalCode: '10431', city: 'Athens', country: 'GR' }, vatNumber: 'EL123456789' }) }, 'billingContact.vatNumber'],
      ['unknown country', { billingContact: contactInput({ address: { line1: 'x', postalCode: '1', city: 'y', country: 'XX' } }) }, 'billingContact.address.country'],
      ['currency', { billingContact: contactInput({ currency: 'GBP' }) }, 'billingContact.currency'],
      ['invoice e-mail', { billingContact: contactInput({ invoiceEmail: 'not-an-email' }) }, 'billingContact.invoiceEmail'],
      ['empty name', { name: '   ' }, 'name'],
      ['long name', { name: 'x'.repeat(101) }, 'name'],
      ['unknown field', { role: 'admin' }, 'role'],
      ['unknown contact field', { billingContact: { ...contactInput(), iban: 'DE00' } }, 'billingContact.iban'],
      ['missing payment method', { paymentMethod: undefined }, 'paymentMethod'],
      ['unknown token', { paymentMethod: { token: 'tok_unknown' } }, 'paymentMethod.token'],
    ];
    for (const [label, override, path] of bad) {
      const res = await as(t, owner).post('/api/v1/companies', { name: 'Valid Name', billingContact: contactInput(), paymentMethod: { token }, ...override });
      expect(res.statusCode, label).toBe(400);
      expect(res.json().code, label).toBe('validation_failed');
      expect(JSON.stringify(res.json().errors), label).toContain(path.split('.').pop());
    }
    expect(await snapshotCounts()).toEqual(before);
    // The token was not used by any of the refused requests.
    expect((await as(t, owner).post('/api/v1/companies', { name: 'Valid Name', billingContact: contactInput(), paymentMethod: { token } })).statusCode).toBe(201);
  });

  it('accepts Greek VAT numbers with EL, no VAT number, USD, and normalises VAT spacing', async () => {
    const greek = contactInput({ address: { line1: 'Odos 1', postalCode: '10431', city: 'Athens', country: 'gr' }, vatNumber: 'el 100 000 003' });
    const res = await as(t, owner).post('/api/v1/companies', { name: 'Athens Co', billingContact: greek, paymentMethod: { token: await cardToken(t) } });
    expect(res.statusCode).toBe(201);
    const [contact] = (await as(t, owner).get(`/api/v1/companies/${res.json().id}/billing-contacts`)).json().items;
    expect(contact.vatNumber).toBe('EL100000003');
    expect(contact.address.country).toBe('GR');
    const usd = { ...contactInput({ currency: 'USD', address: { line1: '1 Main St', postalCode: '10001', city: 'New York', country: 'US' } }) };
    delete (usd as Record<string, unknown>).vatNumber;
    expect((await as(t, owner).post('/api/v1/companies', { name: 'NY Inc', billingContact: usd, paymentMethod: { token: await cardToken(t) } })).statusCode).toBe(201);
  });

  it('needs a signed-in Account', async () => {
    const res = await as(t, null).post('/api/v1/companies', { name: 'X', billingContact: contactInput(), paymentMethod: { token: 'x' } });
    expect(res.statusCode).toBe(401);
    expect((await as(t, null).get('/api/v1/companies')).json().code).toBe('unauthenticated');
  });
});

describe('my Companies', () => {
  it('lists every Company with my role, paged by cursor and never capped silently', async () => {
    const me = await signUpVerified(t);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await createCompany(t, me, { name: `Mine ${i}` })).id);
    const other = await createCompany(t, owner);
    await addMember(t, other.id, me, 'accountant');
    const seen: { id: string; role: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await as(t, me).get(`/api/v1/companies?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items);
      cursor = res.json().nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((c) => c.id).sort()).toEqual([...ids, other.id].sort());
    expect(seen.find((c) => c.id === other.id)!.role).toBe('accountant');
    const all = await as(t, me).get('/api/v1/companies');
    expect(all.json().items).toHaveLength(6);
    expect(all.json().nextCursor).toBeNull();
    expect((await as(t, me).get('/api/v1/companies?limit=0')).statusCode).toBe(400);
    expect((await as(t, me).get('/api/v1/companies?limit=5000')).statusCode).toBe(400);
    expect((await as(t, me).get('/api/v1/companies?foo=1')).statusCode).toBe(400);
  });
});

describe('changing a Company', () => {
  it('lets the owner rename and block transfers out, with before and after in the activity log', async () => {
    const { company } = await team();
    const res = await as(t, owner).patch(`/api/v1/companies/${company.id}`, { name: 'Renamed GmbH', blockTransfersOut: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Renamed GmbH', blockTransfersOut: true, role: 'owner' });
    const items = (await as(t, owner).get(`/api/v1/companies/${company.id}/activity`)).json().items;
    expect(items[0]).toMatchObject({ action: 'company.transfers_blocked', details: { before: { blockTransfersOut: false }, after: { blockTransfersOut: true } } });
    expect(items[1]).toMatchObject({ action: 'company.renamed', details: { before: { name: company.name }, after: { name: 'Renamed GmbH' } } });
  });

  it('refuses members without the right (403, recorded) and hides the Company from outsiders (404)', async () => {
    const { company } = await team();
    for (const who of [admin, collab, accountant]) {
      const res = await as(t, who).patch(`/api/v1/companies/${company.id}`, { name: 'Hijacked' });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('forbidden');
      expect((await as(t, who).patch(`/api/v1/companies/${company.id}`, { blockTransfersOut: true })).statusCode).toBe(403);
    }
    const hidden = await as(t, outsider).patch(`/api/v1/companies/${company.id}`, { name: 'Hijacked' });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('not_found');
    // An outsider learns no more than someone asking for a Company that does not exist.
    const notThere = 'This Company does not exist or you cannot see it.';
    expect(hidden.json().detail).toBe(notThere);
    expect((await as(t, outsider).get(`/api/v1/companies/${company.id}`)).json()).toMatchObject({ code: 'not_found', detail: notThere });
    expect((await as(t, owner).get(`/api/v1/companies/co_doesnotexist`)).json()).toMatchObject({ code: 'not_found', detail: notThere });
    expect((await as(t, owner).get(`/api/v1/companies/${company.id}`)).json().name).toBe(company.name);
    const refused = (await as(t, owner).get(`/api/v1/companies/${company.id}/activity`)).json().items.filter((e: { outcome: string }) => e.outcome === 'refused');
    expect(refused.length).toBe(6);
    expect(refused[0]).toMatchObject({ action: 'company.blockTransfersOut', actor: { id: accountant.id } });
  });

  it('rejects bad input with validation_failed', async () => {
    const { company } = await team();
    for (const body of [{ name: '' }, { name: 42 }, { blockTransfersOut: 'yes' }, { role: 'owner' }, { id: 'x' }]) {
      const res = await as(t, owner).patch(`/api/v1/companies/${company.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
    expect((await as(t, owner).get(`/api/v1/companies/${company.id}`)).json().name).toBe(company.name);
  });
});

describe('deleting a Company', () => {
  it('needs the owner, a recent sign-in and (when given) the exact name; then deletes its Apps and ends memberships', async () => {
    const { company, appA, appB } = await team();
    expect((await as(t, outsider).delete(`/api/v1/companies/${company.id}`)).statusCode).toBe(404);
    expect((await as(t, admin).delete(`/api/v1/companies/${company.id}`)).statusCode).toBe(403);
    const wrong = await as(t, owner).delete(`/api/v1/companies/${company.id}?confirm=${encodeURIComponent('Wrong name')}`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('validation_failed');
    t.clock.advance(11 * 60_000);
    try {
      const stale = await as(t, owner).delete(`/api/v1/companies/${company.id}`);
      expect(stale.statusCode).toBe(403);
      expect(stale.json()).toMatchObject({ code: 'reauthentication_required', detail: expect.stringMatching(/^Deleting a Company needs your password again/) });
    } finally {
      t.clock.reset();
    }
    expect((await as(t, owner).get(`/api/v1/apps/${appA}`)).statusCode).toBe(200);
    const invited = await as(t, owner).post(`/api/v1/companies/${company.id}/invitations`, { email: 'newbie@example.com', role: 'admin' });
    expect(invited.statusCode).toBe(201);
    const res = await as(t, owner).delete(`/api/v1/companies/${company.id}?confirm=${encodeURIComponent(company.name)}`);
    expect(res.statusCode).toBe(204);
    for (const who of [owner, admin, collab, accountant]) {
      expect((await as(t, who).get(`/api/v1/companies/${company.id}`)).statusCode).toBe(404);
      expect((await as(t, who).get('/api/v1/companies')).json().items.map((c: { id: string }) => c.id)).not.toContain(company.id);
    }
    expect((await as(t, owner).get(`/api/v1/apps/${appA}`)).statusCode).toBe(404);
    // The names stay reserved.
    const again = await as(t, owner).post('/api/v1/apps', { name: appB, region: 'eu1', trial: true });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('app_name_taken');
    const pending = await t.services.db.execute(sql`SELECT state FROM invitations WHERE company_id = ${company.id}`);
    expect(pending.rows).toEqual([{ state: 'revoked' }]);
    const periods = await t.services.db.execute(sql`SELECT count(*)::int AS n FROM billing_periods bp JOIN apps a ON a.id = bp.app_id WHERE a.company_id = ${company.id} AND bp.to_day IS NULL`);
    expect(Number((periods.rows[0] as { n: number }).n)).toBe(0);
  });
});

describe('members', () => {
  it('shows each role what the matrix allows', async () => {
    const { company, appA } = await team();
    const other = await signUpVerified(t, { firstName: 'Other', lastName: 'Collab' });
    const appC = await bookApp(t, owner, company);
    await addMember(t, company.id, other, 'collaborator', [appC]);
    const ofRole = async (who: SignedIn) => {
      const res = await as(t, who).get(`/api/v1/companies/${company.id}/members`);
      expect(res.statusCode).toBe(200);
      return res.json().items as { accountId: string; role: string; appNames?: string[]; email: string }[];
    };
    const full = await ofRole(owner);
    expect(full).toHaveLength(5);
    expect(full.find((m) => m.accountId === collab.id)).toMatchObject({ role: 'collaborator', appNames: [appA], email: collab.email });
    expect(await ofRole(admin)).toEqual(full);
    const byAccountant = await ofRole(accountant);
    expect(byAccountant).toHaveLength(5);
    expect(byAccountant.every((m) => m.appNames === undefined)).toBe(true);
    const byCollab = await ofRole(collab);
    expect(byCollab.map((m) => m.accountId).sort()).toEqual([owner.id, admin.id, collab.id].sort());
    // A co-worker on a shared App shows up, with only the shared App listed.
    const sharing = await signUpVerified(t, { firstName: 'Sharing', lastName: 'Collab' });
    await addMember(t, company.id, sharing, 'collaborator', [appA, appC]);
    const again = await ofRole(collab);
    expect(again.find((m) => m.accountId === sharing.id)).toMatchObject({ role: 'collaborator', appNames: [appA] });
    expect(again.find((m) => m.accountId === collab.id)).toMatchObject({ appNames: [appA] });
    expect(again.find((m) => m.accountId === other.id)).toBeUndefined();
    expect((await ofRole(owner)).find((m) => m.accountId === sharing.id)!.appNames!.sort()).toEqual([appA, appC].sort());
    // Paged one by one, the collaborator still sees exactly the same people.
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { accountId: string }[]; nextCursor: string | null } = (await as(t, collab).get(`/api/v1/companies/${company.id}/members?limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json();
      walked.push(...page.items.map((m) => m.accountId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked.sort()).toEqual(again.map((m) => m.accountId).sort());
    expect((await as(t, outsider).get(`/api/v1/companies/${company.id}/members`)).statusCode).toBe(404);
  });
});

describe('billing contacts', () => {
  it('shows owners and accountants the full view, admins names only, collaborators nothing', async () => {
    const { company } = await team();
    const full = (await as(t, owner).get(`/api/v1/companies/${company.id}/billing-contacts`)).json().items;
    expect(full[0].paymentMethod).toMatchObject({ last4: '4242', brand: 'visa' });
    expect((await as(t, accountant).get(`/api/v1/companies/${company.id}/billing-contacts`)).json().items).toEqual(full);
    expect((await as(t, admin).get(`/api/v1/companies/${company.id}/billing-contacts`)).json().items).toEqual([{ id: full[0].id, name: full[0].name }]);
    expect((await as(t, collab).get(`/api/v1/companies/${company.id}/billing-contacts`)).statusCode).toBe(403);
    expect((await as(t, outsider).get(`/api/v1/companies/${company.id}/billing-contacts`)).statusCode).toBe(404);
  });

  it('lets the owner add and change contacts; a declined card changes nothing', async () => {
    const { company } = await team();
    const url = `/api/v1/companies/${company.id}/billing-contacts`;
    const added = await as(t, owner).post(url, { ...contactInput({ name: 'Second', currency: 'USD' }), paymentMethod: { token: await cardToken(t) } });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ name: 'Second', currency: 'USD', paymentMethod: { last4: '4242' } });
    expect((await as(t, admin).post(url, { ...contactInput(), paymentMethod: { token: await cardToken(t) } })).statusCode).toBe(403);
    expect((await as(t, accountant).post(url, { ...contactInput(), paymentMethod: { token: await cardToken(t) } })).statusCode).toBe(403);
    const declined = await as(t, owner).post(url, { ...contactInput(), paymentMethod: { token: await cardToken(t, CARDS.declined) } });
    expect(declined.statusCode).toBe(402);
    expect((await as(t, owner).get(url)).json().items).toHaveLength(2);

    const id = added.json().id;
    const patched = await as(t, owner).patch(`${url}/${id}`, { invoiceEmail: 'New@Example.com', name: 'Second Ltd' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ invoiceEmail: 'new@example.com', name: 'Second Ltd', currency: 'USD' });
    const events = (await as(t, owner).get(`/api/v1/companies/${company.id}/activity`)).json().items;
    expect(events[0]).toMatchObject({ action: 'billing_contact.updated', details: { before: { invoiceEmail: 'invoices@bakery.example' }, after: { invoiceEmail: 'new@example.com' } } });

    const mastercard = await as(t, null).post('/api/v1/payment-sandbox/tokens', { number: '5555555555554444', expMonth: 3, expYear: t.clock.now().getUTCFullYear() + 4, cvc: '321' });
    const card = await as(t, owner).patch(`${url}/${id}`, { paymentMethod: { token: mastercard.json().token } });
    expect(card.json().paymentMethod).toMatchObject({ brand: 'mastercard', last4: '4444', expMonth: 3 });

    const bad: Record<string, unknown>[] = [
      { currency: 'EUR' }, { vatNumber: 'FR12345678901' }, { address: { line1: 'x', postalCode: '1', city: 'y', country: 'ZZ' } },
      { invoiceEmail: 'nope' }, { name: '' }, { paymentMethod: { token: 'tok_unknown' } }, { extra: 1 },
    ];
    for (const body of bad) {
      const res = await as(t, owner).patch(`${url}/${id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
    // Moving to France with the German VAT number is refused: VAT must match the country.
    const token = await cardToken(t);
    const moved = await as(t, owner).patch(`${url}/${company.contactId}`, { address: { line1: '1 rue X', postalCode: '75001', city: 'Paris', country: 'FR' }, paymentMethod: { token } });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().errors[0].path).toBe('vatNumber');
    // The refused change did not use up the card entry: it still serves another purpose.
    expect((await as(t, owner).post(url, { ...contactInput({ name: 'Third' }), paymentMethod: { token } })).statusCode).toBe(201);
    const fixed = await as(t, owner).patch(`${url}/${company.contactId}`, {
      address: { line1: '1 rue X', postalCode: '75001', city: 'Paris', country: 'FR' }, vatNumber: 'FR40303265045',
    });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json()).toMatchObject({ vatNumber: 'FR40303265045', address: { country: 'FR' } });
    expect((await as(t, owner).patch(`${url}/bc_unknown`, { name: 'x' })).statusCode).toBe(404);
    // Paged, never capped silently.
    const first = (await as(t, owner).get(`${url}?limit=2`)).json();
    expect(first.items).toHaveLength(2);
    const rest = (await as(t, owner).get(`${url}?limit=2&cursor=${first.nextCursor}`)).json();
    expect(rest).toMatchObject({ nextCursor: null });
    expect([...first.items, ...rest.items].map((c: { id: string }) => c.id).sort()).toEqual((await as(t, owner).get(url)).json().items.map((c: { id: string }) => c.id).sort());
    expect(rest.items).toHaveLength(1);
    expect((await as(t, admin).patch(`${url}/${id}`, { name: 'x' })).statusCode).toBe(403);
    expect((await as(t, owner).get(url)).json().items.find((c: { id: string }) => c.id === id).name).toBe('Second Ltd');
  });

  it('lists invoices for owners and accountants only (empty until the invoice run exists)', async () => {
    const { company } = await team();
    const url = `/api/v1/companies/${company.id}/invoices`;
    expect((await as(t, owner).get(url)).json()).toEqual({ items: [], nextCursor: null });
    expect((await as(t, accountant).get(url)).statusCode).toBe(200);
    expect((await as(t, admin).get(url)).statusCode).toBe(403);
    expect((await as(t, collab).get(url)).statusCode).toBe(403);
    expect((await as(t, outsider).get(url)).statusCode).toBe(404);
  });
});

describe('activity', () => {
  it('pages newest first and shows each role what it may read', async () => {
    const { company, appA, appB } = await team();
    await as(t, owner).put(`/api/v1/apps/${appA}/env`, { vars: { A: '1' } });
    await as(t, owner).put(`/api/v1/apps/${appB}/env`, { vars: { B: '1' } });
    await as(t, owner).patch(`/api/v1/companies/${company.id}`, { name: 'Activity Co' });
    const url = `/api/v1/companies/${company.id}/activity`;
    const all: { id: string; action: string; appName?: string }[] = [];
    let cursor: string | null = null;
    do {
      const res = await as(t, owner).get(`${url}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      all.push(...res.json().items);
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(all.map((e) => e.action)).toEqual(['company.renamed', 'app.env_changed', 'app.env_changed', 'app.booked', 'app.booked', 'billing_contact.created', 'company.created']);
    expect(Number(all[0].id)).toBeGreaterThan(Number(all[1].id));
    expect((await as(t, admin).get(url)).json().items).toHaveLength(7);
    const collabSees = (await as(t, collab).get(url)).json().items;
    expect(collabSees.every((e: { appName?: string }) => e.appName === appA)).toBe(true);
    expect(collabSees.map((e: { action: string }) => e.action)).toEqual(['app.env_changed', 'app.booked']);
    expect((await as(t, accountant).get(url)).json().items.map((e: { action: string }) => e.action)).toEqual(['billing_contact.created']);
    expect((await as(t, outsider).get(url)).statusCode).toBe(404);
    expect((await as(t, owner).get(`${url}?cursor=abc`)).statusCode).toBe(400);
    expect((await as(t, owner).get(`${url}?limit=201`)).statusCode).toBe(400);
  });

  it('writes env changes without the values', async () => {
    const { company, appA } = await team();
    await as(t, owner).put(`/api/v1/apps/${appA}/env`, { vars: { SECRET_KEY: 'hunter2-very-secret' } });
    const [event] = (await as(t, owner).get(`/api/v1/companies/${company.id}/activity`)).json().items;
    expect(event).toMatchObject({ action: 'app.env_changed', details: { added: ['SECRET_KEY'], removed: [], changed: [] } });
    expect(JSON.stringify(event)).not.toContain('hunter2');
  });
});
