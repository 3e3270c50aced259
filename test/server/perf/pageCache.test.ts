import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageCache } from '../../../src/server/http/pageCache.js';
import { appsRepo } from '../../../src/server/modules/apps/repo.js';
import { companiesRepo } from '../../../src/server/modules/companies/repo.js';
import { addMember, bookApp, createCompany, createTrial, SMALL_PLAN, type CompanyFixture } from '../../harness/factories.js';
import { countRequest, installStatementCounter, instrumentDatabase } from '../../harness/statements.js';
import { freshDatabase } from '../../harness/testDb.js';
import { as, createTestApp, ORIGIN, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * The rendered pages of my Companies and my Apps (issue 14, ADR 0120). A page is answered
 * from the process's cache only while the fingerprint PostgreSQL computes in the same one
 * statement is unchanged; every change to what the page shows must be on the very next read,
 * in this process and in another one on the same database.
 */
let t: TestApp;
/** A second server process on the same database, with its own page cache. */
let other: TestApp;
let dev: SignedIn;
let colleague: SignedIn;
let cole: SignedIn;
let cleo: SignedIn;
let a: CompanyFixture;
let b: CompanyFixture;
const appsOfA: string[] = [];

beforeAll(async () => {
  const database = instrumentDatabase(await freshDatabase());
  t = await createTestApp({ database, configure: installStatementCounter });
  other = await createTestApp({ database: { ...database, close: async () => {} }, configure: installStatementCounter });
  dev = await signUpVerified(t, { firstName: 'Dev', lastName: 'Agency' });
  colleague = await signUpVerified(t, { firstName: 'Col', lastName: 'League' });
  cole = await signUpVerified(t, { firstName: 'Cole', lastName: 'Laborator' });
  cleo = await signUpVerified(t, { firstName: 'Cleo', lastName: 'Laborator' });
  a = await createCompany(t, dev, { name: 'Alpha' });
  b = await createCompany(t, dev, { name: 'Beta' });
  for (let i = 0; i < 3; i++) appsOfA.push(await bookApp(t, dev, a));
  await bookApp(t, dev, b);
  await addMember(t, a.id, colleague, 'admin');
  await addMember(t, a.id, cole, 'collaborator', [appsOfA[0]]);
  await addMember(t, a.id, cleo, 'collaborator', [appsOfA[1]]);
});
afterAll(async () => {
  await other?.close();
  await t?.close();
});

interface AppItem { name: string; status: string; company: { id: string; name: string } | null; access: string; plan: Record<string, string> }

async function myApps(who: SignedIn, on: TestApp = t, query = ''): Promise<{ items: AppItem[]; nextCursor: string | null; body: string }> {
  const res = await as(on, who).get(`/api/v1/apps${query}`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return { ...res.json(), body: res.body };
}

async function myCompanies(who: SignedIn, on: TestApp = t): Promise<{ id: string; name: string; role: string }[]> {
  const res = await as(on, who).get('/api/v1/companies');
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

/** Runs `read` and says whether it was answered from the cache of `on`. */
async function wasHit<T>(read: () => Promise<T>, on: TestApp = t): Promise<{ hit: boolean; result: T }> {
  const before = { ...on.services.pages.stats };
  const result = await read();
  const after = on.services.pages.stats;
  expect(after.hits + after.renders).toBe(before.hits + before.renders + 1);
  return { hit: after.hits > before.hits, result };
}

const names = (items: AppItem[]) => items.map((i) => i.name).sort();

describe('the page cache (ADR 0120)', () => {
  it('answers an unchanged page from the cache, byte for byte, in the same one statement', async () => {
    const first = await myApps(dev);
    const { hit, result: second } = await wasHit(() => myApps(dev));
    expect(hit).toBe(true);
    expect(second.body).toBe(first.body);
    // The hit costs the same round trips as a render: the fingerprint comes with the rows' statement.
    const headers = { origin: ORIGIN, cookie: dev.cookie };
    const { res, count } = await countRequest(t.app, { method: 'GET', url: '/api/v1/apps', headers });
    expect(res.statusCode).toBe(200);
    expect(count.statements, count.texts.join('\n')).toBeLessThanOrEqual(1);

    await myCompanies(dev);
    expect((await wasHit(() => myCompanies(dev))).hit).toBe(true);
  });

  it('an App booked by another admin, its plan, its suspension and its deletion are on the next read', async () => {
    await myApps(dev);
    const booked = await bookApp(t, colleague, a);
    let read = await wasHit(() => myApps(dev));
    expect(read.hit).toBe(false);
    expect(names(read.result.items)).toContain(booked);

    const bigger = { ...SMALL_PLAN, php: 'php-m' };
    expect((await as(t, dev).put(`/api/v1/apps/${booked}/plan`, { plan: bigger })).statusCode).toBe(200);
    read = await wasHit(() => myApps(dev));
    expect(read.hit).toBe(false);
    expect(read.result.items.find((i) => i.name === booked)?.plan).toEqual(bigger);

    // An operator's (or the dunning job's) UPDATE in SQL moves the version through the trigger too.
    await t.services.db.execute(sql`UPDATE apps SET status = 'suspended' WHERE name = ${booked}`);
    read = await wasHit(() => myApps(dev));
    expect(read.hit).toBe(false);
    expect(read.result.items.find((i) => i.name === booked)?.status).toBe('suspended');
    await t.services.db.execute(sql`UPDATE apps SET status = 'active' WHERE name = ${booked}`);

    expect((await as(t, dev).delete(`/api/v1/apps/${booked}`)).statusCode).toBe(204);
    read = await wasHit(() => myApps(dev));
    expect(read.hit).toBe(false);
    expect(names(read.result.items)).not.toContain(booked);
  });

  it('changes that do not show leave the page cached (notes)', async () => {
    await myApps(dev);
    expect((await as(t, dev).patch(`/api/v1/apps/${appsOfA[2]}`, { notes: 'deploy on Fridays' })).statusCode).toBe(200);
    expect((await wasHit(() => myApps(dev))).hit).toBe(true);
  });

  it('a rename of the Company is in both lists of every member', async () => {
    await myApps(colleague);
    await myCompanies(colleague);
    expect((await as(t, dev).patch(`/api/v1/companies/${a.id}`, { name: 'Alpha GmbH' })).statusCode).toBe(200);
    const apps = await wasHit(() => myApps(colleague));
    expect(apps.hit).toBe(false);
    expect(apps.result.items.filter((i) => i.company?.id === a.id).map((i) => i.company?.name)).toEqual(appsOfA.map(() => 'Alpha GmbH'));
    const companies = await wasHit(() => myCompanies(colleague));
    expect(companies.hit).toBe(false);
    expect(companies.result.find((c) => c.id === a.id)?.name).toBe('Alpha GmbH');
  });

  it('collaborators see their own assignments, each change on the next read', async () => {
    expect(names((await myApps(cole)).items)).toEqual([appsOfA[0]]);
    expect(names((await myApps(cleo)).items)).toEqual([appsOfA[1]]);
    // Same Company, same role: still never each other's page.
    expect(names((await wasHit(() => myApps(cole))).result.items)).toEqual([appsOfA[0]]);
    expect(names((await wasHit(() => myApps(cleo))).result.items)).toEqual([appsOfA[1]]);

    const res = await as(t, dev).patch(`/api/v1/companies/${a.id}/members/${cole.id}`, { role: 'collaborator', appNames: [appsOfA[0], appsOfA[2]] });
    expect(res.statusCode, res.body).toBe(200);
    const read = await wasHit(() => myApps(cole));
    expect(read.hit).toBe(false);
    expect(names(read.result.items)).toEqual([appsOfA[0], appsOfA[2]].sort());
    expect(names((await myApps(cleo)).items)).toEqual([appsOfA[1]]);

    // An assignment written alone (an operator's INSERT, no delete before it), and taken back.
    const [{ id }] = (await t.services.db.execute(sql`SELECT id FROM apps WHERE name = ${appsOfA[2]}`)).rows as { id: string }[];
    await t.services.db.execute(sql`INSERT INTO collaborator_apps (company_id, account_id, app_id) VALUES (${a.id}, ${cleo.id}, ${id})`);
    expect(names((await wasHit(() => myApps(cleo))).result.items)).toEqual([appsOfA[1], appsOfA[2]].sort());
    await t.services.db.execute(sql`DELETE FROM collaborator_apps WHERE account_id = ${cleo.id} AND app_id = ${id}`);
    expect(names((await wasHit(() => myApps(cleo))).result.items)).toEqual([appsOfA[1]]);
  });

  it('a demotion and a dismissal take the Company\'s Apps off the next read', async () => {
    expect(names((await myApps(colleague)).items)).toEqual([...appsOfA].sort());
    let res = await as(t, dev).patch(`/api/v1/companies/${a.id}/members/${colleague.id}`, { role: 'collaborator', appNames: [appsOfA[1]] });
    expect(res.statusCode, res.body).toBe(200);
    expect(names((await myApps(colleague)).items)).toEqual([appsOfA[1]]);

    await myCompanies(cleo);
    res = await as(t, dev).delete(`/api/v1/companies/${a.id}/members/${cleo.id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect((await myApps(cleo)).items).toEqual([]);
    expect(await myCompanies(cleo)).toEqual([]);
  });

  it('an App moved to the other Company, and a trial App, are on the next read', async () => {
    await myApps(dev);
    const moved = appsOfA[2];
    const res = await as(t, dev).post(`/api/v1/apps/${moved}/transfer`, { toCompanyId: b.id, billingContactId: b.contactId });
    expect(res.statusCode, res.body).toBe(200);
    const read = await wasHit(() => myApps(dev));
    expect(read.hit).toBe(false);
    expect(read.result.items.find((i) => i.name === moved)?.company?.id).toBe(b.id);
    // The collaborator it was assigned to loses it with the move.
    expect(names((await myApps(cole)).items)).toEqual([appsOfA[0]]);

    const trial = await createTrial(t, dev);
    const withTrial = await myApps(dev);
    expect(withTrial.items[0]).toMatchObject({ name: trial, access: 'trial', company: null });
    expect((await as(t, dev).delete(`/api/v1/apps/${trial}`)).statusCode).toBe(204);
    expect(names((await myApps(dev)).items)).not.toContain(trial);
  });

  it('a new membership brings its Company\'s Apps on the next read, and a role changed in SQL takes them off (ADR 0122)', async () => {
    const newcomer = await signUpVerified(t, { firstName: 'New', lastName: 'Comer' });
    expect((await myApps(newcomer)).items).toEqual([]);
    expect((await wasHit(() => myApps(newcomer))).hit).toBe(true);
    await addMember(t, b.id, newcomer, 'admin');
    const joined = await wasHit(() => myApps(newcomer));
    expect(joined.hit).toBe(false);
    const ofB = joined.result.items.filter((i) => i.company?.id === b.id);
    expect(ofB.length).toBeGreaterThan(0);
    expect((await wasHit(() => myApps(newcomer))).hit).toBe(true);
    // An operator's UPDATE, not through the API: the membership's own trigger moves the counter.
    await t.services.db.execute(sql`UPDATE memberships SET role = 'collaborator' WHERE company_id = ${b.id} AND account_id = ${newcomer.id}`);
    const demoted = await wasHit(() => myApps(newcomer));
    expect(demoted.hit).toBe(false);
    expect(demoted.result.items).toEqual([]);
    // An UPDATE that changes nothing shown keeps the page.
    await t.services.db.execute(sql`UPDATE memberships SET created_at = created_at WHERE company_id = ${b.id} AND account_id = ${newcomer.id}`);
    expect((await wasHit(() => myApps(newcomer))).hit).toBe(true);
    // Admin again, then the membership deleted alone in SQL (no collaborator rows go with it).
    await t.services.db.execute(sql`UPDATE memberships SET role = 'admin' WHERE company_id = ${b.id} AND account_id = ${newcomer.id}`);
    expect((await myApps(newcomer)).items.length).toBe(ofB.length);
    await t.services.db.execute(sql`DELETE FROM memberships WHERE company_id = ${b.id} AND account_id = ${newcomer.id}`);
    const removed = await wasHit(() => myApps(newcomer));
    expect(removed.hit).toBe(false);
    expect(removed.result.items).toEqual([]);
  });

  it('a change made through another process is on this process\'s next read', async () => {
    await myApps(dev, other);
    await myCompanies(dev, other);
    expect((await wasHit(() => myApps(dev, other), other)).hit).toBe(true);
    const booked = await bookApp(t, dev, b);
    expect((await as(t, dev).patch(`/api/v1/companies/${b.id}`, { name: 'Beta AG' })).statusCode).toBe(200);
    const read = await wasHit(() => myApps(dev, other), other);
    expect(read.hit).toBe(false);
    expect(read.result.items.find((i) => i.name === booked)?.company?.name).toBe('Beta AG');
    expect((await myCompanies(dev, other)).find((c) => c.id === b.id)?.name).toBe('Beta AG');
  });

  it('pages are cached apart, and each page follows its own changes', async () => {
    const first = await myApps(dev, t, '?limit=1');
    expect(first.nextCursor).not.toBeNull();
    const second = await myApps(dev, t, `?limit=1&cursor=${first.nextCursor}`);
    expect(second.items[0].name).not.toBe(first.items[0].name);
    expect((await wasHit(() => myApps(dev, t, '?limit=1'))).result.body).toBe(first.body);
    expect((await wasHit(() => myApps(dev, t, `?limit=1&cursor=${first.nextCursor}`))).result.body).toBe(second.body);
  });
});

describe('the fingerprinted reads', () => {
  it('send no rows when the fingerprint is the one the caller knows, and all of them otherwise', async () => {
    const db = t.services.db;
    const fresh = await appsRepo.mineUnlessKnown(db, dev.id, null, 501, undefined, null);
    expect(fresh.rows!.length).toBeGreaterThan(0);
    expect(fresh.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(await appsRepo.mineUnlessKnown(db, dev.id, null, 501, undefined, fresh.fingerprint)).toEqual({ fingerprint: fresh.fingerprint, rows: null });
    const stale = await appsRepo.mineUnlessKnown(db, dev.id, null, 501, undefined, 'f'.repeat(32));
    expect(stale.rows!.map((r) => r.name)).toEqual(fresh.rows!.map((r) => r.name));
    // Another caller's fingerprint differs even where the Companies are the same.
    expect((await appsRepo.mineUnlessKnown(db, cole.id, null, 501, undefined, null)).fingerprint).not.toBe(fresh.fingerprint);

    const companies = await companiesRepo.listForAccountUnlessKnown(db, dev.id, null, 501, null);
    expect(companies.rows!.length).toBe(2);
    expect((await companiesRepo.listForAccountUnlessKnown(db, dev.id, null, 501, companies.fingerprint)).rows).toBeNull();
  });

  it('an empty list has a fingerprint too', async () => {
    const loner = await signUpVerified(t, { firstName: 'Lo', lastName: 'Ner' });
    const apps = await appsRepo.mineUnlessKnown(t.services.db, loner.id, null, 501, undefined, null);
    expect(apps.rows).toEqual([]);
    expect(apps.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    const companies = await companiesRepo.listForAccountUnlessKnown(t.services.db, loner.id, null, 501, null);
    expect(companies.rows).toEqual([]);
    expect((await companiesRepo.listForAccountUnlessKnown(t.services.db, loner.id, null, 501, companies.fingerprint)).rows).toBeNull();
  });
});

describe('PageCache', () => {
  it('keeps a body only with its fingerprint, and drops the least recently used when full', () => {
    const cache = new PageCache(10);
    cache.put('a', 'fa', Buffer.from('aaaa'));
    cache.put('b', 'fb', Buffer.from('bbbb'));
    expect(cache.take('a', 'other')).toBeNull();
    expect(cache.take('a', 'fa')?.toString()).toBe('aaaa'); // now 'b' is the oldest
    cache.put('c', 'fc', Buffer.from('cccc'));
    expect(cache.fingerprintOf('b')).toBeNull();
    expect(cache.fingerprintOf('a')).toBe('fa');
    expect(cache.size).toBe(2);
    cache.put('a', 'fa2', Buffer.from('aa'));
    expect(cache.take('a', 'fa')).toBeNull();
    expect(cache.take('a', 'fa2')?.toString()).toBe('aa');
    cache.put('huge', 'fh', Buffer.alloc(11));
    expect(cache.fingerprintOf('huge')).toBeNull();
  });
});
