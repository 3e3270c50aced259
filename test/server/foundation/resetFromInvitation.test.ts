import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetNext, resetRedirect, safeNextPath } from '../../../src/shared/nextPath.js';
import { createTestApp, linkIn, mailsTo, ORIGIN, signUpVerified, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 17: "Forgot your password?" during a handover. The reset mail started from the
 * invitation page brings the person back to it (`next`), and only to a path on this site.
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

async function resetLink(email: string, redirectTo?: string): Promise<URL> {
  const res = await t.app.inject({
    method: 'POST', url: '/api/auth/request-password-reset', headers: { origin: ORIGIN },
    payload: { email, ...(redirectTo === undefined ? {} : { redirectTo }) },
  });
  expect(res.statusCode, res.body).toBe(200);
  const [mail] = await mailsTo(t.services.db, email, 'reset-password');
  return new URL(linkIn(mail.textBody));
}

describe('the reset link returns to the invitation', () => {
  it('carries the invitation path from redirectTo, and the token still resets the password', async () => {
    const user = await signUpVerified(t);
    const link = await resetLink(user.email, `/reset-password?next=${encodeURIComponent('/invitation?step=account')}`);
    expect(link.origin + link.pathname).toBe('http://dashboard.test/reset-password');
    expect(link.searchParams.get('next')).toBe('/invitation?step=account');
    const reset = await t.app.inject({
      method: 'POST', url: '/api/auth/reset-password', headers: { origin: ORIGIN },
      payload: { token: link.searchParams.get('token'), newPassword: 'a brand new passphrase for me' },
    });
    expect(reset.statusCode, reset.body).toBe(200);
  });

  it('without a next the link is the plain reset page, as before', async () => {
    const user = await signUpVerified(t);
    const link = await resetLink(user.email);
    expect([...link.searchParams.keys()]).toEqual(['token']);
  });

  for (const [what, redirectTo] of [
    ['an absolute next', `/reset-password?next=${encodeURIComponent('https://evil.example/invitation')}`],
    ['a protocol-relative next', `/reset-password?next=${encodeURIComponent('//evil.example/invitation')}`],
    ['a backslash next', `/reset-password?next=${encodeURIComponent('/\\evil.example')}`],
    ['a javascript: next', `/reset-password?next=${encodeURIComponent('javascript:alert(1)')}`],
    ['an API next', `/reset-password?next=${encodeURIComponent('/api/v1/me')}`],
    ['a foreign redirectTo', 'https://evil.example/reset-password?next=/invitation'],
    ['another page as redirectTo', `/sign-in?next=${encodeURIComponent('/invitation')}`],
  ] as const) {
    it(`ignores ${what}: the mail still goes, to our reset page, without it`, async () => {
      const user = await signUpVerified(t);
      const link = await resetLink(user.email, redirectTo);
      expect(link.origin + link.pathname).toBe('http://dashboard.test/reset-password');
      expect(link.searchParams.get('next')).toBeNull();
      const [mail] = await mailsTo(t.services.db, user.email, 'reset-password');
      expect(mail.textBody).not.toContain('evil');
    });
  }
});

describe('safeNextPath', () => {
  it('keeps same-site paths with their query, drops fragments', () => {
    expect(safeNextPath('/invitation?step=account')).toBe('/invitation?step=account');
    expect(safeNextPath('/companies/c1?tab=billing#x')).toBe('/companies/c1?tab=billing');
    expect(safeNextPath('/a/../invitation')).toBe('/invitation');
  });

  it('refuses everything that could leave the site', () => {
    for (const bad of ['https://evil.example/', '//evil.example', '/\\evil.example', '\\\\evil.example', 'evil.example', 'javascript:alert(1)',
      '/\tevil', ' /invitation', '/api/v1/me', '/api', '', 'x'.repeat(10), `/${'a'.repeat(600)}`, null, undefined, 42]) {
      expect(safeNextPath(bad), String(bad)).toBeNull();
    }
  });

  it('a reset redirect keeps only a safe next', () => {
    expect(resetRedirect('/reset-password?next=%2Finvitation')).toBe('/reset-password?next=%2Finvitation');
    expect(resetRedirect('/reset-password?next=https%3A%2F%2Fevil.example')).toBe('/reset-password');
    expect(resetRedirect(undefined)).toBe('/reset-password');
    expect(resetNext('/reset-password/../sign-in?next=%2Finvitation')).toBeNull();
  });
});
