import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CLIENT_IP_HEADER, COOKIE_PREFIX, SESSION_COOKIE } from '../modules/accounts/auth.js';
import { passwordIssue } from '../modules/accounts/passwords.js';
import { accountsRepo, sessionsRepo } from '../modules/accounts/repo.js';
import { mailIfNewDevice, mailLockout, recordSignIn } from '../modules/accounts/security.js';
import { readCookie, unsignCookie } from '../modules/accounts/session.js';
import { markReauthenticated, reauthenticateWithPassword, requireFresh } from '../modules/accounts/reauth.js';
import { currentActor, requireActor } from './actor.js';
import {
  checkSignInPass, clearGuard, makeSignInPass, recordFailedAttempt, releaseAttempt, reserveSignInAttempt,
  SIGN_IN_PASS_COOKIE, SIGN_IN_PASS_MAX_AGE_SECONDS,
} from '../modules/accounts/throttle.js';
import type { Services } from '../services.js';
import { normalizeEmail } from '../shared/ids.js';
import { LANGUAGES } from '../../shared/i18n/index.js';
import { isTimeZone } from '../../shared/format.js';
import { sendProblem } from './problem.js';
import { resetRedirect } from '../../shared/nextPath.js';

const email = z.string().trim().max(254).email('Enter a valid e-mail address, like name@example.com.');
const name = z.string().trim().max(100);

const schemas = {
  signUp: z.strictObject({
    email, password: z.string().max(1024), name: name.min(1, 'Enter your name.'),
    firstName: name.optional(), lastName: name.optional(),
    accountType: z.enum(['developer', 'client']).optional(),
    // Beside API.md's fields (ADR 0070): the page's language and the browser's zone, for the mails.
    language: z.enum(LANGUAGES).optional(),
    timeZone: z.string().max(64).refine(isTimeZone, 'Use an IANA time zone such as Europe/Berlin.').optional(),
  }),
  signIn: z.strictObject({ email, password: z.string().max(1024), rememberMe: z.boolean().optional() }),
  requestReset: z.strictObject({ email, redirectTo: z.string().max(2000).optional() }),
  reset: z.strictObject({ newPassword: z.string().max(1024), token: z.string().min(1).max(500) }),
  resend: z.strictObject({ email }),
  password: z.strictObject({ password: z.string().max(1024) }),
  code: z.strictObject({ code: z.string().trim().min(1, 'Enter the code.').max(64) }),
  changePassword: z.strictObject({
    currentPassword: z.string().max(1024), newPassword: z.string().max(1024), revokeOtherSessions: z.boolean().optional(),
  }),
};

/** Better Auth's answers that the web reads (described, not re-serialized: `relay` sends Better Auth's text). */
const answers = {
  signIn: z.looseObject({
    twoFactorRedirect: z.boolean().optional().describe('true when the Account has two-factor on: no session yet; finish with verify-totp or verify-backup-code'),
  }),
  twoFactorEnable: z.object({
    totpURI: z.string().describe('otpauth:// URI for the authenticator app (the QR code)'),
    backupCodes: z.array(z.string()).describe('ten one-time recovery codes, shown once'),
  }),
};

/** Better Auth 1.7.25's two-factor account lockout (accountLockout.durationSeconds, its default). */
const TWO_FACTOR_LOCK_SECONDS = 900;

const AUTH_TAG = { tags: ['identity'] };

const FORWARDING_HEADERS = new Set(['x-forwarded-for', 'x-real-ip', 'forwarded', 'cf-connecting-ip', 'true-client-ip', CLIENT_IP_HEADER]);

interface BetterAuthErrorBody { code?: string; message?: string }

/** Forwards a validated request to Better Auth and turns its errors into problem+json. */
async function forward(services: Services, request: FastifyRequest, reply: FastifyReply, body?: unknown) {
  return relay(reply, await callAuth(services, request, body));
}

