import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, isApiError } from '../../src/web/api/client';
import { apps, companies } from '../../src/web/api/endpoints';
import { setReauthPrompt } from '../../src/web/api/reauth';
import { security, twoFactor } from '../../src/web/api/security';
import { billing } from '../../src/web/pages/company/billingApi';

/**
 * Issue 16 (SPEC 4.10): a change answered 403 `reauthentication_required` opens the one
 * re-authentication prompt; once it is confirmed the very same request (method, path, body)
 * is sent again and its answer goes to the page, so nothing typed is lost. Cancelled: the
 * page gets the original refusal. Other 403s, reads and the re-authentication itself never
 * open the prompt.
 */
const STALE = { type: 'about:blank#reauthentication_required', title: 'Re-authentication required', status: 403, code: 'reauthentication_required', detail: 'Needs your password again.' };
const FORBIDDEN = { type: 'about:blank#forbidden', title: 'Forbidden', status: 403, code: 'forbidden', detail: 'Owners only.' };

const problem = (body: object) => new Response(JSON.stringify(body), { status: (body as { status: number }).status, headers: { 'content-type': 'application/problem+json' } });
const json = (status: number, body?: unknown) => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fetch that answers in turn; every request it saw, with its body as text. */
function answers(...replies: Response[]) {
  const seen: Array<{ method: string; path: string; body: string }> = [];
  const fetch = vi.fn(async (request: Request) => {
    seen.push({ method: request.method, path: new URL(request.url).pathname, body: await request.text() });
    const next = replies.shift();
    if (!next) throw new Error(`unexpected request ${request.method} ${request.url}`);
    return next;
  });
  vi.stubGlobal('fetch', fetch);
  return seen;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setReauthPrompt(null);
});

describe('re-authentication prompt and retry (web client)', () => {
  it('changing a card: the prompt opens, and after it is confirmed the same PATCH with the same body is sent again', async () => {
    const prompt = vi.fn(async () => true);
    setReauthPrompt(prompt);
    const seen = answers(problem(STALE), json(200, { id: 'bc1', name: 'Bakery' }));
    const body = { paymentMethod: { token: 'tok_sandbox_1' } };
    await expect(billing.changeCard('c1', 'bc1', 'tok_sandbox_1')).resolves.toEqual({ id: 'bc1', name: 'Bakery' });
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[1]).toEqual({ method: 'PATCH', path: '/api/v1/companies/c1/billing-contacts/bc1', body: JSON.stringify(body) });
  });

  it('moving an App, deleting a Company and turning two-step sign-in off go the same way', async () => {
    setReauthPrompt(async () => true);
    const seen = answers(problem(STALE), json(200, { name: 'shop' }), problem(STALE), json(204), problem(STALE), json(200, { status: true }));
    await apps.transfer('shop', { toCompanyId: 'c2', billingContactId: 'bc2' });
    await expect(companies.remove('c1', 'Bakery')).resolves.toBeUndefined();
    await twoFactor.disable('my long password here');
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/apps/shop/transfer', 'POST /api/v1/apps/shop/transfer',
      'DELETE /api/v1/companies/c1', 'DELETE /api/v1/companies/c1', 'POST /api/auth/two-factor/disable', 'POST /api/auth/two-factor/disable']);
    expect(seen[1].body).toBe(JSON.stringify({ toCompanyId: 'c2', billingContactId: 'bc2' }));
    expect(seen[5].body).toBe(JSON.stringify({ password: 'my long password here' }));
  });

  it('cancelled: the page gets the original refusal and nothing is sent again', async () => {
    const prompt = vi.fn(async () => false);
    setReauthPrompt(prompt);
    const seen = answers(problem(STALE));
    const error = await companies.remove('c1', 'Bakery').catch((e: unknown) => e);
    expect(isApiError(error, 'reauthentication_required')).toBe(true);
    expect((error as ApiError).status).toBe(403);
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(1);
  });

  it('another 403, a read, the re-authentication itself, and a page without a prompt: no prompt, no retry', async () => {
    const prompt = vi.fn(async () => true);
    setReauthPrompt(prompt);
    answers(problem(FORBIDDEN));
    expect(isApiError(await companies.remove('c1', 'Bakery').catch((e: unknown) => e), 'forbidden')).toBe(true);
    answers(problem(STALE));
    expect(isApiError(await companies.get('c1').catch((e: unknown) => e), 'reauthentication_required')).toBe(true);
    answers(problem(STALE));
    expect(isApiError(await security.reauthenticate({ password: 'x' }).catch((e: unknown) => e), 'reauthentication_required')).toBe(true);
    expect(prompt).not.toHaveBeenCalled();
    setReauthPrompt(null);
    const seen = answers(problem(STALE));
    expect(isApiError(await companies.remove('c1', 'Bakery').catch((e: unknown) => e), 'reauthentication_required')).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('a second refusal after confirming (the confirmation did not take) reaches the page, without a loop', async () => {
    const prompt = vi.fn(async () => true);
    setReauthPrompt(prompt);
    const seen = answers(problem(STALE), problem(STALE));
    expect(isApiError(await companies.remove('c1', 'Bakery').catch((e: unknown) => e), 'reauthentication_required')).toBe(true);
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(2);
  });
});
