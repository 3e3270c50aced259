import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn, mailsTo, ORIGIN, createTestApp, signUpVerified, STRONG_PASSWORD, cookiesOf, type TestApp } from '../../harness/testApp.js';

/** SPEC 4.10, issue 16: sign-in is throttled per Account as well as per address. */

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const address = (i: number) => `198.51.100.${i + 1}`;

let t: TestApp;
beforeAll(async () => { t = await createTestApp({ rateLimit: true, env: { TRUST_PROXY: 'loopback' } }); });
afterAll(async () => { await t?.close(); });

const signIn = (email: string, password: string, from: string, cookie?: string) => t.app.inject({
  method: 'POST', url: '/api/auth/sign-in/email', payload: { email, password },
  headers: { origin: ORIGIN, 'x-forwarded-for': from, 'user-agent': FIREFOX, ...(cookie ? { cookie } : {}) },
});

describe('per-Account throttling behind TRUST_PROXY', () => {
  it('15 wrong passwords from 15 addresses: the first 10 answer 401, then 429 with Retry-After; the right password is refused while locked; the reset mail gets the owner in', async () => {
    const owner = await signUpVerified(t);
    const answers = [];
    for (let i = 0; i < 15; i++) answers.push(await signIn(owner.email, `wrong password number ${i}!`, address(i)));
    expect(answers.map((a) => a.statusCode)).toEqual([...Array(10).fill(401), ...Array(5).fill(429)]);
    const limited = answers[10];
    expect(limited.json()).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect(limited.json().detail).toMatch(/Please wait 15 minutes and try again/);

    // The right password, from yet another address, while locked: refused, no session.
    const right = await signIn(owner.email, STRONG_PASSWORD, address(20));
    expect(right.statusCode).toBe(429);
    expect(cookiesOf(right)).not.toContain('session_token=');

    // The owner is told by mail, once.
    const locked = await mailsTo(t.services.db, owner.email, 'sign-in-locked');
    expect(locked).toHaveLength(1);
    expect(locked[0].textBody).toContain('http://dashboard.test/forgot-password');

    // The password-reset mail always gets the owner past the lock.
    const ask = await t.app.inject({ method: 'POST', url: '/api/auth/request-password-reset', headers: { origin: ORIGIN, 'x-forwarded-for': address(30) }, payload: { email: owner.email } });
    expect(ask.statusCode).toBe(200);
    const [mail] = await mailsTo(t.services.db, owner.email, 'reset-password');
    const token = new URL(linkIn(mail.textBody)).searchParams.get('token')!;
    const newPassword = 'a brand new passphrase for me';
    const reset = await t.app.inject({ method: 'POST', url: '/api/auth/reset-password', headers: { origin: ORIGIN, 'x-forwarded-for': address(30) }, payload: { token, newPassword } });
    expect(reset.statusCode).toBe(200);
    const afterReset = await signIn(owner.email, newPassword, address(31));
    expect(afterReset.statusCode).toBe(200);
    expect(cookiesOf(afterReset)).toContain('session_token=');
  });

  it('an unknown e-mail is throttled exactly like a known one (the answer reveals nothing)', async () => {
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push((await signIn('nobody-here@example.com', 'wrong password again!', address(40 + i))).statusCode);
    expect(answers).toEqual([...Array(10).fill(401), 429]);
  });

  it('the lock ends after its time, and the next lock lasts twice as long', async () => {
    const owner = await signUpVerified(t);
    try {
      for (let i = 0; i < 10; i++) expect((await signIn(owner.email, `wrong ${i} wrong wrong`, address(60 + i))).statusCode).toBe(401);
      expect((await signIn(owner.email, STRONG_PASSWORD, address(71))).statusCode).toBe(429);
      t.clock.advance(15 * 60_000 + 1000);
      for (let i = 0; i < 10; i++) expect((await signIn(owner.email, `wrong ${i} again wrong`, address(80 + i))).statusCode).toBe(401);
      const second = await signIn(owner.email, STRONG_PASSWORD, address(91));
      expect(second.statusCode).toBe(429);
      expect(Number(second.headers['retry-after'])).toBeGreaterThan(29 * 60);
      t.clock.advance(30 * 60_000 + 1000);
      expect((await signIn(owner.email, STRONG_PASSWORD, address(92))).statusCode).toBe(200);
    } finally { t.clock.reset(); }
  });

  it('a browser that signed in before carries a pass: the lock does not hold its owner out', async () => {
    const owner = await signUpVerified(t);
    const first = await signIn(owner.email, STRONG_PASSWORD, address(100));
    expect(first.statusCode).toBe(200);
    const pass = cookiesOf(first).split('; ').find((c) => c.startsWith('dashboard.sign_in_pass='))!;
    expect(pass).toBeTruthy();
    expect(String(first.headers['set-cookie'])).toMatch(/dashboard\.sign_in_pass=[^;]+; Max-Age=\d+; Path=\/api\/auth; HttpOnly; SameSite=Lax/);
    for (let i = 0; i < 10; i++) await signIn(owner.email, `attacker guess ${i} guess`, address(110 + i));
    expect((await signIn(owner.email, STRONG_PASSWORD, address(121))).statusCode).toBe(429);
    expect((await signIn(owner.email, STRONG_PASSWORD, address(122), pass)).statusCode).toBe(200);
    // A pass for another e-mail, or a forged one, does not help.
    const other = await signUpVerified(t);
    for (let i = 0; i < 10; i++) await signIn(other.email, `attacker guess ${i} guess`, address(130 + i));
    expect((await signIn(other.email, STRONG_PASSWORD, address(141), pass)).statusCode).toBe(429);
    expect((await signIn(other.email, STRONG_PASSWORD, address(142), 'dashboard.sign_in_pass=99999999999999.AAAA')).statusCode).toBe(429);
  });

  it('parallel guesses from many addresses get at most 10 tries at the password', async () => {
    const owner = await signUpVerified(t);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(owner.email, `parallel guess ${i} wrong`, address(150 + i))));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(10);
    expect(codes.filter((c) => c === 429)).toHaveLength(10);
  });
});
