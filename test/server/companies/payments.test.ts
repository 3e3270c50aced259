import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, signUpVerified, type TestApp } from '../../harness/testApp.js';
import { cardToken, CARDS, createCompany } from '../../harness/factories.js';
import { luhnValid } from '../../../src/server/modules/payments/sandbox.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

const year = () => t.clock.now().getUTCFullYear();
const tokenize = (body: Record<string, unknown>) => as(t, null).post('/api/v1/payment-sandbox/tokens', body);

describe('payment sandbox tokens (issue 3)', () => {
  it('tokenizes a test card and returns only token, brand and last 4', async () => {
    const res = await tokenize({ number: '4242 4242 4242 4242', expMonth: 12, expYear: year() + 1, cvc: '123' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json()).sort()).toEqual(['brand', 'last4', 'token']);
    expect(res.json()).toMatchObject({ brand: 'visa', last4: '4242' });
    // The card number is stored nowhere.
    const rows = await t.services.db.execute(sql`SELECT * FROM sandbox_payment_tokens`);
    expect(JSON.stringify(rows.rows)).not.toContain('4242424242424242');
  });

  it('refuses bad numbers, expired dates and bad security codes with validation_failed', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ number: '4242424242424241', expMonth: 12, expYear: year() + 1, cvc: '123' }, 'number'],
      [{ number: 'abcd', expMonth: 12, expYear: year() + 1, cvc: '123' }, 'number'],
      [{ number: '4242424242424242', expMonth: 13, expYear: year() + 1, cvc: '123' }, 'expMonth'],
      [{ number: '4242424242424242', expMonth: 1, expYear: year() - 1, cvc: '123' }, 'expYear'],
      [{ number: '4242424242424242', expMonth: 12, expYear: year() + 1, cvc: '12' }, 'cvc'],
      [{ number: '4242424242424242', expMonth: 12, expYear: year() + 1, cvc: 'abc' }, 'cvc'],
    ];
    for (const [body, path] of cases) {
      const res = await tokenize(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('validation_failed');
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const unknown = await tokenize({ number: CARDS.ok, expMonth: 12, expYear: year() + 1, cvc: '123', name: 'x' });
    expect(unknown.statusCode).toBe(400);
    expect((await tokenize({})).statusCode).toBe(400);
  });

  it('declines the decline test cards when used, and allows a token to be used once (idempotent per key)', async () => {
    const ok = await cardToken(t);
    const first = await t.services.payments.authorize(ok, 'k1');
    expect(first).toMatchObject({ type: 'card', brand: 'visa', last4: '4242' });
    expect(first.reference).toMatch(/^pm_sandbox_/);
    expect(await t.services.payments.authorize(ok, 'k1')).toEqual(first);
    await expect(t.services.payments.authorize(ok, 'k2')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(t.services.payments.authorize('tok_nope', 'k1')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(t.services.payments.authorize(await cardToken(t, CARDS.declined), 'k3')).rejects.toMatchObject({ code: 'payment_declined' });
    await expect(t.services.payments.authorize(await cardToken(t, CARDS.insufficientFunds), 'k4'))
      .rejects.toMatchObject({ code: 'payment_declined', detail: expect.stringMatching(/insufficient funds/) });
    expect(await t.services.payments.describe(ok)).toEqual(first);
  });

  it('checks card numbers with Luhn', () => {
    expect(luhnValid('4242424242424242')).toBe(true);
    expect(luhnValid('4000000000000002')).toBe(true);
    expect(luhnValid('4000000000009995')).toBe(true);
    expect(luhnValid('4242424242424243')).toBe(false);
  });

  it('serves the plan catalogue with prices in EUR and USD cents and the trial sizes', async () => {
    const res = await as(t, null).get('/api/v1/plans');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.components.map((c: { id: string }) => c.id)).toEqual(['php', 'database', 'storage']);
    for (const c of body.components) {
      for (const s of c.sizes) {
        expect(Number.isInteger(s.monthlyPrice.EUR) && Number.isInteger(s.monthlyPrice.USD)).toBe(true);
      }
      expect(c.sizes.map((s: { id: string }) => s.id)).toContain(body.trial[c.id]);
    }
  });

  it('is reachable when signed in too', async () => {
    const user = await signUpVerified(t);
    expect((await as(t, user).post('/api/v1/payment-sandbox/tokens', { number: CARDS.ok, expMonth: 1, expYear: year() + 3, cvc: '999' })).statusCode).toBe(200);
  });
});

describe('the OpenAPI document', () => {
  /** Issue 3: the OpenAPI document describes every route of Plans, Companies, Apps and the payment sandbox. */
  it('documents every route of issue 3 with its success response', async () => {
    const doc = (await as(t, null).get('/api/v1/openapi.json')).json();
    const expected: [string, string, string][] = [
      ['get', '/api/v1/plans', '200'], ['post', '/api/v1/payment-sandbox/tokens', '200'],
      ['get', '/api/v1/companies', '200'], ['post', '/api/v1/companies', '201'], ['get', '/api/v1/companies/{id}', '200'],
      ['patch', '/api/v1/companies/{id}', '200'], ['delete', '/api/v1/companies/{id}', '204'], ['get', '/api/v1/companies/{id}/members', '200'],
      ['get', '/api/v1/companies/{id}/billing-contacts', '200'], ['post', '/api/v1/companies/{id}/billing-contacts', '201'],
      ['patch', '/api/v1/companies/{id}/billing-contacts/{contactId}', '200'], ['get', '/api/v1/companies/{id}/invoices', '200'],
      ['get', '/api/v1/companies/{id}/activity', '200'], ['get', '/api/v1/apps', '200'], ['post', '/api/v1/apps', '201'],
      ['get', '/api/v1/apps/{name}', '200'], ['patch', '/api/v1/apps/{name}', '200'], ['delete', '/api/v1/apps/{name}', '204'],
      ['put', '/api/v1/apps/{name}/plan', '200'], ['get', '/api/v1/apps/{name}/env', '200'], ['put', '/api/v1/apps/{name}/env', '200'],
    ];
    for (const [method, path, status] of expected) {
      expect(doc.paths[path]?.[method]?.responses?.[status], `${method} ${path} ${status}`).toBeDefined();
    }
    const app = doc.paths['/api/v1/apps/{name}'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(app.properties)).toEqual(expect.arrayContaining(['name', 'status', 'company', 'access', 'plan', 'monthlyPrice']));
  });

  it('answers DELETE with an empty 204', async () => {
    const owner = await signUpVerified(t);
    const company = await createCompany(t, owner);
    const res = await as(t, owner).delete(`/api/v1/companies/${company.id}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
  });
});