async function callAuth(services: Services, request: FastifyRequest, body?: unknown, path?: string): Promise<Response> {
  // The URL is built from PUBLIC_URL, never from Host or X-Forwarded-Host.
  const url = new URL(path ?? request.url, services.config.publicUrl);
  const headers = new Headers();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value === undefined || key === 'host' || key === 'content-length' || FORWARDING_HEADERS.has(key)) continue;
    headers.set(key, Array.isArray(value) ? value.join(', ') : String(value));
  }
  headers.set('host', url.host);
  // Better Auth's rate limits and session records see the address Fastify resolved (the
  // socket's, or the client a TRUST_PROXY proxy names), never a header the client chose.
  headers.set(CLIENT_IP_HEADER, request.ip);
  const init: RequestInit = { method: request.method, headers };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    headers.set('content-type', 'application/json');
  }
  return services.auth.handler(new Request(url, init));
}

async function relay(reply: FastifyReply, response: Response, extraCookies: string[] = []) {
  for (const cookie of response.headers.getSetCookie()) reply.header('set-cookie', cookie);
  for (const cookie of extraCookies) reply.header('set-cookie', cookie);
  const retryAfter = Number(response.headers.get('x-retry-after'));
  if (response.status === 429) reply.header('retry-after', String(retryAfter > 0 ? retryAfter : 60));
  const location = response.headers.get('location');
  if (location) reply.header('location', location);
  const text = await response.text();
  if (response.status >= 400) {
    let parsed: BetterAuthErrorBody = {};
    try { parsed = JSON.parse(text) as BetterAuthErrorBody; } catch { /* not JSON */ }
    return sendAuthProblem(reply, response.status, parsed);
  }
  reply.code(response.status);
  if (!text) return reply.send();
  return reply.type(response.headers.get('content-type') ?? 'application/json').send(text);
}

function sendAuthProblem(reply: FastifyReply, status: number, body: BetterAuthErrorBody) {
  const code = body.code ?? '';
  // Two-factor (Better Auth's plugin): wrong codes are a field problem, not a lost session.
  if (code === 'INVALID_CODE' || code === 'INVALID_BACKUP_CODE') {
    const message = code === 'INVALID_CODE'
      ? 'That code is not right. Enter the 6 digits your authenticator app shows now.'
      : 'That recovery code is not right, or it was used already.';
    return sendProblem(reply, 'validation_failed', message, [{ path: 'code', message, reason: code === 'INVALID_CODE' ? 'code_wrong' : 'recovery_code_wrong' }]);
  }
  // `reason`s name which of a code's cases this is, so the web words it in the page's language (ADR 0090).
  if (code === 'INVALID_PASSWORD') {
    return sendProblem(reply, 'validation_failed', 'That password is not right.', [{ path: 'password', message: 'That password is not right.', reason: 'password_wrong' }]);
  }
  if (code === 'INVALID_TWO_FACTOR_COOKIE' || code === 'TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE') {
    return sendProblem(reply, 'unauthenticated', 'Please sign in again with your e-mail address and password.', undefined, { reason: 'sign_in_again' });
  }
  if (code === 'TOTP_ALREADY_ENABLED') return sendProblem(reply, 'conflict', 'Two-factor authentication is already on.', undefined, { reason: 'two_factor_on' });
  if (code === 'TOTP_NOT_ENABLED' || code === 'TWO_FACTOR_NOT_ENABLED' || code === 'BACKUP_CODES_NOT_ENABLED') {
    return sendProblem(reply, 'conflict', 'Two-factor authentication is not on for this account.', undefined, { reason: 'two_factor_off' });
  }
  if (code === 'EMAIL_NOT_VERIFIED') {
    return sendProblem(reply, 'email_not_verified', 'Please confirm your e-mail address first. We have sent you a new confirmation link.', undefined, { reason: 'link_sent' });
  }
  if (status === 401 || code === 'INVALID_EMAIL_OR_PASSWORD') {
    return sendProblem(reply, 'unauthenticated', 'The e-mail address or the password is not right.', undefined, { reason: 'wrong_credentials' });
  }
  // Better Auth's plugin: 10 wrong codes (app or recovery) for the Account lock its second step for 15 minutes.
  if (code === 'ACCOUNT_TEMPORARILY_LOCKED') {
    reply.header('retry-after', String(TWO_FACTOR_LOCK_SECONDS));
    return sendProblem(reply, 'rate_limited', `Too many wrong codes for this account. Please wait ${waitInWords(TWO_FACTOR_LOCK_SECONDS)} and try again.`, undefined, { reason: 'codes_locked' });
  }
  if (status === 429) return sendProblem(reply, 'rate_limited', `Too many attempts from your address. Please wait ${waitInWords(Number(reply.getHeader('retry-after')))} and try again.`);
  if (code === 'INVALID_TOKEN' || code === 'TOKEN_EXPIRED') {
    return sendProblem(reply, 'validation_failed', 'This link is not valid any more. Please ask for a new one.', [{ path: 'token', message: 'expired or already used', reason: 'link_invalid' }], { reason: 'link_invalid' });
  }
  if (status === 403) return sendProblem(reply, 'forbidden', body.message ?? 'Not allowed.');
  return sendProblem(reply, 'validation_failed', body.message ?? 'The request could not be processed.');
}

