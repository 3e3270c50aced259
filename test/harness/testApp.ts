import { desc, eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/server/config.js';
import type { Database } from '../../src/server/db/client.js';
import { outbox, sessions } from '../../src/server/db/schema.js';
import { buildApp } from '../../src/server/http/app.js';
import { createServices, loggerOptions, type Services } from '../../src/server/services.js';
import { TestClock } from '../../src/server/shared/clock.js';
import { freshDatabase } from './testDb.js';

export const PUBLIC_URL = 'http://dashboard.test';
export const ORIGIN = PUBLIC_URL;

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  clock: TestClock;
  database: Database;
  logs: string[];
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    PUBLIC_URL, AUTH_SECRET: 'test-secret-test-secret-test-secret-0123', DATA_DIR: '/nonexistent-data-dir',
    LOG_LEVEL: 'debug', ...overrides,
  });
}

/** A server on a fresh database, with a movable clock and the log captured in memory. */
export async function createTestApp(opts: { env?: Record<string, string>; rateLimit?: boolean; database?: Database; configure?: (app: FastifyInstance) => void } = {}): Promise<TestApp> {
  const logs: string[] = [];
  const log = pino(loggerOptions('debug'), { write: (line: string) => { logs.push(line); } });
  const database = opts.database ?? await freshDatabase();
  const clock = new TestClock();
  // Every App gets a git repository when it is created (issue 13): each test server its own directory.
  const reposDir = opts.env?.REPOS_DIR ? null : mkdtempSync(path.join(os.tmpdir(), 'dash-repos-'));
  const env = reposDir ? { REPOS_DIR: reposDir, ...opts.env } : opts.env;
  const services = await createServices(testConfig(env), { clock, log, database, rateLimit: opts.rateLimit ?? false });
  const app = await buildApp(services);
  opts.configure?.(app);
  await app.ready();
  return {
    app, services, clock, database, logs,
    async close() {
      await app.close();
      await services.close();
      if (reposDir) rmSync(reposDir, { recursive: true, force: true });
    },
  };
}

/** Cookie header value from a response's set-cookie headers. */
export function cookiesOf(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.map((c) => c.split(';')[0]).filter((c) => !c.endsWith('=')).join('; ');
}

export async function mailsTo(db: Database['db'], to: string, kind?: string) {
  const rows = await db.select().from(outbox).where(eq(outbox.toAddress, to)).orderBy(desc(outbox.id));
  return kind ? rows.filter((r) => r.kind === kind) : rows;
}

export function linkIn(text: string, pattern: RegExp = /https?:\/\/\S+/): string {
  const match = pattern.exec(text);
  if (!match) throw new Error(`no link in mail:\n${text}`);
  return match[0];
}

export const STRONG_PASSWORD = 'correct horse battery staple 42';

let counter = 0;
export function uniqueEmail(prefix = 'dev'): string {
  counter += 1;
  return `${prefix}${counter}.${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export interface SignedIn { id: string; email: string; cookie: string }

/** Signs up, follows the verification link from the outbox, and returns the session cookie. */
export async function signUpVerified(t: TestApp, input: { email?: string; firstName?: string; lastName?: string; accountType?: 'developer' | 'client'; fresh?: boolean } = {}): Promise<SignedIn> {
  const email = input.email ?? uniqueEmail();
  const firstName = input.firstName ?? 'Dana';
  const lastName = input.lastName ?? 'Developer';
  const res = await t.app.inject({
    method: 'POST', url: '/api/auth/sign-up/email', headers: { origin: ORIGIN },
    payload: { email, password: STRONG_PASSWORD, name: `${firstName} ${lastName}`, firstName, lastName, accountType: input.accountType ?? 'developer' },
  });
  if (res.statusCode !== 200) throw new Error(`sign-up failed: ${res.statusCode} ${res.body}`);
  const [mail] = await mailsTo(t.services.db, email.toLowerCase(), 'verify-email');
  const link = new URL(linkIn(mail.textBody));
  const verify = await t.app.inject({ method: 'GET', url: link.pathname + link.search });
  if (verify.statusCode !== 302) throw new Error(`verification failed: ${verify.statusCode} ${verify.body}`);
  const cookie = cookiesOf(verify);
  const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
  // The people of a test have just typed their password: their session is fresh for the
  // re-authentication rule (SPEC 4.10) until the test moves the clock 10 minutes on. The
  // verification link alone does not make a session fresh (test/server/security/twoFactor.test.ts).
  if (input.fresh !== false) {
    await t.services.db.update(sessions).set({ reauthenticatedAt: t.clock.now() }).where(eq(sessions.userId, me.json().id));
    // Changed behind the server's back: wait until its identity cache has heard of it (ADR 0116).
    await t.services.identitySync();
  }
  return { id: me.json().id, email: email.toLowerCase(), cookie };
}

/** Inject helper with the session cookie and our Origin. */
export function as(t: TestApp, who: SignedIn | null) {
  const headers = (extra?: Record<string, string>) => ({ origin: ORIGIN, ...(who ? { cookie: who.cookie } : {}), ...extra });
  return {
    get: (url: string) => t.app.inject({ method: 'GET', url, headers: headers() }),
    post: (url: string, payload?: unknown) => t.app.inject({ method: 'POST', url, headers: headers(), payload: payload as object }),
    patch: (url: string, payload?: unknown) => t.app.inject({ method: 'PATCH', url, headers: headers(), payload: payload as object }),
    put: (url: string, payload?: unknown) => t.app.inject({ method: 'PUT', url, headers: headers(), payload: payload as object }),
    delete: (url: string) => t.app.inject({ method: 'DELETE', url, headers: headers() }),
  };
}
