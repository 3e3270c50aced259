import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../../../src/server/db/schema.js';
import { LISTENER_NAME } from '../../../src/server/db/notify.js';
import { IDENTITY_TTL_MS, IdentityCache } from '../../../src/server/http/identityCache.js';
import type { Actor } from '../../../src/server/modules/accounts/session.js';
import { addMember, createCompany, type CompanyFixture } from '../../harness/factories.js';
import { countRequest, installStatementCounter, instrumentDatabase } from '../../harness/statements.js';
import { freshDatabase, onPostgres } from '../../harness/testDb.js';
import { as, createTestApp, ORIGIN, signUpVerified, STRONG_PASSWORD, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * The identity cache (issue 14, ADR 0116): a read may find its caller without a query, but a
 * signed-out or revoked session, a changed Account and a dismissed member are refused on the
 * very next request — in this process at once, in another process as soon as its commit's
 * NOTIFY arrives (`identitySync` waits for exactly that).
 */
let t: TestApp;
/** A second server process on the same database (its own cache and listener). */
let other: TestApp;

beforeAll(async () => {
  const database = instrumentDatabase(await freshDatabase());
  t = await createTestApp({ database, configure: installStatementCounter });
  other = await createTestApp({ database: { ...database, close: async () => {} }, configure: installStatementCounter });
});
afterAll(async () => {
  await other?.close();
  await t?.close();
});

async function statementsOf(app: TestApp, who: SignedIn, url: string): Promise<{ status: number; statements: number }> {
  const { res, count } = await countRequest(app.app, { method: 'GET', url, headers: { origin: ORIGIN, cookie: who.cookie } });
  return { status: res.statusCode, statements: count.statements };
}

async function signIn(app: TestApp, who: SignedIn): Promise<SignedIn> {
  const res = await app.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers: { origin: ORIGIN }, payload: { email: who.email, password: STRONG_PASSWORD } });
  expect(res.statusCode, res.body).toBe(200);
  const raw = res.headers['set-cookie'];
  const cookie = (Array.isArray(raw) ? raw : [raw!]).map((c) => c.split(';')[0]).filter((c) => !c.endsWith('=')).join('; ');
  return { ...who, cookie };
}