/** "45 seconds", "1 minute", "3 minutes": what the sign-in page shows. */
export function waitInWords(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return 'a minute';
  if (seconds < 60) return `${Math.ceil(seconds)} second${Math.ceil(seconds) === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

function checkPassword(reply: FastifyReply, password: string, path: string, twoFactor = false) {
  const problem = passwordIssue(password, { twoFactor });
  if (problem) {
    sendProblem(reply, 'validation_failed', problem.message, [{ path, message: problem.message, reason: problem.reason }]);
    return false;
  }
  return true;
}

/** The cookie of a browser that has proved the password (or reset it): not held by the per-Account lock. */
function signInPassCookie(services: Services, email: string): string {
  const secure = services.config.publicUrl.startsWith('https://');
  const value = makeSignInPass(services.config.authSecret, email, services.clock.now());
  return `${SIGN_IN_PASS_COOKIE}=${value}; Max-Age=${SIGN_IN_PASS_MAX_AGE_SECONDS}; Path=/api/auth; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/**
 * Sign-in with the per-Account limit in front of Better Auth's per-address one (ADR 0040),
 * and the Account's sign-in history and new-device mail behind it.
 */
async function signIn(services: Services, request: FastifyRequest, reply: FastifyReply, body: z.infer<typeof schemas.signIn>) {
  const { db, clock, config } = services;
  const now = clock.now();
  const email = body.email;
  const account = await accountsRepo.byEmail(db, email);
  const userAgent = request.headers['user-agent'] ?? null;
  const event = (outcome: 'succeeded' | 'wrong_password' | 'locked') =>
    account ? recordSignIn(db, { accountId: account.id, at: now, ip: request.ip, userAgent, outcome }) : Promise.resolve();
  const hasPass = checkSignInPass(config.authSecret, email, readCookie(request.headers.cookie, SIGN_IN_PASS_COOKIE), now);
  const reservation = hasPass ? null : await reserveSignInAttempt(db, email, now);
  if (reservation && !reservation.allowed) {
    await event('locked');
    reply.header('retry-after', String(reservation.retryAfterSeconds));
    return sendProblem(reply, 'rate_limited', `Too many wrong passwords for this account. Please wait ${waitInWords(reservation.retryAfterSeconds)} and try again, or choose a new password with "Forgot your password?".`, undefined, { reason: 'locked' });
  }
  const response = await callAuth(services, request, body);
  const extra: string[] = [];
  if (response.status === 200) {
    await clearGuard(db, email);
    const parsed = JSON.parse(await response.clone().text()) as { token?: string; twoFactorRedirect?: boolean };
    if (account && !parsed.twoFactorRedirect) {
      const session = parsed.token ? await sessionsRepo.markSignedIn(db, parsed.token, now) : null;
      await mailIfNewDevice(services, { accountId: account.id, newSessionId: session?.id ?? null, ip: request.ip, userAgent });
      await event('succeeded');
    }
    extra.push(signInPassCookie(services, email));
  } else if (response.status === 401) {
    await event('wrong_password');
    if (reservation?.locksNow) {
      await recordFailedAttempt(db, email, true);
      if (reservation.lockMinutes) await mailLockout(services, email, reservation.lockMinutes);
    }
  } else if (response.status === 403) {
    await clearGuard(db, email); // the password was right; the e-mail is not confirmed yet
  } else if (reservation) {
    await releaseAttempt(db, email); // the password was not tested (per-address limit, bad request)
  }
  return relay(reply, response, extra);
}

/**
 * The token of the session Better Auth set in this answer's cookie (turning two-factor on or
 * off and a password change renew the session; the body's `token` is not always the new one).
 */
function renewedSessionToken(services: Services, response: Response): string | null {
  const secure = services.config.publicUrl.startsWith('https://');
  const name = `${secure ? '__Secure-' : ''}${COOKIE_PREFIX}.${SESSION_COOKIE}=`;
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith(name));
  const value = cookie?.slice(name.length).split(';')[0];
  return value ? unsignCookie(value, services.config.authSecret) : null;
}

