import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../../src/server/shared/ids.js';
import { as, createTestApp, linkIn, mailsTo, ORIGIN, signUpVerified, STRONG_PASSWORD, uniqueEmail, type TestApp } from '../../harness/testApp.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

const signUp = (payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/auth/sign-up/email', headers: { origin: ORIGIN }, payload });
const signIn = (email: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers: { origin: ORIGIN }, payload: { email, password } });
async function verify(email: string) {
  const [mail] = await mailsTo(t.services.db, email, 'verify-email');
  const link = new URL(linkIn(mail.textBody));
  expect((await t.app.inject({ method: 'GET', url: link.pathname + link.search })).statusCode).toBe(302);
}

describe('sign-up and verification', () => {
  it('creates an unverified developer Account, mails a link built from PUBLIC_URL, and signs in on verification', async () => {
    const email = uniqueEmail();
    const res = await signUp({ email, password: STRONG_PASSWORD, name: 'Ada Lovelace', firstName: 'Ada', lastName: 'Lovelace' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie'] ?? '').not.toContain('session_token=');
    const [mail] = await mailsTo(t.services.db, email, 'verify-email');
    expect(mail.subject).toMatch(/confirm/i);
    expect(mail.htmlBody).toContain('<a href="http://dashboard.test/api/auth/verify-email?token=');
    const link = new URL(linkIn(mail.textBody));
    expect(link.origin).toBe('http://dashboard.test');
    const verified = await t.app.inject({ method: 'GET', url: link.pathname + link.search });
    expect(verified.statusCode).toBe(302);
    const cookie = String(verified.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookie.split(';')[0] } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email, emailVerified: true, firstName: 'Ada', lastName: 'Lovelace', accountType: 'developer', newsletter: false });
  });

  it('refuses short, long and common passwords with validation_failed and creates nothing', async () => {
    for (const password of ['short', 'x'.repeat(129) + 'yz', 'passwordpassword', 'aaaaaaaaaaaaaaaaaaaa', 'qwertyuiopasdfghjkl']) {
      const email = uniqueEmail();
      const res = await signUp({ email, password, name: 'N N' });
      expect(res.statusCode, password).toBe(400);
      expect(res.json().code).toBe('validation_failed');
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(await mailsTo(t.services.db, email)).toHaveLength(0);
    }
  });

  it('accepts a 128-character password without truncating it: only the whole password signs in (issue 10)', async () => {
    const password = 'a long passphrase '.repeat(8).slice(0, 127) + 'Z';
    expect([...password]).toHaveLength(128);
    const email = uniqueEmail();
    expect((await signUp({ email, password, name: 'Long Pw' })).statusCode).toBe(200);
    await verify(email);
    expect((await signIn(email, password)).statusCode).toBe(200);
    // Every prefix a truncating hash would keep (bcrypt keeps 72 bytes), and the last character changed.
    for (const wrong of [password.slice(0, 20), password.slice(0, 64), password.slice(0, 72), password.slice(0, 127), password.slice(0, 127) + 'Y']) {
      const res = await signIn(email, wrong);
      expect(res.statusCode, `${wrong.length} characters`).toBe(401);
      expect(res.headers['set-cookie'] ?? '').not.toContain('session_token=');
    }
  });

  it('signs in only with the whole password, never with its first characters (issue 10)', async () => {
    const user = await signUpVerified(t);
    expect((await signIn(user.email, STRONG_PASSWORD)).statusCode).toBe(200);
    for (const n of [15, 20, STRONG_PASSWORD.length - 1]) expect((await signIn(user.email, STRONG_PASSWORD.slice(0, n))).statusCode, `${n}`).toBe(401);
    expect((await signIn(user.email, STRONG_PASSWORD.slice(0, 20) + 'x'.repeat(STRONG_PASSWORD.length - 20))).statusCode).toBe(401);
  });

  it('refuses a 14-character password and accepts a 15-character one (SPEC 5, issue 10)', async () => {
    const fourteen = 'plum tide oven';
    const fifteen = 'plum tide ovens';
    expect([...fourteen]).toHaveLength(14);
    expect([...fifteen]).toHaveLength(15);
    const refusedEmail = uniqueEmail();
    const refused = await signUp({ email: refusedEmail, password: fourteen, name: 'Short Pw' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('validation_failed');
    expect(await mailsTo(t.services.db, refusedEmail)).toHaveLength(0);
    const acceptedEmail = uniqueEmail();
    expect((await signUp({ email: acceptedEmail, password: fifteen, name: 'Exact Pw' })).statusCode).toBe(200);
    await verify(acceptedEmail);
    expect((await signIn(acceptedEmail, fifteen)).statusCode).toBe(200);
    // Characters, not UTF-16 units: 14 emoji are 28 units and still too short.
    const emoji = '🍞'.repeat(14);
    expect((await signUp({ email: uniqueEmail(), password: emoji, name: 'Emoji Pw' })).statusCode).toBe(400);
  });

  it('answers a sign-up for an existing e-mail exactly like a new one, and tells the owner by mail', async () => {
    const existing = await signUpVerified(t);
    const again = await signUp({ email: existing.email, password: STRONG_PASSWORD, name: 'Someone Else' });
    const fresh = await signUp({ email: uniqueEmail(), password: STRONG_PASSWORD, name: 'Someone Else' });
    expect(again.statusCode).toBe(fresh.statusCode);
    expect(Object.keys(again.json()).sort()).toEqual(Object.keys(fresh.json()).sort());
    expect(again.json().user.emailVerified).toBe(false);
    expect((await mailsTo(t.services.db, existing.email, 'sign-up-existing'))).toHaveLength(1);
  });

  it('compares e-mails case-insensitively after NFC normalisation', async () => {
    const local = 'mixed.' + Math.random().toString(36).slice(2, 7);
    const res = await signUp({ email: `${local.toUpperCase()}@Example.COM`, password: STRONG_PASSWORD, name: 'Mixed Case' });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.email).toBe(`${local}@example.com`);
    expect(normalizeEmail('Jose\u0301@Example.com')).toBe('jos\u00e9@example.com');
    // Look-alikes stay different: a Cyrillic "а" is not a Latin "a".
    expect(normalizeEmail('\u0430lice@example.com')).not.toBe(normalizeEmail('alice@example.com'));
  });

  it('rejects unknown fields, malformed JSON and oversized bodies with stable codes', async () => {
    const unknown = await signUp({ email: uniqueEmail(), password: STRONG_PASSWORD, name: 'X Y', isAdmin: true });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('validation_failed');
    const malformed = await t.app.inject({ method: 'POST', url: '/api/auth/sign-up/email', headers: { origin: ORIGIN, 'content-type': 'application/json' }, payload: '{"email":' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('validation_failed');
    const big = await t.app.inject({ method: 'POST', url: '/api/auth/sign-up/email', headers: { origin: ORIGIN, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(110_000) }) });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('payload_too_large');
    expect(big.body).not.toMatch(/at .*\.ts/);
  });
});

describe('sign-in, sign-out and password reset', () => {
  it('signs in and out; unverified Accounts cannot sign in', async () => {
    const user = await signUpVerified(t);
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers: { origin: ORIGIN }, payload: { email: user.email, password: 'wrong password wrong password' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('unauthenticated');
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers: { origin: ORIGIN }, payload: { email: uniqueEmail(), password: 'wrong password wrong password' } });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().detail).toBe(bad.json().detail);
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers: { origin: ORIGIN }, payload: { email: user.email, password: STRONG_PASSWORD } });
    expect(ok.statusCode).toBe(200);
    const cookie = String(ok.headers['set-cookie']).split(';')[0];
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { origin: ORIGIN, cookie } });
    expect(out.statusCode).toBe(200);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('unauthenticated');

    const email = uniqueEmail();
    await signUp({ email, password: STRONG_PASSWORD, name: 'Not Verified' });
    const unverified = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers: { origin: ORIGIN }, payload: { email, password: STRONG_PASSWORD } });
    expect(unverified.statusCode).toBe(403);
    expect(unverified.json().code).toBe('email_not_verified');
  });

  it('resets a forgotten password through the mailed link; the answer does not reveal whether the Account exists', async () => {
    const user = await signUpVerified(t);
    const known = await t.app.inject({ method: 'POST', url: '/api/auth/request-password-reset', headers: { origin: ORIGIN, host: 'evil.example', 'x-forwarded-host': 'evil.example' }, payload: { email: user.email, redirectTo: 'https://evil.example/steal' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/request-password-reset', headers: { origin: ORIGIN }, payload: { email: uniqueEmail(), redirectTo: '/reset-password' } });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    expect(known.body).toBe(unknown.body);
    const [mail] = await mailsTo(t.services.db, user.email, 'reset-password');
    const link = new URL(linkIn(mail.textBody));
    expect(link.origin).toBe('http://dashboard.test');
    expect(mail.textBody).not.toContain('evil');
    const token = link.searchParams.get('token')!;
    const weak = await t.app.inject({ method: 'POST', url: '/api/auth/reset-password', headers: { origin: ORIGIN }, payload: { token, newPassword: 'passwordpassword' } });
    expect(weak.statusCode).toBe(400);
    const newPassword = 'a brand new passphrase for me';
    const reset = await t.app.inject({ method: 'POST', url: '/api/auth/reset-password', headers: { origin: ORIGIN }, payload: { token, newPassword } });
    expect(reset.statusCode).toBe(200);
    const reused = await t.app.inject({ method: 'POST', url: '/api/auth/reset-password', headers: { origin: ORIGIN }, payload: { token, newPassword: 'another new passphrase here' } });
    expect(reused.statusCode).toBe(400);
    // Old sessions are revoked; the new password works, the old one does not.
    expect((await as(t, user).get('/api/v1/me')).statusCode).toBe(401);
    const old = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers: { origin: ORIGIN }, payload: { email: user.email, password: STRONG_PASSWORD } });
    expect(old.statusCode).toBe(401);
    const fresh = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers: { origin: ORIGIN }, payload: { email: user.email, password: newPassword } });
    expect(fresh.statusCode).toBe(200);
  });
});
