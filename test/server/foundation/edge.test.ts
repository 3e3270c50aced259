import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDuration } from '../../../src/server/config.js';
import { acquireDataDirLock, DataDirLockedError } from '../../../src/server/db/lock.js';
import { as, createTestApp, ORIGIN, signUpVerified, STRONG_PASSWORD, uniqueEmail, type TestApp } from '../../harness/testApp.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

describe('service endpoints', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await t.app.inject('/healthz')).statusCode).toBe(200);
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().status).toBe('ready');
  });

  it('serves an OpenAPI document listing the /api/v1 routes', async () => {
    const res = await t.app.inject('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/me', '/api/v1/me/ssh-keys', '/api/v1/me/ssh-keys/{id}', '/api/auth/sign-up/email']));
  });

  it('answers unknown API paths with a problem+json 404', async () => {
    const res = await t.app.inject('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('not_found');
  });
});

describe('security rules', () => {
  it('sends the security headers on every answer', async () => {
    for (const url of ['/api/v1/me', '/healthz', '/']) {
      const res = await t.app.inject(url);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
    }
    // Pages and answers that carry an invitation token send no Referer at all (SPEC 4.1.4, issue 10).
    const invite = await t.app.inject('/invite/some-token-value');
    expect(invite.statusCode).toBe(303);
    expect(invite.headers['referrer-policy']).toBe('no-referrer');
    const lookup = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/lookup', headers: { origin: ORIGIN }, payload: { token: 'some-token-value' } });
    expect(lookup.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses cookie-authenticated state changes without a matching Origin and changes nothing', async () => {
    const user = await signUpVerified(t, { firstName: 'Same', lastName: 'Origin' });
    for (const origin of [undefined, 'https://evil.example', 'http://dashboard.test.evil.example']) {
      const res = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: { cookie: user.cookie, ...(origin ? { origin } : {}) }, payload: { firstName: 'Hacked' } });
      expect(res.statusCode, String(origin)).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    expect((await as(t, user).get('/api/v1/me')).json().firstName).toBe('Same');
    const ok = await as(t, user).patch('/api/v1/me', { firstName: 'Changed' });
    expect(ok.statusCode).toBe(200);
  });

  it('changes no state by GET', async () => {
    const user = await signUpVerified(t);
    for (const url of ['/api/auth/sign-out', '/api/v1/me/ssh-keys/x']) {
      const res = await as(t, user).get(url);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
    }
    expect((await as(t, user).get('/api/v1/me')).statusCode).toBe(200);
  });

  it('never logs passwords, session cookies or tokens', async () => {
    const email = uniqueEmail();
    await t.app.inject({ method: 'POST', url: '/api/auth/sign-up/email', headers: { origin: ORIGIN }, payload: { email, password: STRONG_PASSWORD, name: 'Log Check' } });
    const user = await signUpVerified(t);
    await as(t, user).get('/api/v1/me');
    const all = t.logs.join('\n');
    expect(all).not.toContain(STRONG_PASSWORD);
    const sessionToken = user.cookie.split('=')[1].split('.')[0];
    expect(all).not.toContain(sessionToken);
    const leak = t.logs.find((l) => /verify-email\?token=(?!\[redacted\])/.test(l));
    expect(leak).toBeUndefined();
  });

  it('never shows a stack trace, even for an unexpected error', async () => {
    const other = await createTestApp({ database: t.database, configure: (app) => {
      app.get('/api/v1/__boom', async () => { throw new Error('secret internal detail'); });
    } });
    const res = await other.app.inject('/api/v1/__boom');
    await other.app.close();
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('internal');
    expect(res.body).not.toContain('secret internal detail');
    expect(res.body).not.toMatch(/\.ts:\d+/);
  });
});