/** The renewed session has just proved the password or a code: it is fresh (ADR 0040). */
async function markRenewedFresh(services: Services, response: Response, fallbackToken?: string | null): Promise<void> {
  const token = renewedSessionToken(services, response) ?? fallbackToken;
  if (token) await sessionsRepo.markSignedIn(services.db, token, services.clock.now());
}

/** The Account whose sign-in waits for its second factor (the signed two_factor cookie), or null. */
async function pendingTwoFactorAccount(services: Services, request: FastifyRequest): Promise<string | null> {
  const secure = services.config.publicUrl.startsWith('https://');
  const raw = readCookie(request.headers.cookie, `${secure ? '__Secure-' : ''}${COOKIE_PREFIX}.two_factor`);
  const identifier = raw ? unsignCookie(raw, services.config.authSecret) : null;
  return identifier ? accountsRepo.idOfVerification(services.db, identifier) : null;
}

/** verify-totp and verify-backup-code: the second step of a sign-in, or turning two-factor on. */
async function secondFactor(services: Services, request: FastifyRequest, reply: FastifyReply, code: string) {
  const { db, clock } = services;
  const now = clock.now();
  const actor = await currentActor(services, request);
  const pending = actor ? null : await pendingTwoFactorAccount(services, request);
  const response = await callAuth(services, request, { code });
  const extra: string[] = [];
  const userAgent = request.headers['user-agent'] ?? null;
  if (response.status === 200) {
    const parsed = JSON.parse(await response.clone().text()) as { token?: string; user?: { id?: string; email?: string } };
    if (actor) {
      // Turning two-factor on renews the session; the new one has just proved a code.
      await markRenewedFresh(services, response, parsed.token);
    } else if (!actor && parsed.token && parsed.user?.id) {
      const session = await sessionsRepo.markSignedIn(db, parsed.token, now);
      await mailIfNewDevice(services, { accountId: parsed.user.id, newSessionId: session?.id ?? null, ip: request.ip, userAgent });
      await recordSignIn(db, { accountId: parsed.user.id, at: now, ip: request.ip, userAgent, outcome: 'succeeded' });
      if (parsed.user.email) extra.push(signInPassCookie(services, parsed.user.email));
    }
  } else if (pending && response.status === 401) {
    await recordSignIn(db, { accountId: pending, at: now, ip: request.ip, userAgent, outcome: 'wrong_code' });
  }
  return relay(reply, response, extra);
}

