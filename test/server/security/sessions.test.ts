import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueMail } from '../../../src/server/jobs/deliverMail.js';
import { deviceLabel } from '../../../src/server/modules/accounts/userAgent.js';
import { startTestSmtp, type TestSmtp } from '../../harness/smtp.js';
import { as, cookiesOf, createTestApp, linkIn, mailsTo, ORIGIN, signUpVerified, STRONG_PASSWORD, type SignedIn, type TestApp } from '../../harness/testApp.js';

/** SPEC 4.10, issue 16: sessions, sign-in history and the new-device mail. */

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let t: TestApp;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await createTestApp({ env: { SMTP_URL: smtp.url, TRUST_PROXY: 'loopback' } });
});
afterAll(async () => { await t?.close(); await smtp?.close(); });

const deliver = () => deliverDueMail(t.services.db, t.services.mail, t.clock, t.services.log);

async function signIn(email: string, password: string, userAgent: string, ip: string) {
  return t.app.inject({
    method: 'POST', url: '/api/auth/sign-in/email', payload: { email, password },
    headers: { origin: ORIGIN, 'user-agent': userAgent, 'x-forwarded-for': ip },
  });
}
async function signedIn(user: SignedIn, userAgent: string, ip: string): Promise<SignedIn> {
  const res = await signIn(user.email, STRONG_PASSWORD, userAgent, ip);
  expect(res.statusCode).toBe(200);
  return { ...user, cookie: cookiesOf(res).split('; ').filter((c) => c.includes('session_token=')).join('; ') };
}

describe('device labels', () => {
  it('names browser and system in plain words', () => {
    expect(deviceLabel(FIREFOX_WINDOWS)).toBe('Firefox on Windows');
    expect(deviceLabel(SAFARI_IPHONE)).toBe('Safari on iOS');
    expect(deviceLabel(CHROME_LINUX)).toBe('Chrome on Linux');
    expect(deviceLabel('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0')).toBe('Edge on Windows');
    expect(deviceLabel(null)).toBe('Unknown browser');
  });
});

describe('sessions', () => {
  it('lists the sessions with browser, address and last seen, never a token; ends one, and all others', async () => {
    const user = await signUpVerified(t);
    const laptop = await signedIn(user, FIREFOX_WINDOWS, '203.0.113.10');
    const phone = await signedIn(user, SAFARI_IPHONE, '203.0.113.20');
    const list = await as(t, laptop).get('/api/v1/me/sessions');
    expect(list.statusCode).toBe(200);
    expect(list.headers['cache-control']).toBe('no-store');
    const items = list.json().items as Array<Record<string, unknown>>;
    expect(items).toHaveLength(3); // the verification link's session too
    expect(items[0]).toMatchObject({ current: true, device: 'Firefox on Windows', ip: '203.0.113.10', userAgent: FIREFOX_WINDOWS });
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(items.map((s) => s.device)).toContain('Safari on iOS');
    for (const s of items) {
      expect(Object.keys(s).sort()).toEqual(['createdAt', 'current', 'device', 'id', 'ip', 'lastSeenAt', 'userAgent']);
      expect(Date.parse(String(s.lastSeenAt))).not.toBeNaN();
    }
    expect(list.body).not.toMatch(/token/i);
    const phoneId = items.find((s) => s.device === 'Safari on iOS')!.id as string;

    // Another person cannot end it (404, nothing changes); the owner can.
    const stranger = await signUpVerified(t);
    expect((await as(t, stranger).delete(`/api/v1/me/sessions/${phoneId}`)).statusCode).toBe(404);
    expect((await as(t, phone).get('/api/v1/me')).statusCode).toBe(200);
    expect((await as(t, laptop).delete(`/api/v1/me/sessions/${phoneId}`)).statusCode).toBe(204);
    expect((await as(t, phone).get('/api/v1/me')).statusCode).toBe(401);

    const tablet = await signedIn(user, CHROME_LINUX, '203.0.113.30');
    expect((await as(t, laptop).post('/api/v1/me/sessions/revoke-others')).statusCode).toBe(204);
    expect((await as(t, tablet).get('/api/v1/me')).statusCode).toBe(401);
    expect((await as(t, user).get('/api/v1/me')).statusCode).toBe(401);
    expect((await as(t, laptop).get('/api/v1/me')).statusCode).toBe(200);
    expect((await as(t, laptop).get('/api/v1/me/sessions')).json().items).toHaveLength(1);
    expect((await as(t, null).get('/api/v1/me/sessions')).statusCode).toBe(401);
  });

  it('last seen moves with use, at most every 5 minutes', async () => {
    const user = await signUpVerified(t);
    const laptop = await signedIn(user, FIREFOX_WINDOWS, '203.0.113.11');
    try {
      const before = (await as(t, laptop).get('/api/v1/me/sessions')).json().items[0].lastSeenAt as string;
      t.clock.advance(2 * 60_000);
      expect((await as(t, laptop).get('/api/v1/me/sessions')).json().items[0].lastSeenAt).toBe(before);
      t.clock.advance(4 * 60_000);
      await as(t, laptop).get('/api/v1/me');
      const after = (await as(t, laptop).get('/api/v1/me/sessions')).json().items[0].lastSeenAt as string;
      expect(Date.parse(after) - Date.parse(before)).toBe(6 * 60_000);
    } finally { t.clock.reset(); }
  });

  it('a password change ends every other session and keeps the person signed in', async () => {
    const user = await signUpVerified(t);
    const laptop = await signedIn(user, FIREFOX_WINDOWS, '203.0.113.12');
    const phone = await signedIn(user, SAFARI_IPHONE, '203.0.113.22');
    const res = await t.app.inject({
      method: 'POST', url: '/api/auth/change-password', headers: { origin: ORIGIN, cookie: laptop.cookie },
      payload: { currentPassword: STRONG_PASSWORD, newPassword: 'another long passphrase here', revokeOtherSessions: false },
    });
    expect(res.statusCode).toBe(200);
    const renewed = { ...user, cookie: cookiesOf(res).split('; ').filter((c) => c.includes('session_token=')).join('; ') };
    expect((await as(t, renewed).get('/api/v1/me')).statusCode).toBe(200);
    expect((await as(t, phone).get('/api/v1/me')).statusCode).toBe(401);
    expect((await as(t, user).get('/api/v1/me')).statusCode).toBe(401);
    expect((await as(t, renewed).get('/api/v1/me/sessions')).json().items).toHaveLength(1);
  });

  it('a password reset ends every session', async () => {
    const user = await signUpVerified(t);
    const laptop = await signedIn(user, FIREFOX_WINDOWS, '203.0.113.13');
    await t.app.inject({ method: 'POST', url: '/api/auth/request-password-reset', headers: { origin: ORIGIN }, payload: { email: user.email } });
    const [mail] = await mailsTo(t.services.db, user.email, 'reset-password');
    const token = new URL(linkIn(mail.textBody)).searchParams.get('token')!;
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/reset-password', headers: { origin: ORIGIN }, payload: { token, newPassword: 'reset to this long passphrase' } })).statusCode).toBe(200);
    expect((await as(t, laptop).get('/api/v1/me')).statusCode).toBe(401);
    expect((await as(t, user).get('/api/v1/me')).statusCode).toBe(401);
  });
});

