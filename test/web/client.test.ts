import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, isApiError, setSessionEndedHandler } from '../../src/web/api/client';
import { account, apps, auth, companies } from '../../src/web/api/endpoints';

function respond(status: number, body?: unknown, type = 'application/json') {
  return vi.fn(async (_request: Request) => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': type } }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  setSessionEndedHandler(null);
});

describe('api client (generated types, openapi-fetch)', () => {
  it('sends JSON with same-origin credentials and parses the answer', async () => {
    const fetch = respond(200, { id: 'a1' });
    vi.stubGlobal('fetch', fetch);
    await expect(account.update({ firstName: 'Dana' })).resolves.toEqual({ id: 'a1' });
    const request = fetch.mock.calls[0][0];
    expect(new URL(request.url).pathname).toBe('/api/v1/me');
    expect(request.method).toBe('PATCH');
    expect(request.credentials).toBe('same-origin');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(await request.text()).toBe(JSON.stringify({ firstName: 'Dana' }));
  });

  it('fills path parameters and query strings from the typed arguments', async () => {
    const fetch = respond(200, { items: [] });
    vi.stubGlobal('fetch', fetch);
    await apps.get('bakery shop');
    await companies.activity('c/1', 'next page');
    expect(new URL(fetch.mock.calls[0][0].url).pathname).toBe('/api/v1/apps/bakery%20shop');
    const url = new URL(fetch.mock.calls[1][0].url);
    expect(url.pathname).toBe('/api/v1/companies/c%2F1/activity');
    expect(url.searchParams.get('cursor')).toBe('next page');
  });

  it('returns nothing for 204', async () => {
    vi.stubGlobal('fetch', respond(204));
    await expect(account.deleteSshKey('k1')).resolves.toBeUndefined();
  });

  it('throws a typed ApiError from problem+json, with field errors', async () => {
    vi.stubGlobal('fetch', respond(409, {
      type: 'about:blank#conflict', title: 'This conflicts', status: 409, code: 'conflict', detail: 'Already added.',
      errors: [{ path: 'publicKey', message: 'Already added.' }],
    }, 'application/problem+json'));
    const error = await account.addSshKey('t', 'k').catch((e: unknown) => e);
    expect(isApiError(error, 'conflict')).toBe(true);
    expect((error as ApiError).status).toBe(409);
    expect((error as ApiError).fieldError('publicKey')).toBe('Already added.');
  });

  it('turns a non-JSON failure and a network failure into plain messages', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>', { status: 502 })));
    const error = await apps.list().catch((e: unknown) => e) as ApiError;
    expect(error.code).toBe('internal');
    expect(error.detail).toMatch(/on our side/);
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('failed to fetch'); }));
    const offline = await apps.list().catch((e: unknown) => e) as ApiError;
    expect(offline).toBeInstanceOf(ApiError);
    expect(offline.code).toBe('network');
  });

  it('reports an ended session on 401 from our API, but not from sign-in itself', async () => {
    const ended = vi.fn();
    setSessionEndedHandler(ended);
    vi.stubGlobal('fetch', respond(401, { status: 401, code: 'unauthenticated', detail: 'Please sign in.' }));
    await companies.list().catch(() => undefined);
    expect(ended).toHaveBeenCalledTimes(1);
    await auth.signIn({ email: 'a@b.c', password: 'x' }).catch(() => undefined);
    await account.me().catch(() => undefined);
    expect(ended).toHaveBeenCalledTimes(1);
  });
});