describe('configuration', () => {
  it('parses durations and refuses bad values with a clear message', () => {
    expect(parseDuration('X', '90s')).toBe(90_000);
    expect(parseDuration('X', '15m')).toBe(900_000);
    expect(parseDuration('X', '72h')).toBe(259_200_000);
    expect(parseDuration('X', '7d')).toBe(604_800_000);
    for (const bad of ['72', '3w', '-1h', '0s', 'soon']) expect(() => parseDuration('TRIAL_PERIOD', bad)).toThrow(/TRIAL_PERIOD=.*is not a duration/);
  });

  it('validates the whole environment at start', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const base = { DATA_DIR: dir };
    const config = loadConfig(base);
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.clientInvitationTtlMs).toBe(72 * 3_600_000);
    expect(config.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig(base).authSecret).toBe(config.authSecret); // generated once into DATA_DIR
    expect(loadConfig({ ...base, PORT: '4000' }).publicUrl).toBe('http://localhost:4000');
    expect(() => loadConfig({ ...base, PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, PUBLIC_URL: 'ftp://x' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ ...base, DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ ...base, SMTP_URL: 'nope' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ ...base, PAYMENT_PROVIDER: 'paypal' })).toThrow(/PAYMENT_PROVIDER/);
    expect(() => loadConfig({ ...base, PAYMENT_PROVIDER: 'stripe' })).toThrow(/STRIPE_SECRET_KEY/);
    expect(() => loadConfig({ ...base, AUTH_SECRET: 'short' })).toThrow(/AUTH_SECRET/);
    expect(() => loadConfig({ ...base, CLIENT_INVITATION_TTL: '3 days' })).toThrow(/CLIENT_INVITATION_TTL/);
  });

  it('refuses a second process on the same embedded database directory', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lock-'));
    const lock = acquireDataDirLock(dir);
    // Our own pid is treated as a stale lock; a live other pid (our parent) is not.
    writeFileSync(path.join(dir, 'dashboard.lock'), String(process.ppid));
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    expect(() => acquireDataDirLock(dir)).toThrow(/in use by another process/);
    writeFileSync(path.join(dir, 'dashboard.lock'), '999999999');
    const taken = acquireDataDirLock(dir); // a dead process's lock is taken over
    taken.release();
    lock.release();
  });
});

describe('rate limits', () => {
  it('answers repeated sign-in attempts with 429 rate_limited (counters kept in the database)', async () => {
    const limited = await createTestApp({ rateLimit: true });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await limited.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers: { origin: ORIGIN }, payload: { email: 'nobody@example.com', password: 'wrong password wrong password' } });
        codes.push(res.statusCode);
        if (res.statusCode === 429) expect(res.json().code).toBe('rate_limited');
      }
      expect(codes.slice(0, 5).every((c) => c === 401)).toBe(true);
      expect(codes).toContain(429);
    } finally {
      await limited.close();
    }
  });
});

describe('long path parameters', () => {
  it('answer with a 400 problem, not a bare 414', async () => {
    const res = await t.app.inject(`/api/v1/apps/${'a'.repeat(300)}`);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('validation_failed');
  });
});

describe('cookies over HTTPS (SPEC section 5)', () => {
  it('are Secure, HttpOnly, SameSite and __Secure- prefixed when PUBLIC_URL is https', async () => {
    const secure = await createTestApp({ env: { PUBLIC_URL: 'https://dashboard.test' } });
    try {
      const email = uniqueEmail();
      await secure.app.inject({ method: 'POST', url: '/api/auth/sign-up/email', headers: { origin: 'https://dashboard.test' }, payload: { email, password: STRONG_PASSWORD, name: 'Secure Cookie' } });
      const { mailsTo, linkIn } = await import('../../harness/testApp.js');
      const [mail] = await mailsTo(secure.services.db, email, 'verify-email');
      const link = new URL(linkIn(mail.textBody));
      expect(link.origin).toBe('https://dashboard.test');
      const verified = await secure.app.inject({ method: 'GET', url: link.pathname + link.search });
      const cookie = String(verified.headers['set-cookie']);
      expect(cookie).toMatch(/__Secure-dashboard\.session_token=/);
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const me = await secure.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookie.split(';')[0] } });
      expect(me.statusCode).toBe(200);
    } finally {
      await secure.close();
    }
  });
});
