import { and, asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, activityEvents, twoFactors } from '../../../src/server/db/schema.js';
import { createCompany } from '../../harness/factories.js';
import { as, cookiesOf, createTestApp, mailsTo, ORIGIN, signUpVerified, STRONG_PASSWORD, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { secretOf, totp } from '../../harness/totp.js';

/** SPEC 4.10 and 5, issue 16: two-factor authentication (Better Auth's plugin on our tables) and re-authentication. */

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

const sessionCookie = (res: { headers: Record<string, unknown> }) =>
  cookiesOf(res as never).split('; ').filter((c) => c.includes('session_token=')).join('; ');

async function enable(user: SignedIn): Promise<{ user: SignedIn; secret: string; backupCodes: string[] }> {
  const started = await as(t, user).post('/api/auth/two-factor/enable', { password: STRONG_PASSWORD });
  expect(started.statusCode, started.body).toBe(200);
  const { totpURI, backupCodes } = started.json() as { totpURI: string; backupCodes: string[] };
  expect(totpURI).toMatch(/^otpauth:\/\/totp\/Dashboard:/);
  expect(backupCodes).toHaveLength(10);
  // Not on before the first code.
  expect((await t.services.db.select().from(accounts).where(eq(accounts.id, user.id)))[0].twoFactorEnabled).toBe(false);
  const secret = secretOf(totpURI);
  const verified = await as(t, user).post('/api/auth/two-factor/verify-totp', { code: totp(secret) });
  expect(verified.statusCode, verified.body).toBe(200);
  const renewed = sessionCookie(verified);
  return { user: { ...user, cookie: renewed || user.cookie }, secret, backupCodes };
}

const signIn = (email: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers: { origin: ORIGIN }, payload: { email, password } });