describe('sign-in history and the new-device mail', () => {
  it('records successes and failures with time, address and browser; mails once for a new browser, over SMTP', async () => {
    const user = await signUpVerified(t);
    await deliver();
    const mailsBefore = smtp.received.length;
    // The verification link's session (light-my-request's own User-Agent) is the only known browser.
    expect(deviceLabel((await as(t, user).get('/api/v1/me/sessions')).json().items[0].userAgent)).toBe('Unknown browser');
    await signIn(user.email, 'not my password at all', FIREFOX_WINDOWS, '203.0.113.50');
    const first = await signedIn(user, FIREFOX_WINDOWS, '203.0.113.51');
    await deliver();
    const firstMails = smtp.received.slice(mailsBefore).filter((m) => m.to && JSON.stringify(m.to).includes(user.email));
    expect(firstMails).toHaveLength(1);
    expect(firstMails[0]?.subject).toBe('New sign-in to your Dashboard account');
    expect(firstMails[0]?.text).toContain('Firefox on Windows, from the address 203.0.113.51');
    expect(firstMails[0]?.text).toContain('http://dashboard.test/profile/security');

    // The same browser again: no mail. A new one: a mail.
    await signedIn(user, FIREFOX_WINDOWS, '203.0.113.52');
    await signedIn(user, SAFARI_IPHONE, '203.0.113.53');
    await deliver();
    const all = smtp.received.slice(mailsBefore).filter((m) => JSON.stringify(m.to).includes(user.email));
    expect(all.map((m) => m.subject)).toEqual(['New sign-in to your Dashboard account', 'New sign-in to your Dashboard account']);
    expect(all[1].text).toContain('Safari on iOS');

    const history = await as(t, first).get('/api/v1/me/sign-in-history');
    expect(history.statusCode).toBe(200);
    expect(history.headers['cache-control']).toBe('no-store');
    const items = history.json().items as Array<Record<string, unknown>>;
    expect(items.map((i) => [i.outcome, i.ip, i.device])).toEqual([
      ['succeeded', '203.0.113.53', 'Safari on iOS'],
      ['succeeded', '203.0.113.52', 'Firefox on Windows'],
      ['succeeded', '203.0.113.51', 'Firefox on Windows'],
      ['wrong_password', '203.0.113.50', 'Firefox on Windows'],
    ]);
    expect(items[3].succeeded).toBe(false);
    expect(Date.parse(String(items[0].at))).toBe(t.clock.now().getTime());
    // Paged, newest first; another person's history is not shown.
    const page = await as(t, first).get('/api/v1/me/sign-in-history?limit=3');
    expect(page.json().items).toHaveLength(3);
    const rest = await as(t, first).get(`/api/v1/me/sign-in-history?limit=3&cursor=${page.json().nextCursor}`);
    expect(rest.json()).toMatchObject({ items: [{ outcome: 'wrong_password' }], nextCursor: null });
    const stranger = await signUpVerified(t);
    expect((await as(t, stranger).get('/api/v1/me/sign-in-history')).json().items).toEqual([]);
    expect((await as(t, stranger).get('/api/v1/me/sign-in-history?limit=0')).statusCode).toBe(400);
    expect((await as(t, stranger).get('/api/v1/me/sign-in-history?extra=1')).statusCode).toBe(400);
  });
});
