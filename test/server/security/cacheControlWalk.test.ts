import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_API } from '../../../src/server/http/security.js';
import { bookApp, createCompany } from '../../harness/factories.js';
import { as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * SPEC 5, issue 16: every answer that can carry Account, member or billing data says
 * `Cache-Control: no-store`. The routes come from the served OpenAPI document (plus the
 * hidden /api routes), so a new route is walked without anyone adding it here.
 */
const HIDDEN_API_ROUTES = [['get', '/api/dev/mailbox']];

describe('Cache-Control: no-store on every /api route (walked from the OpenAPI document)', () => {
  let t: TestApp;
  let owner: SignedIn;
  let routes: Array<[string, string]>;
  let values: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUpVerified(t);
    const co = await createCompany(t, owner);
    const app = await bookApp(t, owner, co);
    const doc = (await as(t, null).get('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    routes = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) if (path.startsWith('/api/')) routes.push([method, path]);
    }
    routes.push(...HIDDEN_API_ROUTES as Array<[string, string]>);
    values = { id: co.id, companyId: co.id, name: app, appName: app, contactId: co.contactId };
  });
  afterAll(async () => { await t?.close(); });

  const fill = (path: string, real: boolean) => path.replace(/\{(\w+)\}/g, (_m, key: string) => (real && values[key]) || 'nope');

  it('the document names the account-security routes (the walk is not empty)', () => {
    const paths = routes.map(([, p]) => p);
    for (const p of ['/api/v1/me', '/api/v1/me/sessions', '/api/v1/me/sign-in-history', '/api/v1/companies/{id}/members', '/api/v1/companies/{id}/invoices']) expect(paths).toContain(p);
    expect(routes.length).toBeGreaterThan(40);
  });

  it('every GET, signed in, with real ids: no-store', async () => {
    for (const [method, path] of routes.filter(([m]) => m === 'get')) {
      const url = fill(path, true);
      const res = await as(t, owner).get(url);
      expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
      expect(res.headers['cache-control'], `${method} ${url}`).toBe('no-store');
    }
  });

  it('every route without a session, and every change with unknown ids: no-store (public documents excepted)', async () => {
    for (const [method, path] of routes) {
      const url = fill(path, false);
      const res = await t.app.inject({ method: method.toUpperCase() as 'GET', url, headers: { origin: 'http://dashboard.test' }, ...(method === 'get' || method === 'delete' ? {} : { payload: {} }) });
      expect(res.statusCode, `${method} ${url}`).toBeLessThan(500);
      if (PUBLIC_API.has(url)) continue;
      expect(res.headers['cache-control'], `${method} ${url} (${res.statusCode})`).toBe('no-store');
    }
    // The footer's seller and terms links (issue 17) are public and the same for everyone.
    expect([...PUBLIC_API].sort()).toEqual(['/api/v1/openapi.json', '/api/v1/plans', '/api/v1/site']);
  });
});