describe('two-factor authentication', () => {
  it('turns on with a code, stores only encrypted secrets, and then sign-in needs the code (on this database)', async () => {
    const { user, secret, backupCodes } = await enable(await signUpVerified(t));
    const [row] = await t.services.db.select().from(twoFactors).where(eq(twoFactors.userId, user.id));
    expect(row.verified).toBe(true);
    expect(row.secret).not.toContain(secret);
    for (const code of backupCodes) expect(row.backupCodes).not.toContain(code);
    expect((await as(t, user).get('/api/v1/me')).json()).toMatchObject({ twoFactorEnabled: true });

    const first = await signIn(user.email, STRONG_PASSWORD);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ twoFactorRedirect: true });
    expect(sessionCookie(first)).toBe('');
    const pending = cookiesOf(first);
    expect(pending).toContain('dashboard.two_factor=');
    // No session yet: the API says unauthenticated.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: pending } })).statusCode).toBe(401);

    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/two-factor/verify-totp', headers: { origin: ORIGIN, cookie: pending }, payload: { code: '000000' === totp(secret) ? '111111' : '000000' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'code' }] });
    const done = await t.app.inject({ method: 'POST', url: '/api/auth/two-factor/verify-totp', headers: { origin: ORIGIN, cookie: pending }, payload: { code: totp(secret) } });
    expect(done.statusCode, done.body).toBe(200);
    const session = sessionCookie(done);
    expect(session).toContain('session_token=');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: session } })).statusCode).toBe(200);
    const history = (await t.app.inject({ method: 'GET', url: '/api/v1/me/sign-in-history', headers: { cookie: session } })).json().items;
    expect(history.map((h: { outcome: string }) => h.outcome).slice(0, 2)).toEqual(['succeeded', 'wrong_code']);
  });

  it('a client Account turns it on and signs in with it the same way', async () => {
    const { user, secret } = await enable(await signUpVerified(t, { accountType: 'client' }));
    expect((await as(t, user).get('/api/v1/me')).json()).toMatchObject({ accountType: 'client', twoFactorEnabled: true });
    const first = await signIn(user.email, STRONG_PASSWORD);
    expect(first.json()).toMatchObject({ twoFactorRedirect: true });
    const done = await t.app.inject({ method: 'POST', url: '/api/auth/two-factor/verify-totp', headers: { origin: ORIGIN, cookie: cookiesOf(first) }, payload: { code: totp(secret) } });
    expect(done.statusCode, done.body).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: sessionCookie(done) } })).json().accountType).toBe('client');
  });

  it('the second step cannot be guessed: 5 wrong codes end the step, 10 lock the Account\'s codes for a while (429), even with the password each time', async () => {
    const { user, secret } = await enable(await signUpVerified(t));
    const wrong = '000000' === totp(secret) ? '111111' : '000000';
    const challenge = async () => {
      const first = await signIn(user.email, STRONG_PASSWORD);
      expect(first.json()).toMatchObject({ twoFactorRedirect: true });
      return (code: string) => t.app.inject({ method: 'POST', url: '/api/auth/two-factor/verify-totp', headers: { origin: ORIGIN, cookie: cookiesOf(first) }, payload: { code } });
    };
    const first = await challenge();
    for (let i = 0; i < 5; i++) expect((await first(wrong)).statusCode, `code ${i + 1}`).toBe(400);
    // The step is over: signing in starts again with the password.
    expect((await first(totp(secret))).statusCode).toBe(401);
    const second = await challenge();
    for (let i = 0; i < 5; i++) expect((await second(wrong)).statusCode, `code ${i + 6}`).toBe(400);
    // Ten wrong codes for the Account: locked, whichever step and however often the password is given.
    expect((await second(totp(secret))).statusCode).toBe(429);
    const step = await challenge();
    const locked = await step(totp(secret));
    expect(locked.statusCode, locked.body).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'rate_limited', reason: 'codes_locked' });
    expect(locked.headers['retry-after']).toBe('900');
    expect(sessionCookie(locked)).toBe('');
  });

  it('a recovery code signs in once', async () => {
    const { user, backupCodes } = await enable(await signUpVerified(t));
    const attempt = async (code: string) => {
      const pending = cookiesOf(await signIn(user.email, STRONG_PASSWORD));
      return t.app.inject({ method: 'POST', url: '/api/auth/two-factor/verify-backup-code', headers: { origin: ORIGIN, cookie: pending }, payload: { code } });
    };
    const ok = await attempt(backupCodes[0]);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(sessionCookie(ok)).toContain('session_token=');
    const again = await attempt(backupCodes[0]);
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('validation_failed');
  });

  it('with two-factor on, an 8-character password is accepted; without it, 15 are needed; turning off needs the password and a long one', async () => {
    const plain = await signUpVerified(t);
    const short = await as(t, plain).post('/api/auth/change-password', { currentPassword: STRONG_PASSWORD, newPassword: 'tidy owl' });
    expect(short.statusCode).toBe(400);
    expect(short.json().code).toBe('validation_failed');

    const { user, secret } = await enable(await signUpVerified(t));
    const changed = await as(t, user).post('/api/auth/change-password', { currentPassword: STRONG_PASSWORD, newPassword: 'tidy owl' });
    expect(changed.statusCode, changed.body).toBe(200);
    const cookie = sessionCookie(changed);
    const signedIn = { ...user, cookie };
    expect((await as(t, signedIn).post('/api/auth/change-password', { currentPassword: 'tidy owl', newPassword: 'seven c' })).statusCode).toBe(400);
    // Turning off: a wrong password is refused; the 8-character password is refused (it would be too short without 2FA).
    expect((await as(t, signedIn).post('/api/auth/two-factor/disable', { password: 'tidy owl' })).json()).toMatchObject({ code: 'validation_failed' });
    const back = await as(t, signedIn).post('/api/auth/change-password', { currentPassword: 'tidy owl', newPassword: STRONG_PASSWORD });
    expect(back.statusCode).toBe(200);
    const again = { ...user, cookie: sessionCookie(back) };
    const wrongPw = await as(t, again).post('/api/auth/two-factor/disable', { password: 'not the password at all' });
    expect(wrongPw.statusCode).toBe(400);
    expect(wrongPw.json().errors[0].path).toBe('password');
    const off = await as(t, again).post('/api/auth/two-factor/disable', { password: STRONG_PASSWORD });
    expect(off.statusCode, off.body).toBe(200);
    expect((await t.services.db.select().from(twoFactors).where(eq(twoFactors.userId, user.id)))).toHaveLength(0);
    const plainSignIn = await signIn(user.email, STRONG_PASSWORD);
    expect(plainSignIn.json().twoFactorRedirect).toBeUndefined();
    expect(secret).toBeTruthy();
  });

  it('refuses unknown fields and empty codes (400), and enable without a session (401)', async () => {
    const user = await signUpVerified(t);
    expect((await as(t, user).post('/api/auth/two-factor/enable', { password: STRONG_PASSWORD, method: 'otp' })).statusCode).toBe(400);
    expect((await as(t, user).post('/api/auth/two-factor/verify-totp', { code: '' })).statusCode).toBe(400);
    expect((await as(t, null).post('/api/auth/two-factor/enable', { password: STRONG_PASSWORD })).statusCode).toBe(401);
  });
});

