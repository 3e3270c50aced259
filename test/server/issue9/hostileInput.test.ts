import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, ORIGIN, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

// Issue 9, defects 7–9: one rule at the edge for every string of every operation of the
// served OpenAPI document; every answer under /api is problem+json with a code of API.md.
const API_CODES = new Set([
  'unauthenticated', 'forbidden', 'not_found', 'validation_failed', 'conflict', 'name_required', 'email_not_verified',
  'email_mismatch', 'invitation_invalid', 'invitation_pending_exists', 'last_owner', 'own_role', 'app_name_taken',
  'trial_limit', 'app_is_trial', 'transfers_blocked', 'payment_declined', 'reauthentication_required', 'rate_limited',
  'payload_too_large', 'two_factor_required', 'invoice_not_payable', 'app_suspended',
]);

interface JsonSchema {
  type?: string | string[]; properties?: Record<string, JsonSchema>; items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[];
}
interface Operation { parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }

/** Every path to a string in a JSON schema, as lists of keys (arrays get index 0, records the key "K"). */
function stringPaths(schema: JsonSchema | undefined, prefix: (string | number)[] = [], depth = 0): (string | number)[][] {
  if (!schema || depth > 8) return [];
  const out: (string | number)[][] = [];
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('string')) out.push(prefix);
  for (const [key, sub] of Object.entries(schema.properties ?? {})) out.push(...stringPaths(sub, [...prefix, key], depth + 1));
  if (schema.items) out.push(...stringPaths(schema.items, [...prefix, 0], depth + 1));
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    out.push(...stringPaths(schema.additionalProperties, [...prefix, 'K'], depth + 1));
  }
  for (const sub of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) out.push(...stringPaths(sub, prefix, depth + 1));
  return out;
}

function bodyWith(path: (string | number)[], value: string): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === 'number') return [bodyWith(rest, value)];
  return { [head]: bodyWith(rest, value) };
}

describe('issue 9: hostile input on every operation of the OpenAPI document', () => {
  let t: TestApp;
  let user: SignedIn;
  let operations: { method: string; path: string; op: Operation }[];

  beforeAll(async () => {
    t = await createTestApp();
    user = await signUpVerified(t);
    const doc = (await as(t, user).get('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, Operation>> };
    operations = Object.entries(doc.paths).filter(([path]) => path.startsWith('/api/')).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
  });
  afterAll(async () => { await t?.close(); });

  async function send(method: string, url: string, payload?: string) {
    return t.app.inject({
      method: method as 'GET', url, payload,
      headers: { origin: ORIGIN, cookie: user.cookie, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
    });
  }

  function expectProblem(res: Awaited<ReturnType<typeof send>>, what: string, status?: number) {
    expect(res.statusCode, `${what}: ${res.body}`).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(500);
    if (status) expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
    expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
    expect(API_CODES.has(res.json().code), `${what}: ${res.json().code}`).toBe(true);
  }

  const fill = (path: string, bad?: { name: string; value: string }) =>
    path.replace(/\{([^}]+)\}/g, (_m, name: string) => (bad && bad.name === name ? bad.value : 'x1'));

  it('the document lists the operations (sanity)', () => {
    expect(operations.length).toBeGreaterThan(30);
  });

  it('path parameters with NUL, a lone surrogate, bad escapes or 2,001 characters: 400 validation_failed problem', async () => {
    const badValues = ['%00', 'a%00b', 'a%01b', '%ED%A0%80', '%ZZ', '%'];
    let checked = 0;
    for (const { method, path } of operations) {
      for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
        for (const value of badValues) {
          const res = await send(method, fill(path, { name, value }), method === 'GET' || method === 'DELETE' ? undefined : '{}');
          expectProblem(res, `${method} ${path} ${name}=${value.slice(0, 12)}`, 400);
          expect(res.json().code).toBe('validation_failed');
          checked++;
        }
        // Over the router's 2,000 characters.
        for (const value of ['a'.repeat(2001), 'a'.repeat(5000)]) {
          const res = await send(method, fill(path, { name, value }));
          expectProblem(res, `${method} ${path} ${name} ${value.length} characters`, 400);
          expect(res.json().code).toBe('validation_failed');
        }
        // Long but under the router's limit: still a problem, never a 500.
        expectProblem(await send(method, fill(path, { name, value: 'b'.repeat(1999) })), `${method} ${path} long ${name}`);
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('query parameters (declared or not) with NUL or ill-formed Unicode: 400 validation_failed problem', async () => {
    for (const { method, path, op } of operations) {
      const names = [...(op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name), 'unknownParam'];
      for (const name of names) {
        for (const value of ['%00', 'a%1Fb', '%ED%A0%80', '%C3']) {
          const res = await send(method, `${fill(path)}?${name}=${value}`, method === 'GET' || method === 'DELETE' ? undefined : '{}');
          expectProblem(res, `${method} ${path}?${name}=${value}`, 400);
          expect(res.json().code).toBe('validation_failed');
        }
      }
    }
  });

  it('every string of every request body with NUL, another control character or a lone surrogate: 400 naming the field', async () => {
    let fields = 0;
    for (const { method, path, op } of operations) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      for (const keys of stringPaths(schema)) {
        if (keys.length === 0) continue;
        const field = keys.join('.');
        for (const bad of ['a\u0000b', 'a\u001bb', 'a\ud800b', 'b\udc00']) {
          const res = await send(method, fill(path), JSON.stringify(bodyWith(keys, bad)));
          expectProblem(res, `${method} ${path} ${field}`, 400);
          expect(res.json().code).toBe('validation_failed');
          expect(res.json().errors.map((e: { path: string }) => e.path), `${method} ${path} ${field}`).toContain(field);
        }
        fields++;
      }
      if (schema) {
        // Bytes that are not UTF-8 are refused, not stored as U+FFFD.
        const raw = Buffer.concat([Buffer.from('{"x":"a'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('b"}')]);
        const res = await t.app.inject({ method: method as 'POST', url: fill(path), payload: raw, headers: { origin: ORIGIN, cookie: user.cookie, 'content-type': 'application/json' } });
        expectProblem(res, `${method} ${path} raw bytes`, 400);
      }
    }
    expect(fields).toBeGreaterThan(40);
  });

  it('a field name with a control character is refused too', async () => {
    const res = await send('PATCH', '/api/v1/me', JSON.stringify({ 'first\u0000Name': 'x' }));
    expectProblem(res, 'key', 400);
  });

  it('free text keeps tab and line breaks; names do not', async () => {
    const tab = await send('PATCH', '/api/v1/me', JSON.stringify({ firstName: 'Ann\tMarie' }));
    expectProblem(tab, 'tab in a name', 400);
    const trial = await as(t, user).post('/api/v1/apps', { name: 'free-text-app', region: 'eu1', trial: true });
    expect(trial.statusCode).toBe(201);
    const notes = await as(t, user).patch('/api/v1/apps/free-text-app', { notes: 'line one\nline two\r\n\tindented' });
    expect(notes.statusCode, notes.body).toBe(200);
    expect(notes.json().notes).toBe('line one\nline two\r\n\tindented');
    const nul = await as(t, user).patch('/api/v1/apps/free-text-app', { notes: 'line one\u0000' });
    expectProblem(nul, 'NUL in notes', 400);
  });

  it('a lone surrogate in a Company rename is a 400, not a 500 (defect 8)', async () => {
    const res = await send('PATCH', '/api/v1/companies/anything', '{"name":"x\\ud800y"}');
    expectProblem(res, 'rename', 400);
    expect(res.json().errors[0]).toMatchObject({ path: 'name' });
  });
});
