import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_FILE, typesFromDocument } from '../../scripts/api-types';
import { createTestApp, type TestApp } from '../harness/testApp';

// Issue 11: the web's types come from the served OpenAPI document, and the committed file
// must be what the current server produces. On failure: run `npm run api:types` and commit.
describe('generated API types', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it('src/web/api/schema.d.ts matches the OpenAPI document of the current server', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const current = await typesFromDocument(res.json());
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed === current, 'src/web/api/schema.d.ts is out of date: run `npm run api:types` and commit it').toBe(true);
  });

  it('covers the routes the web calls, with typed answers', () => {
    const text = readFileSync(SCHEMA_FILE, 'utf8');
    for (const route of ['/api/v1/me', '/api/v1/apps/{name}', '/api/v1/companies/{id}/members', '/api/v1/invitations/lookup']) {
      expect(text).toContain(`"${route}": {`);
    }
    expect(text).not.toMatch(/"\/api\/v1\/invitations\/lookup": \{[^]*?200: \{\s*headers: \{[^}]*\};\s*content\?: never;[^]*?"\/api\/v1\/invitations\/request-new"/);
  });
});