describe('re-authentication', () => {
  it('a session from the verification link is not fresh: deleting a Company asks for the password, then works within 10 minutes', async () => {
    const owner = await signUpVerified(t, { fresh: false });
    const co = await createCompany(t, owner);
    const refused = await as(t, owner).delete(`/api/v1/companies/${co.id}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('reauthentication_required');
    const wrong = await as(t, owner).post('/api/v1/me/reauthenticate', { password: 'not my password, sorry' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('password');
    // Worded by reason on a German page (ADR 0090), like the sign-in's wrong password.
    expect(wrong.json().errors[0].reason).toBe('password_wrong');
    expect((await as(t, owner).delete(`/api/v1/companies/${co.id}`)).statusCode).toBe(403);
    expect((await as(t, owner).post('/api/v1/me/reauthenticate', { password: STRONG_PASSWORD })).statusCode).toBe(204);
    try {
      t.clock.advance(9 * 60_000);
      expect((await as(t, owner).delete(`/api/v1/companies/${co.id}`)).statusCode).toBe(204);
    } finally { t.clock.reset(); }
  });

  it('freshness ends 10 minutes after the re-authentication, and a code from the app renews it', async () => {
    const { user, secret } = await enable(await signUpVerified(t, { fresh: false }));
    const co = await createCompany(t, user);
    try {
      t.clock.advance(11 * 60_000);
      expect((await as(t, user).delete(`/api/v1/companies/${co.id}`)).json().code).toBe('reauthentication_required');
      expect((await as(t, user).post('/api/v1/me/reauthenticate', { code: '12345' })).statusCode).toBe(400);
      const ok = await as(t, user).post('/api/v1/me/reauthenticate', { code: totp(secret) });
      expect(ok.statusCode, ok.body).toBe(204);
      expect((await as(t, user).delete(`/api/v1/companies/${co.id}`)).statusCode).toBe(204);
    } finally { t.clock.reset(); }
  });

  it('a stolen session cannot guess codes freely: after 10 wrong codes even the right one is refused for a while', async () => {
    const { user, secret } = await enable(await signUpVerified(t, { fresh: false }));
    const wrong = '000000' === totp(secret) ? '111111' : '000000';
    for (let i = 0; i < 10; i++) {
      const res = await as(t, user).post('/api/v1/me/reauthenticate', { code: wrong });
      expect(res.statusCode, `attempt ${i + 1}: ${res.body}`).toBe(400);
    }
    const locked = await as(t, user).post('/api/v1/me/reauthenticate', { code: totp(secret) });
    expect(locked.statusCode, locked.body).toBe(429);
    expect(locked.json().code).toBe('rate_limited');
    expect(locked.headers['retry-after']).toBeTruthy();
  });

  it('a code is refused without two-factor; bad bodies are 400; without a session 401', async () => {
    const user = await signUpVerified(t);
    expect((await as(t, user).post('/api/v1/me/reauthenticate', { code: '123456' })).json().code).toBe('validation_failed');
    expect((await as(t, user).post('/api/v1/me/reauthenticate', { password: STRONG_PASSWORD, extra: 1 })).statusCode).toBe(400);
    expect((await as(t, user).post('/api/v1/me/reauthenticate', {})).statusCode).toBe(400);
    expect((await as(t, null).post('/api/v1/me/reauthenticate', { password: STRONG_PASSWORD })).statusCode).toBe(401);
    expect(await mailsTo(t.services.db, user.email, 'sign-in-locked')).toHaveLength(0);
  });
});

describe('Company policy: require two-factor for all members', () => {
  it('the owner must have 2FA to switch it on; members without 2FA get two_factor_required on the Company\'s routes, the list still names it', async () => {
    const { addMember, bookApp } = await import('../../harness/factories.js');
    const plainOwner = await signUpVerified(t);
    const co = await createCompany(t, plainOwner);
    const app = await bookApp(t, plainOwner, co);
    const refused = await as(t, plainOwner).patch(`/api/v1/companies/${co.id}`, { requireTwoFactor: true });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('two_factor_required');
    expect((await as(t, plainOwner).get(`/api/v1/companies/${co.id}`)).json().requireTwoFactor).toBe(false);

    const { user: owner } = await enable(plainOwner);
    const admin = await signUpVerified(t);
    await addMember(t, co.id, admin, 'admin');
    expect((await as(t, admin).patch(`/api/v1/companies/${co.id}`, { requireTwoFactor: true })).json().code).toBe('forbidden');
    const on = await as(t, owner).patch(`/api/v1/companies/${co.id}`, { requireTwoFactor: true });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json().requireTwoFactor).toBe(true);

    // Every GET of the Company and its Apps, walked from the OpenAPI document.
    const doc = (await as(t, null).get('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const urls = Object.entries(doc.paths)
      .filter(([p, m]) => 'get' in m && (p.startsWith('/api/v1/companies/{id}') || p.startsWith('/api/v1/apps/{name}')))
      .map(([p]) => p.replace('{id}', co.id).replace('{name}', app).replace(/\{\w+\}/g, 'x'));
    expect(urls.length).toBeGreaterThan(8);
    for (const url of urls) {
      const res = await as(t, admin).get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().code, url).toBe('two_factor_required');
    }
    const list = await as(t, admin).get('/api/v1/companies');
    expect(list.json().items.map((c: { id: string }) => c.id)).toContain(co.id);
    // An outsider still gets 404 (no existence leak); the owner with 2FA opens everything.
    const outsider = await signUpVerified(t);
    expect((await as(t, outsider).get(`/api/v1/companies/${co.id}`)).statusCode).toBe(404);
    expect((await as(t, owner).get(`/api/v1/companies/${co.id}/members`)).statusCode).toBe(200);
    // Once the admin turns 2FA on, the Company opens.
    const { user: admin2 } = await enable(admin);
    expect((await as(t, admin2).get(`/api/v1/companies/${co.id}`)).statusCode).toBe(200);
    const events = (await as(t, owner).get(`/api/v1/companies/${co.id}/activity`)).json().items.map((e: { action: string }) => e.action);
    expect(events).toContain('company.two_factor_required');
  });

  // Issue 10 (Stryker, updateCompany.ts): SPEC 5, every change of the policy is an event.
  it('requiring two-factor and lifting it again are each an event with before and after; asking for what is already set is none', async () => {
    const { user: owner } = await enable(await signUpVerified(t));
    const co = await createCompany(t, owner);
    for (const value of [true, true, false]) {
      const res = await as(t, owner).patch(`/api/v1/companies/${co.id}`, { requireTwoFactor: value });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().requireTwoFactor).toBe(value);
    }
    const events = await t.services.db.select().from(activityEvents)
      .where(and(eq(activityEvents.companyId, co.id), like(activityEvents.action, 'company.two_factor%'))).orderBy(asc(activityEvents.id));
    expect(events.map((e) => ({ action: e.action, category: e.category, actorId: e.actorId, details: e.details }))).toEqual([
      { action: 'company.two_factor_required', category: 'company', actorId: owner.id, details: { before: { requireTwoFactor: false }, after: { requireTwoFactor: true } } },
      { action: 'company.two_factor_not_required', category: 'company', actorId: owner.id, details: { before: { requireTwoFactor: true }, after: { requireTwoFactor: false } } },
    ]);
  });

  // ADR 0100: routes that act on such a Company from elsewhere apply the policy too.
  it('moving an App into such a Company needs two-factor, even when the App\'s own Company does not require it', async () => {
    const { addMember, bookApp } = await import('../../harness/factories.js');
    const { user: strict } = await enable(await signUpVerified(t));
    const to = await createCompany(t, strict);
    expect((await as(t, strict).patch(`/api/v1/companies/${to.id}`, { requireTwoFactor: true })).statusCode).toBe(200);
    const plain = await signUpVerified(t);
    const from = await createCompany(t, plain);
    const app = await bookApp(t, plain, from);
    await addMember(t, to.id, plain, 'owner');
    const body = { toCompanyId: to.id, billingContactId: to.contactId };
    const refused = await as(t, plain).post(`/api/v1/apps/${app}/transfer`, body);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().code).toBe('two_factor_required');
    expect((await as(t, plain).get(`/api/v1/apps/${app}`)).json().company.id).toBe(from.id);
    const { user: withCode } = await enable(plain);
    const moved = await as(t, withCode).post(`/api/v1/apps/${app}/transfer`, body);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().company.id).toBe(to.id);
  });

  it('a handed-over App is not taken over for such a Company by an owner without two-factor (one who turned it off after requiring it)', async () => {
    const { createTrial } = await import('../../harness/factories.js');
    const { inviteClient } = await import('../../harness/handover.js');
    const { user: client } = await enable(await signUpVerified(t, { accountType: 'client' }));
    const co = await createCompany(t, client);
    expect((await as(t, client).patch(`/api/v1/companies/${co.id}`, { requireTwoFactor: true })).statusCode).toBe(200);
    const off = await as(t, client).post('/api/auth/two-factor/disable', { password: STRONG_PASSWORD });
    expect(off.statusCode, off.body).toBe(200);
    const plainClient = { ...client, cookie: sessionCookie(off) || client.cookie };
    const dev = await signUpVerified(t);
    const app = await createTrial(t, dev);
    const { token } = await inviteClient(t, dev, app, client.email);
    const accept = { token, company: { id: co.id }, consent: true };
    const refused = await as(t, plainClient).post('/api/v1/invitations/accept', accept);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().code).toBe('two_factor_required');
    expect((await as(t, dev).get(`/api/v1/apps/${app}`)).json().status).toBe('trial');
    const { user: again } = await enable(plainClient);
    const taken = await as(t, again).post('/api/v1/invitations/accept', accept);
    expect(taken.statusCode, taken.body).toBe(200);
    expect(taken.json().company.id).toBe(co.id);
  });
});

describe('the two-factor tables match Better Auth 1.7.25\'s plugin schema', () => {
  it('every field the plugin declares has a column (the 1.4 CLI would generate an older table)', async () => {
    const { twoFactor } = await import('better-auth/plugins/two-factor');
    const { getTableColumns } = await import('drizzle-orm');
    const plugin = twoFactor() as unknown as { schema: { user: { fields: Record<string, unknown> }; twoFactor: { fields: Record<string, unknown> } } };
    const columns = Object.keys(getTableColumns(twoFactors));
    for (const field of Object.keys(plugin.schema.twoFactor.fields)) expect(columns, field).toContain(field);
    for (const field of Object.keys(plugin.schema.user.fields)) expect(Object.keys(getTableColumns(accounts)), field).toContain(field);
  });
});
