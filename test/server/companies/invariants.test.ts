import { desc, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../src/server/authz/permissions.js';
import type { Tx } from '../../../src/server/db/client.js';
import { accounts, sessions } from '../../../src/server/db/schema.js';
import type { Actor } from '../../../src/server/modules/accounts/session.js';
import { bookApp, createTrialApp } from '../../../src/server/modules/apps/createApp.js';
import { deleteApp, scaleApp } from '../../../src/server/modules/apps/manageApp.js';
import { createCompany } from '../../../src/server/modules/companies/createCompany.js';
import { changeMembershipRole, endMembership, ensureAnotherOwner } from '../../../src/server/modules/companies/ownership.js';
import { companiesRepo } from '../../../src/server/modules/companies/repo.js';
import { deleteCompany } from '../../../src/server/modules/companies/deleteCompany.js';
import type { SandboxPaymentProvider } from '../../../src/server/modules/payments/sandbox.js';
import { AppError } from '../../../src/server/shared/errors.js';
import { createTestApp, signUpVerified, type TestApp } from '../../harness/testApp.js';
import { onPostgres } from '../../harness/testDb.js';
import { contactInput, MEDIUM_PLAN, SMALL_PLAN, uniqueAppName } from '../../harness/factories.js';

/**
 * Issue 3, property tests: "every Company has at least one owner" and "every App has one
 * owner (its trial creator, or one live Company and one of its billing contacts)" hold
 * after any sequence of operations, also when the operations of a step run concurrently.
 */
let t: TestApp;
let actors: Actor[];
beforeAll(async () => {
  t = await createTestApp();
  const users = await Promise.all([0, 1, 2, 3].map(() => signUpVerified(t)));
  actors = [];
  for (const u of users) {
    const [account] = await t.services.db.select().from(accounts).where(eq(accounts.id, u.id));
    const [session] = await t.services.db.select().from(sessions).where(eq(sessions.userId, u.id)).orderBy(desc(sessions.createdAt)).limit(1);
    actors.push({
      id: account.id, email: account.email, emailVerified: true, firstName: account.firstName, lastName: account.lastName,
      accountType: 'developer', newsletter: false, sessionId: session.id, reauthenticatedAt: null, lastSeenAt: null, twoFactorEnabled: false,
    });
  }
});
afterAll(async () => { await t?.close(); });

const sandbox = () => t.services.payments as SandboxPaymentProvider;
async function newCompany(actor: Actor): Promise<{ id: string; contactId: string }> {
  const { token } = await sandbox().tokenize({ number: '4242424242424242', expMonth: 12, expYear: t.clock.now().getUTCFullYear() + 2, cvc: '123' });
  const company = await createCompany(t.services, actor, { name: 'Prop Co', billingContact: contactInput() as never, paymentMethod: { token } });
  const result = await t.services.db.execute(sql`SELECT id FROM billing_contacts WHERE company_id = ${company.id}`);
  return { id: company.id, contactId: (result.rows[0] as { id: string }).id };
}

/** Only the domain's own refusals are acceptable outcomes of a random operation. */
function expectDomainRefusal(err: unknown) {
  if (!(err instanceof AppError)) throw err;
  expect(['last_owner', 'not_found', 'forbidden', 'trial_limit', 'app_name_taken', 'app_is_trial', 'conflict']).toContain(err.code);
}

async function settle(ops: (() => Promise<unknown>)[]) {
  const results = await Promise.allSettled(ops.map((op) => op()));
  for (const r of results) if (r.status === 'rejected') expectDomainRefusal(r.reason);
}

describe('every Company always has at least one owner', () => {
  type Op = { kind: 'add' | 'role'; who: number; role: Role } | { kind: 'remove'; who: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), who: fc.integer({ min: 1, max: 3 }), role: fc.constantFrom(...ROLES) }),
    fc.record({ kind: fc.constant('role' as const), who: fc.integer({ min: 0, max: 3 }), role: fc.constantFrom(...ROLES) }),
    fc.record({ kind: fc.constant('remove' as const), who: fc.integer({ min: 0, max: 3 }) }),
  );

  it('holds over random sequences of concurrent membership changes', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }), async (steps) => {
      const company = await newCompany(actors[0]);
      for (const step of steps) {
        await settle(step.map((o) => () => t.services.db.transaction(async (tx) => {
          const accountId = actors[o.who].id;
          if (o.kind === 'add') {
            if (await companiesRepo.access(tx, accountId, company.id)) return;
            await companiesRepo.addMembership(tx, { companyId: company.id, accountId, role: o.role, createdAt: t.clock.now() });
          } else if (o.kind === 'role') {
            await changeMembershipRole(tx, company.id, accountId, o.role);
          } else {
            await endMembership(tx, company.id, accountId);
          }
        }).catch((err) => {
          // Two concurrent adds of the same member: the primary key lets one win.
          if (o.kind === 'add' && /duplicate|unique/i.test(String((err as { cause?: unknown }).cause ?? err))) return;
          throw err;
        })));
        const owners = await t.services.db.execute(sql`SELECT count(*)::int AS n FROM memberships WHERE company_id = ${company.id} AND role = 'owner'`);
        expect(Number((owners.rows[0] as { n: number }).n)).toBeGreaterThanOrEqual(1);
      }
    }), { numRuns: onPostgres ? 25 : 10 });
  });

  it('refuses to remove or demote the last owner with last_owner', async () => {
    const company = await newCompany(actors[1]);
    await expect(t.services.db.transaction((tx) => endMembership(tx, company.id, actors[1].id))).rejects.toMatchObject({ code: 'last_owner' });
    await expect(t.services.db.transaction((tx) => changeMembershipRole(tx, company.id, actors[1].id, 'admin'))).rejects.toMatchObject({ code: 'last_owner' });
    await t.services.db.transaction((tx) => companiesRepo.addMembership(tx, { companyId: company.id, accountId: actors[2].id, role: 'owner', createdAt: t.clock.now() }));
    await t.services.db.transaction((tx) => changeMembershipRole(tx, company.id, actors[1].id, 'admin'));
    await expect(t.services.db.transaction((tx) => endMembership(tx, company.id, actors[2].id))).rejects.toMatchObject({
      code: 'last_owner', message: 'A Company needs at least one owner. Make someone else owner first.',
    });
  });

  // Issue 10 (Stryker, ownership.ts): the primitives check the Company themselves, under its
  // lock, and say what is missing: the Company (unknown or deleted) or the member.
  it('the owner rule\'s primitives refuse an unknown or deleted Company and a non-member with not_found, naming which', async () => {
    const gone = (what: string) => ({ code: 'not_found', message: `${what} does not exist or you cannot see it.` });
    const run = (fn: (tx: Tx) => Promise<unknown>) => t.services.db.transaction(fn);
    const primitives = [endMembership, ensureAnotherOwner, (tx: Tx, c: string, a: string) => changeMembershipRole(tx, c, a, 'admin')];
    const company = await newCompany(actors[1]);
    await expect(run((tx) => endMembership(tx, company.id, actors[3].id))).rejects.toMatchObject(gone('This member'));
    await expect(run((tx) => changeMembershipRole(tx, company.id, actors[3].id, 'admin'))).rejects.toMatchObject(gone('This member'));
    // The only owner may be set to owner (nothing changes): the rule is about the owners left.
    await expect(run((tx) => changeMembershipRole(tx, company.id, actors[1].id, 'owner'))).resolves.toBe('owner');
    for (const fn of primitives) {
      await expect(run((tx) => fn(tx, 'co_unknown', actors[1].id))).rejects.toMatchObject(gone('This Company'));
    }
    await deleteCompany(t.services, actors[1], company.id, {});
    // Deleted: the Company is refused before the membership (gone with it) or the owner count is read.
    for (const fn of primitives) {
      await expect(run((tx) => fn(tx, company.id, actors[1].id))).rejects.toMatchObject(gone('This Company'));
    }
  });
});

