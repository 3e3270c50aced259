import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseTrustProxy } from '../../../src/server/config.js';
import { createTestApp, ORIGIN, type TestApp } from '../../harness/testApp.js';

/** Issue 9, defects 10 and 11: the client address, throttling and the dev mailbox. */

// A different e-mail per attempt: these tests are about the per-address limit; the per-Account
// one (issue 16, test/server/security/throttle.test.ts) would otherwise answer first.
let attempt = 0;
const wrong = () => ({ email: `nobody${++attempt}@example.com`, password: 'wrong password wrong password' });
const rotating = (i: number) => `198.51.100.${i + 1}`;

async function signInAttempts(t: TestApp, count: number, xff: (i: number) => string | undefined) {
  const answers = [];
  for (let i = 0; i < count; i++) {
    const forwarded = xff(i);
    answers.push(await t.app.inject({
      method: 'POST', url: '/api/auth/sign-in/email', payload: wrong(),
      headers: { origin: ORIGIN, ...(forwarded ? { 'x-forwarded-for': forwarded } : {}) },
    }));
  }
  return answers;
}

describe('sign-in throttling counts per socket address without TRUST_PROXY (issue 9, defect 11)', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ rateLimit: true }); });
  afterAll(async () => { await t.close(); });

  it('15 wrong passwords with rotating X-Forwarded-For: the 11th is 429 with Retry-After and a wait in words', async () => {
    const answers = await signInAttempts(t, 15, rotating);
    expect(answers.map((a) => a.statusCode)).toEqual([...Array(10).fill(401), ...Array(5).fill(429)]);
    const limited = answers[10];
    const wait = Number(limited.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(limited.json()).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(limited.json().detail).toMatch(/Please wait (\d+ seconds?|1 minute) and try again/);
  });

  it('sign-up and password reset use the same address: rotating X-Forwarded-For does not reset them', async () => {
    const signUps = [];
    for (let i = 0; i < 12; i++) {
      signUps.push((await t.app.inject({
        method: 'POST', url: '/api/auth/sign-up/email', headers: { origin: ORIGIN, 'x-forwarded-for': rotating(i) },
        payload: { email: `rotating${i}@example.com`, password: 'correct horse battery staple 42', name: 'Rotating Person' },
      })).statusCode);
    }
    expect(signUps.slice(0, 10).every((c) => c === 200)).toBe(true);
    expect(signUps.slice(10)).toEqual([429, 429]);
    const resets = [];
    for (let i = 0; i < 7; i++) {
      const res = await t.app.inject({
        method: 'POST', url: '/api/auth/request-password-reset', headers: { origin: ORIGIN, 'x-forwarded-for': rotating(i) },
        payload: { email: 'someone@example.com' },
      });
      resets.push(res.statusCode);
      if (res.statusCode === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(resets).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });
});

describe('with TRUST_PROXY=loopback the proxy names the client', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ rateLimit: true, env: { TRUST_PROXY: 'loopback' } }); });
  afterAll(async () => { await t.close(); });

  it('each forwarded client has its own counter, and one client is still limited at the 11th attempt', async () => {
    expect((await signInAttempts(t, 12, rotating)).every((a) => a.statusCode === 401)).toBe(true);
    const same = await signInAttempts(t, 11, () => '203.0.113.9');
    expect(same.map((a) => a.statusCode).slice(9)).toEqual([401, 429]);
  });
});

describe('TRUST_PROXY values', () => {
  it('accepts loopback, CIDR lists and hop counts, and refuses anything else naming the variable', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('loopback')).toEqual(['loopback']);
    expect(parseTrustProxy('10.0.0.0/8, 192.168.1.5,::1')).toEqual(['10.0.0.0/8', '192.168.1.5', '::1']);
    expect(parseTrustProxy('2')).toBe(2);
    for (const bad of ['yes', 'true', '10.0.0.0/33', '0', 'loopback,nope', '300.1.1.1']) {
      expect(() => parseTrustProxy(bad), bad).toThrow(/TRUST_PROXY/);
    }
  });
});

describe('the dev mailbox (issue 9, defect 10)', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it('answers requests from this machine', async () => {
    for (const url of ['/dev/mailbox', '/api/dev/mailbox']) {
      expect((await t.app.inject({ url, remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
      expect((await t.app.inject({ url, remoteAddress: '::1' })).statusCode).toBe(200);
    }
  });

  it('refuses other addresses, and requests that came through a proxy, without listing any mail', async () => {
    for (const url of ['/dev/mailbox', '/api/dev/mailbox']) {
      const remote = await t.app.inject({ url, remoteAddress: '203.0.113.5' });
      expect(remote.statusCode).toBe(403);
      expect(remote.json().code).toBe('forbidden');
      const proxied = await t.app.inject({ url, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.5' } });
      expect(proxied.statusCode).toBe(403);
    }
  });

  it('is refused as a configuration: NODE_ENV=production without SMTP_URL does not start', () => {
    const base = { AUTH_SECRET: 'x'.repeat(40), DATA_DIR: '/nonexistent-data-dir' };
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(/NODE_ENV=production needs SMTP_URL/);
    expect(loadConfig({ ...base, NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:2525' }).production).toBe(true);
  });

  it('is not served at all with SMTP_URL', async () => {
    const withSmtp = await createTestApp({ env: { SMTP_URL: 'smtp://127.0.0.1:9' } });
    try {
      expect((await withSmtp.app.inject({ url: '/api/dev/mailbox' })).statusCode).toBe(404);
    } finally {
      await withSmtp.close();
    }
  });
});
