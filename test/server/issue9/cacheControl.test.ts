import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookApp, createCompany } from '../../harness/factories.js';
import { as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

// Issue 9, defect 12 (SPEC 5): answers with personal or billing data are never cached.
describe('issue 9: Cache-Control: no-store on every authenticated /api answer', () => {
  let t: TestApp;
  let owner: SignedIn;
  let urls: string[];
  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUpVerified(t);
    const co = await createCompany(t, owner);
    const app = await bookApp(t, owner, co);
    urls = [
      '/api/v1/me', '/api/v1/me/ssh-keys', '/api/auth/get-session', '/api/v1/companies', `/api/v1/companies/${co.id}`,
      `/api/v1/companies/${co.id}/members`, `/api/v1/companies/${co.id}/billing-contacts`, `/api/v1/companies/${co.id}/invoices`,
      `/api/v1/companies/${co.id}/activity`, `/api/v1/companies/${co.id}/invitations`, '/api/v1/apps', `/api/v1/apps/${app}`,
      `/api/v1/apps/${app}/env`, `/api/v1/apps/${app}/client-invitations`, '/api/v1/companies/nope', '/api/v1/nothing-here',
    ];
  });
  afterAll(async () => { await t?.close(); });

  it('every read of a signed-in person, found or not', async () => {
    for (const url of urls) {
      const res = await as(t, owner).get(url);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('writes and errors too', async () => {
    const res = await as(t, owner).patch('/api/v1/me', { firstName: 'Nora' });
    expect(res.headers['cache-control']).toBe('no-store');
    const bad = await as(t, owner).patch('/api/v1/me', { firstName: 'a\u0000' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['cache-control']).toBe('no-store');
  });

  it('the session endpoint even without a session', async () => {
    const res = await as(t, null).get('/api/auth/get-session');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