export function registerAuthRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/auth/sign-up/email', { schema: { ...AUTH_TAG, body: schemas.signUp } }, async (request, reply) => {
    const body = { ...request.body, email: normalizeEmail(request.body.email) };
    if (!checkPassword(reply, body.password, 'password')) return reply;
    return forward(services, request, reply, body);
  });
  // The answers are Better Auth's, relayed as they are (the schemas describe them for the
  // generated web types: the web restates no server shape, issue 11).
  r.post('/api/auth/sign-in/email', { schema: { ...AUTH_TAG, body: schemas.signIn, response: { 200: answers.signIn } } }, async (request, reply) =>
    signIn(services, request, reply, { ...request.body, email: normalizeEmail(request.body.email) }));
  r.post('/api/auth/sign-out', { schema: AUTH_TAG }, async (request, reply) => forward(services, request, reply, {}));
  r.post('/api/auth/request-password-reset', { schema: { ...AUTH_TAG, body: schemas.requestReset } }, async (request, reply) => {
    // The answer is the same whether or not the Account exists; the link always points to PUBLIC_URL.
    // A reset started from an invitation comes back to it (issue 17): redirectTo may carry a
    // same-site `next`; anything else (an absolute or foreign address) is ignored.
    const response = await callAuth(services, request, { email: normalizeEmail(request.body.email), redirectTo: resetRedirect(request.body.redirectTo) });
    if (response.status === 429) return relay(reply, response);
    if (response.status >= 400) request.log.warn({ status: response.status }, 'password reset request failed');
    return reply.code(200).type('application/json').send({ status: true, message: 'If an account exists for this e-mail, we have sent a link to reset the password.' });
  });
  r.post('/api/auth/reset-password', { schema: { ...AUTH_TAG, body: schemas.reset } }, async (request, reply) => {
    // Whose link this is, before Better Auth uses it up: the reset lifts that Account's sign-in lock.
    const accountId = await accountsRepo.idOfResetToken(services.db, request.body.token);
    const owner = accountId ? await accountsRepo.byId(services.db, accountId) : undefined;
    if (!checkPassword(reply, request.body.newPassword, 'newPassword', owner?.twoFactorEnabled ?? false)) return reply;
    const response = await callAuth(services, request, request.body);
    const extra: string[] = [];
    if (response.status === 200 && accountId) {
      const account = await accountsRepo.byId(services.db, accountId);
      if (account) {
        // Better Auth has ended every session of the Account (revokeSessionsOnPasswordReset).
        await clearGuard(services.db, account.email);
        extra.push(signInPassCookie(services, account.email));
      }
    }
    return relay(reply, response, extra);
  });
  r.post('/api/auth/send-verification-email', { schema: { ...AUTH_TAG, body: schemas.resend } }, async (request, reply) =>
    forward(services, request, reply, { email: normalizeEmail(request.body.email), callbackURL: '/?verified=1' }));
  r.post('/api/auth/change-password', { schema: { ...AUTH_TAG, body: schemas.changePassword } }, async (request, reply) => {
    const actor = await currentActor(services, request);
    if (!checkPassword(reply, request.body.newPassword, 'newPassword', actor?.twoFactorEnabled ?? false)) return reply;
    // SPEC 4.10: a password change ends every other session (Better Auth renews the current one).
    const response = await callAuth(services, request, { ...request.body, revokeOtherSessions: true });
    // The renewed session has just proved the current password.
    if (response.status === 200) await markRenewedFresh(services, response);
    return relay(reply, response);
  });

  // Two-factor authentication (Better Auth's plugin; SPEC 4.10, ADR 0040).
  r.post('/api/auth/two-factor/enable', {
    schema: { ...AUTH_TAG, description: 'Starts turning two-factor on: `{totpURI, backupCodes}`; on after the first code is verified (verify-totp).', body: schemas.password, response: { 200: answers.twoFactorEnable } },
  }, async (request, reply) => forward(services, request, reply, { password: request.body.password }));
  r.post('/api/auth/two-factor/disable', {
    schema: { ...AUTH_TAG, description: 'Turns two-factor off; needs the password, and a session that proved the password or a code within the last 10 minutes (403 reauthentication_required otherwise). Refused while the password is shorter than 15 characters.', body: schemas.password },
  }, async (request, reply) => {
    if ([...request.body.password].length < 15) {
      const message = 'Your password is shorter than 15 characters, which is allowed only with two-factor authentication. Choose a longer password first, then turn two-factor authentication off.';
      return sendProblem(reply, 'validation_failed', message, [{ path: 'password', message, reason: 'password_short_without_two_factor' }]);
    }
    // SPEC 4.10: turning two-factor off needs a re-authentication within 10 minutes, like the
    // other sensitive actions. Without a session Better Auth answers 401 as before.
    const actor = await currentActor(services, request);
    if (actor) await requireFresh(services.db, actor, services.clock.now(), 'Turning two-factor authentication off');
    const response = await callAuth(services, request, { password: request.body.password });
    if (response.status === 200) await markRenewedFresh(services, response);
    return relay(reply, response);
  });
  for (const path of ['/api/auth/two-factor/verify-totp', '/api/auth/two-factor/verify-backup-code'] as const) {
    r.post(path, {
      schema: { ...AUTH_TAG, description: 'A code from the authenticator app (verify-totp) or a recovery code: finishes a sign-in (with the two_factor cookie), or turns two-factor on.', body: schemas.code },
    }, async (request, reply) => secondFactor(services, request, reply, request.body.code));
  }
  r.post('/api/v1/me/reauthenticate', {
    schema: {
      tags: ['account security'],
      description: 'Proves the password (or, with two-factor on, a code from the authenticator app) again: the session counts as fresh for 10 minutes (deleting a Company, changing a payment method, transferring an App, turning two-factor off).',
      body: z.union([schemas.password, schemas.code]),
    },
  }, async (request, reply) => {
    const actor = await requireActor(services, request);
    const body = request.body as { password?: string; code?: string };
    if (body.password !== undefined) {
      await reauthenticateWithPassword(services, actor, body.password);
      return reply.code(204).send();
    }
    if (!actor.twoFactorEnabled) {
      return sendProblem(reply, 'validation_failed', 'Two-factor authentication is not on for this account; enter your password instead.', [{ path: 'code', message: 'Enter your password instead.' }]);
    }
    // Better Auth locks an Account after 10 wrong codes only while signing in, not for a code
    // checked on a session: here wrong codes count against the per-Account limit, like wrong
    // passwords (a stolen session cannot guess codes freely; ADR 0040).
    const now = services.clock.now();
    const reservation = await reserveSignInAttempt(services.db, actor.email, now);
    if (!reservation.allowed) {
      reply.header('retry-after', String(reservation.retryAfterSeconds));
      return sendProblem(reply, 'rate_limited', `Too many wrong passwords or codes for this account. Please wait ${waitInWords(reservation.retryAfterSeconds)} and try again.`, undefined, { reason: 'locked' });
    }
    const response = await callAuth(services, request, { code: body.code }, '/api/auth/two-factor/verify-totp');
    if (response.status !== 200) {
      let code: string | undefined;
      try { code = ((await response.clone().json()) as { code?: string }).code; } catch { /* not JSON */ }
      // Only a wrong code uses the place up; the per-address limit or a bad request gives it back.
      if (code !== 'INVALID_CODE') await releaseAttempt(services.db, actor.email);
      else if (reservation.locksNow) await recordFailedAttempt(services.db, actor.email, true);
      return relay(reply, response);
    }
    await clearGuard(services.db, actor.email);
    await markReauthenticated(services.db, actor.sessionId, now);
    return reply.code(204).send();
  });
  r.get('/api/auth/verify-email', { schema: AUTH_TAG }, async (request, reply) => forward(services, request, reply));
  r.get('/api/auth/get-session', { schema: AUTH_TAG }, async (request, reply) => forward(services, request, reply));
}