describe('the identity cache', () => {
  it('answers a repeated read without a query, and only reads', async () => {
    const dev = await signUpVerified(t);
    expect((await statementsOf(t, dev, '/api/v1/me')).statements).toBeLessThanOrEqual(1);
    expect(await statementsOf(t, dev, '/api/v1/me')).toEqual({ status: 200, statements: 0 });
    const change = await countRequest(t.app, { method: 'PATCH', url: '/api/v1/me', headers: { origin: ORIGIN, cookie: dev.cookie }, payload: { firstName: 'Renamed' } });
    expect(change.res.statusCode).toBe(200);
    expect(change.count.texts[0]).toMatch(/^SELECT s\.id AS "sessionId"/);
    const me = await as(t, dev).get('/api/v1/me');
    expect(me.json().firstName).toBe('Renamed');
  });

  it('a signed-out session is refused on the next read, in this process', async () => {
    const dev = await signUpVerified(t);
    expect((await as(t, dev).get('/api/v1/me')).statusCode).toBe(200);
    expect((await statementsOf(t, dev, '/api/v1/me')).statements).toBe(0);
    const out = await as(t, dev).post('/api/auth/sign-out', {});
    expect(out.statusCode).toBe(200);
    expect((await as(t, dev).get('/api/v1/me')).statusCode).toBe(401);
  });

  it('a session ended by another process is refused as soon as its change is heard', async () => {
    const dev = await signUpVerified(t);
    const second = await signIn(t, dev);
    // Both processes know the second session.
    for (const app of [t, other]) {
      expect((await as(app, second).get('/api/v1/me')).statusCode).toBe(200);
      expect((await statementsOf(app, second, '/api/v1/me')).statements).toBe(0);
    }
    // The first session ends all others, on `t`.
    expect((await as(t, dev).post('/api/v1/me/sessions/revoke-others', {})).statusCode).toBe(204);
    await other.services.identitySync();
    expect((await as(other, second).get('/api/v1/me')).statusCode).toBe(401);
    expect((await as(t, second).get('/api/v1/me')).statusCode).toBe(401);
    expect((await as(other, dev).get('/api/v1/me')).statusCode).toBe(200);
  });

  it('an Account changed by another process is read again', async () => {
    const dev = await signUpVerified(t);
    expect((await as(other, dev).get('/api/v1/me')).json().lastName).toBe('Developer');
    expect((await as(t, dev).patch('/api/v1/me', { lastName: 'Changed' })).statusCode).toBe(200);
    await other.services.identitySync();
    expect((await as(other, dev).get('/api/v1/me')).json().lastName).toBe('Changed');
  });

  it('a session changed outside any server (an operator, a script) is read again', async () => {
    const dev = await signUpVerified(t);
    expect((await as(t, dev).get('/api/v1/me')).statusCode).toBe(200);
    await t.services.db.update(sessions).set({ expiresAt: new Date(t.clock.now().getTime() - 1000) }).where(eq(sessions.userId, dev.id));
    await t.services.identitySync();
    expect((await as(t, dev).get('/api/v1/me')).statusCode).toBe(401);
  });

  it('"last seen" alone does not empty the cache', async () => {
    const dev = await signUpVerified(t);
    expect((await as(t, dev).get('/api/v1/me')).statusCode).toBe(200);
    t.clock.advance(6 * 60_000);
    try {
      // The cached identity is older than its lifetime: read again, "last seen" written.
      expect((await statementsOf(t, dev, '/api/v1/me')).statements).toBe(2);
      await t.services.identitySync();
      expect((await statementsOf(t, dev, '/api/v1/me')).statements).toBe(0);
      const [row] = await t.services.db.select({ lastSeenAt: sessions.lastSeenAt }).from(sessions).where(eq(sessions.userId, dev.id));
      expect(row.lastSeenAt?.getTime()).toBe(t.clock.now().getTime());
    } finally {
      t.clock.reset();
    }
  });

  it('never answers past its lifetime or the session\'s expiry', async () => {
    const dev = await signUpVerified(t);
    expect((await as(t, dev).get('/api/v1/me')).statusCode).toBe(200);
    t.clock.advance(IDENTITY_TTL_MS - 1);
    try {
      expect((await statementsOf(t, dev, '/api/v1/me')).statements).toBe(0);
      t.clock.advance(1);
      expect((await statementsOf(t, dev, '/api/v1/me')).statements).toBe(1);
    } finally {
      t.clock.reset();
    }
    const [row] = await t.services.db.select({ expiresAt: sessions.expiresAt }).from(sessions).where(eq(sessions.userId, dev.id));
    t.clock.advance(row.expiresAt.getTime() - t.clock.now().getTime() - 1);
    try {
      // Cached 1 ms before the session expires: not used once it has.
      expect((await as(t, dev).get('/api/v1/me')).statusCode).toBe(200);
      t.clock.advance(1);
      expect((await as(t, dev).get('/api/v1/me')).statusCode).toBe(401);
    } finally {
      t.clock.reset();
    }
  });

  it('a dismissed member is refused on the next read while their identity is cached', async () => {
    const owner = await signUpVerified(t);
    const member = await signUpVerified(t);
    const company: CompanyFixture = await createCompany(t, owner);
    await addMember(t, company.id, member, 'admin');
    expect((await as(t, member).get(`/api/v1/companies/${company.id}/members`)).statusCode).toBe(200);
    expect((await statementsOf(t, member, '/api/v1/me')).statements).toBe(0);
    // Dismissed by the owner on the other process; the member's identity stays cached here (nothing about it changed).
    expect((await as(other, owner).delete(`/api/v1/companies/${company.id}/members/${member.id}`)).statusCode).toBe(204);
    await t.services.identitySync();
    expect((await as(t, member).get(`/api/v1/companies/${company.id}/members`)).statusCode).toBe(404);
    expect((await as(t, member).get(`/api/v1/companies/${company.id}`)).statusCode).toBe(404);
  });

  it.runIf(onPostgres)('caches nothing while the listening connection is lost, and again once it is back', async () => {
    const dev = await signUpVerified(t);
    expect((await as(t, dev).get('/api/v1/me')).statusCode).toBe(200);
    expect((await statementsOf(t, dev, '/api/v1/me')).statements).toBe(0);
    await t.services.db.execute(sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = ${LISTENER_NAME}`);
    await expect.poll(() => t.services.identity.size, { timeout: 5_000 }).toBe(0);
    expect((await statementsOf(t, dev, '/api/v1/me')).statements).toBe(1);
    expect((await statementsOf(t, dev, '/api/v1/me')).statements).toBe(1);
    await expect.poll(async () => {
      await as(t, dev).get('/api/v1/me');
      return (await statementsOf(t, dev, '/api/v1/me')).statements;
    }, { timeout: 10_000, interval: 200 }).toBe(0);
  });
});

describe('IdentityCache', () => {
  const actor = { id: 'a', sessionId: 's' } as Actor;

  it('does not keep a lookup that started before the cache was emptied', () => {
    const cache = new IdentityCache();
    cache.setListening(true);
    const generation = cache.begin();
    cache.clear();
    cache.set('token', actor, generation, 0, 60_000);
    expect(cache.get('token', 1)).toBeNull();
    cache.set('token', actor, cache.begin(), 0, 60_000);
    expect(cache.get('token', 1)).toBe(actor);
  });

  it('keeps nothing while not listening', () => {
    const cache = new IdentityCache();
    cache.set('token', actor, cache.begin(), 0, 60_000);
    expect(cache.get('token', 1)).toBeNull();
    cache.setListening(true);
    cache.set('token', actor, cache.begin(), 0, 60_000);
    cache.setListening(false);
    expect(cache.get('token', 1)).toBeNull();
  });

  it('ends an entry at its lifetime or the session\'s expiry, whichever is first', () => {
    const cache = new IdentityCache();
    cache.setListening(true);
    cache.set('long', actor, cache.begin(), 1_000, 1_000_000);
    cache.set('short', actor, cache.begin(), 1_000, 1_500);
    expect(cache.get('long', 1_000 + IDENTITY_TTL_MS - 1)).toBe(actor);
    expect(cache.get('long', 1_000 + IDENTITY_TTL_MS)).toBeNull();
    expect(cache.get('short', 1_499)).toBe(actor);
    expect(cache.get('short', 1_500)).toBeNull();
  });
});
