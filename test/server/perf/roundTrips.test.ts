import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCookie, unsignCookie, findActorBySessionToken } from '../../../src/server/modules/accounts/session.js';
import { sessionCookieName } from '../../../src/server/http/actor.js';
import { addMember, bookApp, cardToken, contactInput, createCompany, createTrial, type CompanyFixture } from '../../harness/factories.js';
import { inviteClient, signUpClient } from '../../harness/handover.js';
import { countRequest, countStatements, installStatementCounter, instrumentDatabase, type StatementCount } from '../../harness/statements.js';
import { freshDatabase } from '../../harness/testDb.js';
import { createTestApp, ORIGIN, signUpVerified, uniqueEmail, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * Round trips per request, the budgets of SPEC section 7 (issue 14): counted at the driver,
 * so Better Auth's statements and BEGIN/COMMIT are included. Deterministic; a route that
 * gains a statement fails here, not only in the benchmark.
 */
let t: TestApp;
let dev: SignedIn;
let collaborator: SignedIn;
let accountant: SignedIn;
let company: CompanyFixture;

beforeAll(async () => {
  t = await createTestApp({ database: instrumentDatabase(await freshDatabase()), configure: installStatementCounter });
  dev = await signUpVerified(t, { firstName: 'Ada', lastName: 'Agency' });
  collaborator = await signUpVerified(t, { firstName: 'Cole', lastName: 'Laborator' });
  accountant = await signUpVerified(t, { firstName: 'Acca', lastName: 'Untant' });
  company = await createCompany(t, dev);
  const apps = [await bookApp(t, dev, company), await bookApp(t, dev, company), await bookApp(t, dev, company)];
  await createCompany(t, dev);
  await addMember(t, company.id, collaborator, 'collaborator', [apps[0], apps[1]]);
  await addMember(t, company.id, accountant, 'accountant');
});
afterAll(async () => { await t?.close(); });

function explain(count: StatementCount): string {
  return `${count.statements} statements:\n  ${count.texts.join('\n  ')}`;
}

/** One request as `who` (null: no cookie), counted. */
async function measure(who: SignedIn | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, status = 200): Promise<StatementCount> {
  const headers: Record<string, string> = { origin: ORIGIN, ...(who ? { cookie: who.cookie } : {}) };
  const { res, count } = await countRequest(t.app, { method, url, headers, ...(payload ? { payload } : {}) });
  expect(res.statusCode, res.body).toBe(status);
  return count;
}

describe('round trips per request (issue 14, SPEC section 7)', () => {
  it('identifying the caller: one statement; a bad or missing cookie none', async () => {
    const raw = readCookie(dev.cookie, sessionCookieName(false))!;
    const token = unsignCookie(raw, t.services.config.authSecret)!;
    const { result, count } = await countStatements(() => findActorBySessionToken(t.services.db, token, t.clock));
    expect(result?.actor.id).toBe(dev.id);
    expect(count.statements, explain(count)).toBe(1);

    const anonymous = await measure(null, 'GET', '/api/v1/me', undefined, 401);
    expect(anonymous.statements, explain(anonymous)).toBe(0);
    const forged = await measure({ ...dev, cookie: 'dashboard.session_token=forged.c2ln' }, 'GET', '/api/v1/me', undefined, 401);
    expect(forged.statements, explain(forged)).toBe(0);
  });

  /**
   * A read, counted twice: with this process's identity cache empty (the SPEC budget: the
   * caller found with one query) and again at once, when the cache knows the caller (ADR
   * 0116: one statement fewer).
   */
  async function measureRead(who: SignedIn, url: string): Promise<{ cold: StatementCount; warm: StatementCount }> {
    // Notifications of earlier tests' session changes must not empty the cache between the two reads.
    await t.services.identitySync();
    t.services.identity.clear();
    const cold = await measure(who, 'GET', url);
    const warm = await measure(who, 'GET', url);
    return { cold, warm };
  }

  it('GET /api/v1/me: 1, and none while the identity cache knows the caller', async () => {
    const { cold, warm } = await measureRead(dev, '/api/v1/me');
    expect(cold.statements, explain(cold)).toBe(1);
    expect(cold.transactions).toBe(0);
    expect(warm.statements, explain(warm)).toBe(0);
  });

  it('any change reads the caller from the database and empties the cache', async () => {
    await measureRead(dev, '/api/v1/me');
    const change = await measure(dev, 'PATCH', '/api/v1/me', { newsletter: true });
    expect(change.texts[0], explain(change)).toMatch(/^SELECT s\.id AS "sessionId"/);
    const after = await measure(dev, 'GET', '/api/v1/me');
    expect(after.statements, explain(after)).toBe(1);
  });

  it('my Companies: 2 (1 with the caller cached)', async () => {
    const { cold, warm } = await measureRead(dev, '/api/v1/companies');
    expect(cold.statements, explain(cold)).toBe(2);
    expect(warm.statements, explain(warm)).toBe(1);
  });

  it('my Apps: 2 (all of them, one Company, a collaborator; 1 with the caller cached)', async () => {
    for (const [who, url] of [[dev, '/api/v1/apps'], [dev, `/api/v1/apps?companyId=${company.id}`], [collaborator, '/api/v1/apps']] as const) {
      const { cold, warm } = await measureRead(who, url);
      expect(cold.statements, `${url}: ${explain(cold)}`).toBe(2);
      expect(warm.statements, `${url}: ${explain(warm)}`).toBe(1);
    }
  });

  it('members of a Company: 2, for every role that may list them (1 with the caller cached)', async () => {
    for (const who of [dev, collaborator, accountant]) {
      const { cold, warm } = await measureRead(who, `/api/v1/companies/${company.id}/members`);
      expect(cold.statements, `${who.email}: ${explain(cold)}`).toBe(2);
      expect(warm.statements, `${who.email}: ${explain(warm)}`).toBe(1);
    }
  });

  it('members of a Company for an outsider: a 404 in at most 2', async () => {
    const outsider = await signUpVerified(t);
    const count = await measure(outsider, 'GET', `/api/v1/companies/${company.id}/members`, undefined, 404);
    expect(count.statements, explain(count)).toBeLessThanOrEqual(2);
  });

  /** The sandbox payment provider keeps its state in our database; with Stripe it is an HTTP call, so it is not a round trip of ours. */
  const ours = (count: StatementCount) => count.texts.filter((text) => !/sandbox_payment_tokens/.test(text)).length;

  async function createInvitation(): Promise<StatementCount> {
    const owner = await signUpVerified(t);
    const app = await createTrial(t, owner);
    return measure(owner, 'POST', `/api/v1/apps/${app}/client-invitations`, {
      email: uniqueEmail('client'), plan: { php: 'php-s', database: 'db-s', storage: 'storage-10' },
    }, 201);
  }

  async function acceptHandover(): Promise<StatementCount> {
    const owner = await signUpVerified(t);
    const app = await createTrial(t, owner);
    const email = uniqueEmail('client');
    const { token } = await inviteClient(t, owner, app, email);
    const client = await signUpClient(t, token, email);
    const card = await cardToken(t);
    return measure(client, 'POST', '/api/v1/invitations/accept', {
      token, company: { name: 'Bakery Müller' }, billingContact: contactInput({ invoiceEmail: client.email }), paymentMethod: { token: card },
    });
  }

  // The two writes send their changes as one write batch each (src/server/db/writeBatch.ts).
  it('creating a client invitation: at most 6, BEGIN and COMMIT included (SPEC section 7); 5 since the trial App is read and locked at once', async () => {
    const count = await createInvitation();
    expect(ours(count), explain(count)).toBeLessThanOrEqual(5);
    expect(count.transactions).toBe(1);
  });

  it('creating a client invitation while an expired one is still marked pending: refused once by the index, run again, created', async () => {
    const owner = await signUpVerified(t);
    const app = await createTrial(t, owner);
    await inviteClient(t, owner, app, uniqueEmail('first'));
    t.clock.advance(t.services.config.clientInvitationTtlMs + 60_000);
    try {
      const count = await measure(owner, 'POST', `/api/v1/apps/${app}/client-invitations`, {
        email: uniqueEmail('second'), plan: { php: 'php-s', database: 'db-s', storage: 'storage-10' },
      }, 201);
      expect(count.transactions, explain(count)).toBe(2);
      const states = await t.services.db.execute(sql`SELECT state FROM invitations WHERE app_id = (SELECT id FROM apps WHERE name = ${app}) ORDER BY created_at`);
      expect(states.rows.map((r) => (r as { state: string }).state)).toEqual(['expired', 'pending']);
    } finally {
      t.clock.reset();
    }
  });

  it('accepting a handover into a new Company: at most 12, BEGIN and COMMIT included (SPEC section 7); 6 with the session renewed in the batch', async () => {
    const count = await acceptHandover();
    // Session, invitation by token, BEGIN, the App lock with the guarded transition, the batch, COMMIT.
    expect(ours(count), explain(count)).toBeLessThanOrEqual(6);
    expect(count.transactions).toBe(1);
  });
});

describe('the statement counter itself', () => {
  it('counts a transaction with its BEGIN and COMMIT, on this database', async () => {
    const { count } = await countStatements(() => t.services.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1`);
      await tx.execute(sql`SELECT 2`);
    }));
    expect(count.statements, explain(count)).toBe(4);
    expect(count.transactions).toBe(1);
    const outside = await countStatements(() => t.services.db.execute(sql`SELECT 3`));
    expect(outside.count.statements).toBe(1);
    expect(outside.count.transactions).toBe(0);
  });
});
