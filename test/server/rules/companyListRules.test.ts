import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../../src/server/modules/companies/queries.js';
import { addMember, bookApp, createCompany, type CompanyFixture } from '../../harness/factories.js';
import { as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 10 (Stryker on companies/listMembers.ts and queries.ts, 3 December afternoon): who sees
 * which members of a Company and with which App lists (SPEC section 3: owners and admins all,
 * accountants members only, a collaborator her Apps' co-workers), paged without gaps or
 * repeats, and the Company views. Each test makes its own Company.
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

interface Member { accountId: string; email: string; firstName: string; lastName: string; role: string; appNames?: string[] }

async function company() {
  const owner = await signUpVerified(t, { firstName: 'Olivia', lastName: 'Owner' });
  const co = await createCompany(t, owner, { name: `List Co ${Math.random().toString(36).slice(2, 6)}` });
  const appA = await bookApp(t, owner, co);
  const appB = await bookApp(t, owner, co);
  const admin = await signUpVerified(t, { firstName: 'Adam', lastName: 'Admin' });
  const accountant = await signUpVerified(t, { firstName: 'Acco', lastName: 'Untant' });
  const onA = await signUpVerified(t, { firstName: 'Cleo', lastName: 'OnA' });
  const onAB = await signUpVerified(t, { firstName: 'Cato', lastName: 'OnAB' });
  const onB = await signUpVerified(t, { firstName: 'Cora', lastName: 'OnB' });
  const onNone = await signUpVerified(t, { firstName: 'Nell', lastName: 'OnNone' });
  await addMember(t, co.id, admin, 'admin');
  await addMember(t, co.id, accountant, 'accountant');
  await addMember(t, co.id, onA, 'collaborator', [appA]);
  await addMember(t, co.id, onAB, 'collaborator', [appA, appB]);
  await addMember(t, co.id, onB, 'collaborator', [appB]);
  await addMember(t, co.id, onNone, 'collaborator', []);
  return { owner, co, appA, appB, admin, accountant, onA, onAB, onB, onNone };
}

const membersOf = async (who: SignedIn, co: CompanyFixture, query = '') => {
  const res = await as(t, who).get(`/api/v1/companies/${co.id}/members${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Member[]; nextCursor: string | null };
};
const byId = (items: Member[]) => [...items].sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
const person = (who: SignedIn, firstName: string, lastName: string, role: string, appNames?: string[]) =>
  ({ accountId: who.id, email: who.email, firstName, lastName, role, ...(appNames ? { appNames } : {}) });

describe('the members of a Company, as each role may see them (SPEC section 3)', () => {
  it('owners and admins see everyone; only collaborators carry App lists, each with all of theirs', async () => {
    const c = await company();
    const expected = byId([
      person(c.owner, 'Olivia', 'Owner', 'owner'), person(c.admin, 'Adam', 'Admin', 'admin'), person(c.accountant, 'Acco', 'Untant', 'accountant'),
      person(c.onA, 'Cleo', 'OnA', 'collaborator', [c.appA]), person(c.onAB, 'Cato', 'OnAB', 'collaborator', [c.appA, c.appB].sort()),
      person(c.onB, 'Cora', 'OnB', 'collaborator', [c.appB]), person(c.onNone, 'Nell', 'OnNone', 'collaborator', []),
    ]);
    for (const who of [c.owner, c.admin]) {
      const page = await membersOf(who, c.co);
      expect(page.nextCursor).toBeNull();
      expect(byId(page.items).map((m) => ({ ...m, ...(m.appNames ? { appNames: [...m.appNames].sort() } : {}) }))).toEqual(expected);
    }
  });

  it('an accountant sees every member, without any App list', async () => {
    const c = await company();
    const page = await membersOf(c.accountant, c.co);
    expect(byId(page.items)).toEqual(byId([
      person(c.owner, 'Olivia', 'Owner', 'owner'), person(c.admin, 'Adam', 'Admin', 'admin'), person(c.accountant, 'Acco', 'Untant', 'accountant'),
      person(c.onA, 'Cleo', 'OnA', 'collaborator'), person(c.onAB, 'Cato', 'OnAB', 'collaborator'),
      person(c.onB, 'Cora', 'OnB', 'collaborator'), person(c.onNone, 'Nell', 'OnNone', 'collaborator'),
    ]));
    expect(page.nextCursor).toBeNull();
  });

  it('a collaborator sees owners, admins, herself and those sharing one of her Apps, with the lists cut to the shared Apps', async () => {
    const c = await company();
    const page = await membersOf(c.onA, c.co);
    expect(byId(page.items)).toEqual(byId([
      person(c.owner, 'Olivia', 'Owner', 'owner'), person(c.admin, 'Adam', 'Admin', 'admin'),
      person(c.onA, 'Cleo', 'OnA', 'collaborator', [c.appA]), person(c.onAB, 'Cato', 'OnAB', 'collaborator', [c.appA]),
    ]));
    expect(page.nextCursor).toBeNull();
  });

  it('a collaborator on no App sees the owners, the admins and herself, with an empty list', async () => {
    const c = await company();
    const page = await membersOf(c.onNone, c.co);
    expect(byId(page.items)).toEqual(byId([
      person(c.owner, 'Olivia', 'Owner', 'owner'), person(c.admin, 'Adam', 'Admin', 'admin'), person(c.onNone, 'Nell', 'OnNone', 'collaborator', []),
    ]));
  });

  it('someone who is not a member, and a Company that does not exist, are 404 in the same words', async () => {
    const c = await company();
    const outsider = await signUpVerified(t);
    for (const url of [`/api/v1/companies/${c.co.id}/members`, '/api/v1/companies/co_doesNotExist/members']) {
      const res = await as(t, outsider).get(url);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'not_found', detail: 'This Company does not exist or you cannot see it.' });
    }
  });
});

describe('members paged (never silently capped)', () => {
  it('pages of two walk every member once, in account order; the last page says there is no more', async () => {
    const c = await company();
    const all = (await membersOf(c.owner, c.co)).items.map((m) => m.accountId);
    expect(all).toEqual([...all].sort());
    const walked: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await membersOf(c.owner, c.co, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.items.map((m) => m.accountId));
      cursor = page.nextCursor;
      pages += 1;
      if (cursor) expect(cursor).toBe(Buffer.from(page.items[page.items.length - 1].accountId, 'utf8').toString('base64url'));
    } while (cursor && pages < 10);
    expect(walked).toEqual(all);
    expect(pages).toBe(4);
  });

  it('a page after the last member (its member gone since the cursor was handed out) is empty, not a member without an Account', async () => {
    const c = await company();
    // A cursor past every Account id (ids are "acc_…"; the members are paged by id).
    const past = encodeCursor('zzzz');
    expect(await membersOf(c.owner, c.co, `?limit=6&cursor=${past}`)).toEqual({ items: [], nextCursor: null });
  });

  it('a page exactly as long as what is left has no next page; a collaborator\'s pages hold only whom she may see', async () => {
    const c = await company();
    expect((await membersOf(c.owner, c.co, '?limit=7')).nextCursor).toBeNull();
    const six = await membersOf(c.owner, c.co, '?limit=6');
    expect(six.items).toHaveLength(6);
    expect(six.nextCursor).not.toBeNull();
    const rest = await membersOf(c.owner, c.co, `?limit=6&cursor=${six.nextCursor}`);
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    const seenByOnB: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await membersOf(c.onB, c.co, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seenByOnB.push(...page.items.map((m) => m.accountId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seenByOnB.sort()).toEqual([c.owner.id, c.admin.id, c.onAB.id, c.onB.id].sort());
  });
});

describe('my Companies and one Company (SPEC 4.2)', () => {
  it('lists my Companies with my role in each, paged by id with a cursor', async () => {
    const me = await signUpVerified(t);
    const other = await signUpVerified(t);
    const mine = [await createCompany(t, me, { name: 'Mine One' }), await createCompany(t, me, { name: 'Mine Two' })];
    const theirs = await createCompany(t, other, { name: 'Theirs' });
    await addMember(t, theirs.id, me, 'accountant');
    const expected = [...mine.map((m) => ({ id: m.id, name: m.name, role: 'owner' })), { id: theirs.id, name: 'Theirs', role: 'accountant' }]
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const all = await as(t, me).get('/api/v1/companies');
    expect(all.json()).toEqual({ items: expected, nextCursor: null });
    const first = (await as(t, me).get('/api/v1/companies?limit=2')).json();
    expect(first).toEqual({ items: expected.slice(0, 2), nextCursor: Buffer.from(expected[1].id, 'utf8').toString('base64url') });
    const second = (await as(t, me).get(`/api/v1/companies?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toEqual({ items: expected.slice(2), nextCursor: null });
    expect((await as(t, me).get('/api/v1/companies?limit=3')).json().nextCursor).toBeNull();
  });

  it('one Company shows its settings and when it was made, to every member with her own role', async () => {
    const c = await company();
    expect((await as(t, c.owner).patch(`/api/v1/companies/${c.co.id}`, { blockTransfersOut: true, requireCostApproval: true })).statusCode).toBe(200);
    for (const [who, role] of [[c.owner, 'owner'], [c.accountant, 'accountant'], [c.onA, 'collaborator']] as const) {
      const res = await as(t, who).get(`/api/v1/companies/${c.co.id}`);
      expect(res.statusCode).toBe(200);
      const view = res.json();
      expect(view).toMatchObject({ id: c.co.id, name: c.co.name, role, blockTransfersOut: true, requireTwoFactor: false, requireCostApproval: true });
      expect(Object.keys(view).sort()).toEqual(['blockTransfersOut', 'createdAt', 'id', 'name', 'requireCostApproval', 'requireTwoFactor', 'role']);
      expect(new Date(view.createdAt).toISOString()).toBe(view.createdAt);
    }
  });
});
