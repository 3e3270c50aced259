import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, isApiError, setSessionEndedHandler } from '../../src/web/api/client';

function respond(status: number, body?: unknown, type = 'application/json') {
  return vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': type } }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  setSessionEndedHandler(null);
});

describe('api client', () => {
  it('sends JSON with same-origin credentials and parses the answer', async () => {
    const fetch = respond(200, { id: 'a1' });
    vi.stubGlobal('fetch', fetch);
    await expect(api.patch('/api/v1/me', { firstName: 'Dana' })).resolves.toEqual({ id: 'a1' });
    const [path, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(path).toBe('/api/v1/me');
    expect(init.method).toBe('PATCH');
    expect(init.credentials).toBe('same-origin');
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(init.body).toBe(JSON.stringify({ firstName: 'Dana' }));
  });

  it('returns nothing for 204', async () => {
    vi.stubGlobal('fetch', respond(204));
    await expect(api.delete('/api/v1/me/ssh-keys/k1')).resolves.toBeUndefined();
  });

  it('throws a typed ApiError from problem+json, with field errors', async () => {
    vi.stubGlobal('fetch', respond(409, {
      type: 'about:blank#conflict', title: 'This conflicts', status: 409, code: 'conflict', detail: 'Already added.',
      errors: [{ path: 'publicKey', message: 'Already added.' }],
    }, 'application/problem+json'));
    const error = await api.post('/api/v1/me/ssh-keys', { title: 't', publicKey: 'k' }).catch((e: unknown) => e);
    expect(isApiError(error, 'conflict')).toBe(true);
    expect((error as ApiError).status).toBe(409);
    expect((error as ApiError).fieldError('publicKey')).toBe('Already added.');
  });

  it('turns a non-JSON failure and a network failure into plain messages', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>', { status: 502 })));
    const error = await api.get('/api/v1/apps').catch((e: unknown) => e) as ApiError;
    expect(error.code).toBe('internal');
    expect(error.detail).toMatch(/on our side/);
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('failed to fetch'); }));
    const offline = await api.get('/api/v1/apps').catch((e: unknown) => e) as ApiError;
    expect(offline.code).toBe('network');
  });

  it('reports an ended session on 401 from our API, but not from sign-in itself', async () => {
    const ended = vi.fn();
    setSessionEndedHandler(ended);
    vi.stubGlobal('fetch', respond(401, { status: 401, code: 'unauthenticated', detail: 'Please sign in.' }));
    await api.get('/api/v1/companies').catch(() => undefined);
    expect(ended).toHaveBeenCalledTimes(1);
    await api.post('/api/auth/sign-in/email', { email: 'a@b.c', password: 'x' }).catch(() => undefined);
    expect(ended).toHaveBeenCalledTimes(1);
  });
});