describe('every App has exactly one owner', () => {
  type Op =
    | { kind: 'company'; who: number }
    | { kind: 'book'; who: number; company: number; plan: 0 | 1 }
    | { kind: 'trial'; who: number }
    | { kind: 'deleteApp'; who: number; app: number }
    | { kind: 'scale'; who: number; app: number }
    | { kind: 'deleteCompany'; who: number; company: number };
  const who = fc.integer({ min: 0, max: 3 });
  const index = fc.nat({ max: 5 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('company' as const), who }),
    fc.record({ kind: fc.constant('book' as const), who, company: index, plan: fc.constantFrom(0 as const, 1 as const) }),
    fc.record({ kind: fc.constant('trial' as const), who }),
    fc.record({ kind: fc.constant('deleteApp' as const), who, app: index }),
    fc.record({ kind: fc.constant('scale' as const), who, app: index }),
    fc.record({ kind: fc.constant('deleteCompany' as const), who, company: index }),
  );

  async function checkInvariants() {
    const q = async (query: ReturnType<typeof sql>) => (await t.services.db.execute(query)).rows;
    // A trial App belongs to its creator only; any other live App to one live Company and one of that Company's contacts.
    expect(await q(sql`
      SELECT a.name FROM apps a LEFT JOIN companies c ON c.id = a.company_id LEFT JOIN billing_contacts bc ON bc.id = a.billing_contact_id
      WHERE a.status <> 'deleted' AND NOT (
        (a.status = 'trial' AND a.company_id IS NULL AND a.billing_contact_id IS NULL AND a.trial_account_id IS NOT NULL)
        OR (a.status <> 'trial' AND c.deleted_at IS NULL AND c.id IS NOT NULL AND bc.company_id = a.company_id))`)).toEqual([]);
    // One trial per Account; one open billing period per live paid App and none otherwise.
    expect(await q(sql`SELECT trial_account_id FROM apps WHERE status = 'trial' GROUP BY trial_account_id HAVING count(*) > 1`)).toEqual([]);
    expect(await q(sql`
      SELECT a.name FROM apps a WHERE (SELECT count(*) FROM billing_periods bp WHERE bp.app_id = a.id AND bp.to_day IS NULL)
        <> CASE WHEN a.status IN ('active', 'suspended') THEN 1 ELSE 0 END`)).toEqual([]);
    // Every live App holds its name.
    expect(await q(sql`
      SELECT a.name FROM apps a LEFT JOIN app_names n ON n.name = a.name AND n.app_id = a.id AND n.released_at IS NULL
      WHERE a.status <> 'deleted' AND n.name IS NULL`)).toEqual([]);
  }

  it('holds over random sequences of concurrent bookings, trials, scaling and deletions', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }), async (steps) => {
      const companies: { id: string; contactId: string }[] = [];
      const apps: string[] = [];
      for (const step of steps) {
        await settle(step.map((o) => async () => {
          const actor = actors[o.who];
          switch (o.kind) {
            case 'company': companies.push(await newCompany(actor)); return;
            case 'book': {
              const c = companies[o.company % Math.max(1, companies.length)];
              if (!c) return;
              const app = await bookApp(t.services, actor, { name: uniqueAppName('p'), region: 'eu1', companyId: c.id, billingContactId: c.contactId, plan: o.plan ? MEDIUM_PLAN : SMALL_PLAN });
              // No Company here requires cost approval, so a booking is always made (issue 17).
              if ('costRequest' in app) throw new Error('unexpected cost request');
              apps.push(app.name);
              return;
            }
            case 'trial': apps.push((await createTrialApp(t.services, actor, { name: uniqueAppName('p'), region: 'eu1' })).name); return;
            case 'deleteApp': if (apps.length) await deleteApp(t.services, actor, apps[o.app % apps.length]); return;
            case 'scale': if (apps.length) await scaleApp(t.services, actor, apps[o.app % apps.length], { plan: MEDIUM_PLAN }); return;
            case 'deleteCompany': if (companies.length) await deleteCompany(t.services, actor, companies[o.company % companies.length].id, {}); return;
          }
        }));
        await checkInvariants();
      }
      // Leave no trial behind, so the next run starts with free trial slots.
      await t.services.db.execute(sql`UPDATE apps SET status = 'deleted', deleted_at = now() WHERE status = 'trial'`);
    }), { numRuns: onPostgres ? 20 : 8 });
  });
});
