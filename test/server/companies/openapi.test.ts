import { afterAll, beforeAll, expect, it } from 'vitest';
import { as, createTestApp, signUpVerified, type TestApp } from '../../harness/testApp.js';
import { createCompany } from '../../harness/factories.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

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
