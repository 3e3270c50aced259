import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { bookApp, createCompany, type CompanyFixture } from '../../harness/factories.js';

/**
 * Issue 3: bad input to any route of Companies, Apps, plans and the payment sandbox gets a
 * 4xx problem with a stable code, never a 500, and changes nothing.
 */
let t: TestApp;
let owner: SignedIn;
let company: CompanyFixture;
let app: string;
beforeAll(async () => {
  t = await createTestApp();
  owner = await signUpVerified(t);
  company = await createCompany(t, owner);
  app = await bookApp(t, owner, company);
});
afterAll(async () => { await t?.close(); });

const STABLE = new Set(['validation_failed', 'not_found', 'forbidden', 'payload_too_large', 'app_name_taken', 'trial_limit', 'payment_declined', 'conflict', 'app_is_trial']);

async function state() {
  const res = await t.services.db.execute(sql`
    SELECT (SELECT count(*) FROM companies WHERE deleted_at IS NULL)::int AS companies, (SELECT count(*) FROM apps WHERE status <> 'deleted')::int AS apps,
      (SELECT count(*) FROM billing_contacts)::int AS contacts, (SELECT count(*) FROM billing_periods)::int AS periods,
      (SELECT count(*) FROM memberships)::int AS memberships,
      (SELECT string_agg(name || ':' || notes || ':' || env::text || ':' || plan::text, ',' ORDER BY name) FROM apps) AS apps_state,
      (SELECT string_agg(name || block_transfers_out::text, ',') FROM companies) AS companies_state,
      (SELECT string_agg(name || invoice_email || coalesce(vat_number, ''), ',' ORDER BY id) FROM billing_contacts) AS contacts_state`);
  return res.rows[0];
}

type Route = { method: 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: () => string };
const ROUTES: Route[] = [
  { method: 'POST', url: () => '/api/v1/companies' },
  { method: 'PATCH', url: () => `/api/v1/companies/${company.id}` },
  { method: 'POST', url: () => `/api/v1/companies/${company.id}/billing-contacts` },
  { method: 'PATCH', url: () => `/api/v1/companies/${company.id}/billing-contacts/${company.contactId}` },
  { method: 'POST', url: () => '/api/v1/apps' },
  { method: 'PATCH', url: () => `/api/v1/apps/${app}` },
  { method: 'PUT', url: () => `/api/v1/apps/${app}/plan` },
  { method: 'PUT', url: () => `/api/v1/apps/${app}/env` },
  { method: 'POST', url: () => '/api/v1/payment-sandbox/tokens' },
];

function send(route: Route, payload: string) {
  return t.app.inject({ method: route.method, url: route.url(), headers: { origin: ORIGIN, cookie: owner.cookie, 'content-type': 'application/json' }, payload });
}

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): { code: string } }, label: string) {
  expect(res.statusCode, label).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, label).toBeLessThan(500);
  expect(String(res.headers['content-type']), label).toContain('application/problem+json');
  expect(STABLE.has(res.json().code), `${label}: ${res.json().code}`).toBe(true);
}

describe('bad input on every route', () => {
  it('answers malformed JSON, wrong shapes and unknown fields with 400 and changes nothing', async () => {
    const before = await state();
    for (const route of ROUTES) {
      for (const payload of ['{', '[]', 'null', '"text"', '42', '{"unknown":true}', JSON.stringify({ name: { nested: 1 } }), JSON.stringify({ vars: 'x', plan: [], notes: 5, number: 4242 })]) {
        const res = await send(route, payload);
        expectProblem(res, `${route.method} ${route.url()} ${payload}`);
        expect(res.statusCode).toBe(400);
      }
    }
    expect(await state()).toEqual(before);
  });

  it('answers bad path and query parameters with 4xx', async () => {
    const long = 'x'.repeat(300);
    // Path parameters longer than the router's limit (100) are refused by Fastify itself with 414.
    for (const url of [`/api/v1/companies/${long}`, `/api/v1/apps/${long}`]) {
      const res = await as(t, owner).get(url);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    }
    for (const url of [`/api/v1/companies/${company.id}/members?limit=abc`,
      `/api/v1/companies/${company.id}/activity?cursor=-1`, `/api/v1/apps?limit=-5`, `/api/v1/companies?cursor=${long}${long}`,
      `/api/v1/companies/${company.id}/members?role=owner`, `/api/v1/apps/${encodeURIComponent('<script>')}`]) {
      const res = await as(t, owner).get(url);
      expectProblem(res, url);
    }
    const del = await as(t, owner).delete(`/api/v1/companies/${company.id}?confirm=${long}`);
    expectProblem(del, 'delete with a long confirm');
    expect((await as(t, owner).get(`/api/v1/companies/${company.id}`)).statusCode).toBe(200);
  });

  it('never answers random JSON bodies with a 500, and never changes anything with them', async () => {
    const before = await state();
    await fc.assert(fc.asyncProperty(fc.constantFrom(...ROUTES), fc.jsonValue({ maxDepth: 3 }), async (route, body) => {
      const res = await send(route, JSON.stringify(body));
      if (res.statusCode < 400) return; // a random body that happens to be valid (e.g. {} on PATCH) is fine
      expectProblem(res, `${route.method} ${route.url()} ${JSON.stringify(body).slice(0, 200)}`);
    }), { numRuns: 150 });
    expect(await state()).toEqual(before);
  });
});

/** Issue 17, ADR 0090: field problems say why with a stable reason, which the web words in the page's language. */
describe('field problems carry a reason', () => {
  it('an empty city, a too long name, a malformed invoice e-mail and a wrong VAT number', async () => {
    const res = await as(t, owner).post('/api/v1/companies', {
      name: 'Reasons', paymentMethod: { token: 'tok_x' },
      billingContact: { name: 'x'.repeat(201), address: { line1: 'Hauptstraße 1', postalCode: '10115', city: '', country: 'DE' }, invoiceEmail: 'not an address', currency: 'EUR' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'billingContact.address.city', reason: 'required' }),
      expect.objectContaining({ path: 'billingContact.name', reason: 'too_long' }),
      expect.objectContaining({ path: 'billingContact.invoiceEmail', reason: 'email_invalid' }),
    ]));
    const vat = await as(t, owner).post('/api/v1/companies', {
      name: 'Reasons', paymentMethod: { token: 'tok_x' },
      billingContact: { name: 'Bakery', address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' }, vatNumber: 'DE123456789', invoiceEmail: 'a@b.example', currency: 'EUR' },
    });
    expect(vat.statusCode).toBe(400);
    expect(vat.json().errors).toEqual([expect.objectContaining({ path: 'billingContact.vatNumber', reason: 'vat_check_digit' })]);
  });
});
