import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { twoFactor } from 'better-auth/plugins/two-factor';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import * as schema from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { enqueueMail } from '../mail/outbox.js';
import { resetPasswordMail, signUpExistingMail, verifyEmailMail } from './mails.js';
import { accountsRepo } from './repo.js';
import { callbackOf, resetNext } from '../../../shared/nextPath.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH_WITH_2FA, passwordHasher } from './passwords.js';

export const SESSION_COOKIE = 'session_token';
export const COOKIE_PREFIX = 'dashboard';
export const SESSION_TTL_SECONDS = 60 * 60 * 24 * 14;
/** The one header Better Auth reads the client address from; set by our routes only. */
export const CLIENT_IP_HEADER = 'x-dashboard-client-ip';

export interface AuthDeps { config: Config; db: Db; clock: Clock; log: Logger; rateLimit: boolean }

/**
 * Better Auth for identity (sign-up, verification, sign-in, reset, sessions) on our own
 * tables. Its mails go through our outbox; every link is built from PUBLIC_URL.
 */
export function createAuth({ config, db, clock, log, rateLimit }: AuthDeps) {
  const secure = config.publicUrl.startsWith('https://');
  return betterAuth({
    appName: 'Dashboard',
    baseURL: config.publicUrl,
    basePath: '/api/auth',
    secret: config.authSecret,
    trustedOrigins: [new URL(config.publicUrl).origin],
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: {
        accounts: schema.accounts,
        sessions: schema.sessions,
        credentials: schema.credentials,
        verifications: schema.verifications,
        rate_limits: schema.rateLimits,
        two_factors: schema.twoFactors,
      },
    }),
    user: {
      modelName: 'accounts',
      additionalFields: {
        firstName: { type: 'string', required: false, defaultValue: '', input: true },
        lastName: { type: 'string', required: false, defaultValue: '', input: true },
        accountType: { type: 'string', required: false, defaultValue: 'developer', input: true },
        newsletter: { type: 'boolean', required: false, defaultValue: false, input: false },
        // The page's language and the browser's zone at sign-up (ADR 0070): the verification mail already follows them.
        language: { type: 'string', required: false, input: true },
        timeZone: { type: 'string', required: false, input: true },
      },
    },
    // freshAge 0: Better Auth's own freshness counts from the session's creation; ours counts
    // from the last re-authentication (sessions.reauthenticated_at, ADR 0040).
    session: { modelName: 'sessions', expiresIn: SESSION_TTL_SECONDS, updateAge: 60 * 60 * 24, freshAge: 0 },
    account: { modelName: 'credentials' },
    verification: { modelName: 'verifications' },
    rateLimit: {
      enabled: rateLimit,
      storage: 'database',
      modelName: 'rate_limits',
      window: 60,
      max: 120,
      customRules: {
        '/sign-in/email': { window: 60, max: 10 },
        '/sign-up/email': { window: 60, max: 10 },
        '/request-password-reset': { window: 60, max: 5 },
      },
    },
    plugins: [
      twoFactor({
        issuer: 'Dashboard',
        // The second step of a sign-in stays open 10 minutes; "trust this device" is not offered.
        twoFactorCookieMaxAge: 600,
        schema: { twoFactor: { modelName: 'two_factors' } },
      }),
    ],
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      useSecureCookies: secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure },
      // Our routes put the address Fastify resolved (TRUST_PROXY) into this one header and
      // drop every forwarding header of the client (http/authRoutes.ts): sign-in, sign-up and
      // reset throttling all count per that address (issue 9, defect 11).
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    logger: {
      log: (level, message) => {
        // Better Auth logs e-mails of sign-up attempts; keep them at debug level.
        const fn = level === 'error' ? log.error.bind(log) : level === 'warn' ? log.warn.bind(log) : log.debug.bind(log);
        fn({ component: 'better-auth' }, message);
      },
    },
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: true,
      autoSignIn: false,
      // Our routes ask for 15 characters, or 8 with two-factor (SPEC 5), before Better Auth sees a password.
      minPasswordLength: MIN_PASSWORD_LENGTH_WITH_2FA,
      maxPasswordLength: MAX_PASSWORD_LENGTH * 4, // counted in UTF-16 units by Better Auth; we count characters
      password: passwordHasher,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 60 * 60,
      sendResetPassword: async ({ user, token, url: betterAuthUrl }) => {
        // Our own page, not Better Auth's redirect; it keeps the `next` of the request (issue 17, ADR 0090).
        const next = resetNext(callbackOf(betterAuthUrl));
        const url = `${config.publicUrl}/reset-password?token=${encodeURIComponent(token)}${next ? `&next=${encodeURIComponent(next)}` : ''}`;
        const prefs = await accountsRepo.mailPrefs(db, user.email);
        await enqueueMail(db, resetPasswordMail(user.email, (user as { firstName?: string }).firstName || user.name, url, prefs), clock.now());
      },
      onExistingUserSignUp: async ({ user }) => {
        // The sign-up answer does not reveal that the Account exists; the owner learns by mail.
        const prefs = await accountsRepo.mailPrefs(db, user.email);
        await enqueueMail(db, signUpExistingMail(user.email, `${config.publicUrl}/sign-in`, prefs), clock.now());
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      sendOnSignIn: true,
      autoSignInAfterVerification: true,
      expiresIn: 60 * 60 * 24,
      sendVerificationEmail: async ({ user, token }) => {
        const url = `${config.publicUrl}/api/auth/verify-email?token=${encodeURIComponent(token)}&callbackURL=${encodeURIComponent('/?verified=1')}`;
        const prefs = await accountsRepo.mailPrefs(db, user.email);
        await enqueueMail(db, verifyEmailMail(user.email, (user as { firstName?: string }).firstName || user.name, url, prefs), clock.now());
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
