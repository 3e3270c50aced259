import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP } from '../../../src/server/http/security.js';
import { createTestApp, ORIGIN, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * http/security.ts, rule by rule (issue 10: under mutation testing): the headers on every
 * answer, HSTS only over HTTPS, the Origin rule of SPEC section 5 exactly where it applies,
 * and `Cache-Control: no-store` on every /api answer but the public documents.
 */
let t: TestApp;
let user: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  user = await signUpVerified(t, { firstName: 'Head', lastName: 'Ers' });
});
afterAll(async () => { await t?.close(); });

describe('security headers', () => {
  it('are the same on a page, an API answer and a 404', async () => {
    for (const url of ['/', '/api/v1/plans', '/api/v1/no-such-thing', '/no-such-page']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['content-security-policy'], url).toBe(CSP);
      expect(res.headers['referrer-policy'], url).toBe('same-origin');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['cross-origin-opener-policy'], url).toBe('same-origin');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
    expect(CSP).toContain("frame-ancestors 'none'");
    expect(CSP).toContain("object-src 'none'");
  });

  it('add Strict-Transport-Security when PUBLIC_URL is https', async () => {
    const secure = await createTestApp({ env: { PUBLIC_URL: 'https://dashboard.test' } });
    try {
      const res = await secure.app.inject({ method: 'GET', url: '/api/v1/plans' });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    } finally {
      await secure.close();
    }
  });
});

describe('the Origin rule (SPEC section 5)', () => {
  const change = (headers: Record<string, string>) => t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers, payload: { firstName: 'Head' } });

  it('refuses a cookie-authenticated change without our Origin, with problem+json', async () => {
    for (const origin of [undefined, 'https://evil.example', `${ORIGIN}.evil.example`, ORIGIN.replace('http:', 'https:')]) {
      const res = await change({ cookie: user.cookie, ...(origin ? { origin } : {}) });
      expect(res.statusCode, String(origin)).toBe(403);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().code).toBe('forbidden');
      expect(res.json().detail).toMatch(/cross-site/);
    }
  });

  it('lets our own Origin through', async () => {
    expect((await change({ cookie: user.cookie, origin: ORIGIN })).statusCode).toBe(200);
  });

  it('does not apply to reads, to requests without a cookie, or outside /api', async () => {
    const read = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: user.cookie, origin: 'https://evil.example' } });
    expect(read.statusCode).toBe(200);
    const head = await t.app.inject({ method: 'HEAD', url: '/api/v1/me', headers: { cookie: user.cookie, origin: 'https://evil.example' } });
    expect(head.statusCode).toBe(200);
    // Without a cookie nobody is signed in: the route's own answer (401), not the Origin rule's 403.
    const anonymous = await change({ origin: 'https://evil.example' });
    expect(anonymous.statusCode).toBe(401);
    const page = await t.app.inject({ method: 'POST', url: '/not-an-api-path', headers: { cookie: user.cookie, origin: 'https://evil.example' } });
    expect(page.statusCode).not.toBe(403);
  });
});

describe('Cache-Control on /api answers', () => {
  it('is no-store on personal answers, signed in or not', async () => {
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: user.cookie } });
    expect(me.headers['cache-control']).toBe('no-store');
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['cache-control']).toBe('no-store');
  });

  it('is not set on the public documents for anonymous callers, with or without a query', async () => {
    for (const url of ['/api/v1/plans', '/api/v1/plans?currency=EUR', '/api/v1/openapi.json']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).not.toBe('no-store');
    }
  });

  it('is no-store on the public documents too when the caller sends a cookie or an Authorization header', async () => {
    const withCookie = await t.app.inject({ method: 'GET', url: '/api/v1/plans', headers: { cookie: user.cookie } });
    expect(withCookie.headers['cache-control']).toBe('no-store');
    const withAuth = await t.app.inject({ method: 'GET', url: '/api/v1/plans', headers: { authorization: 'Bearer x' } });
    expect(withAuth.headers['cache-control']).toBe('no-store');
  });

  it('is not set outside /api', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['cache-control']).not.toBe('no-store');
  });
});
