import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookApp, createCompany, type CompanyFixture } from '../../harness/factories.js';
import { latestTeamToken } from '../../harness/team.js';
import { as, cookiesOf, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 5, property test: random sequences of invite / accept / revoke / role change /
 * dismiss / leave / transfer, by random people, through the HTTP API. After every step:
 * no 500, every live Company has an owner, every live App belongs to exactly one live
 * Company and one of its billing contacts, collaborator Apps only for collaborators, and
 * at most one open invitation per e-mail and Company.
 */
let t: TestApp;
let people: SignedIn[];
beforeAll(async () => {
  t = await createTestApp();
  people = [];
  for (let i = 0; i < 4; i++) people.push(await signUpVerified(t, { firstName: `P${i}`, lastName: 'Person' }));
});
afterAll(async () => { await t?.close(); });

type Cmd =
  | { op: 'invite'; actor: number; company: number; who: number; role: 'owner' | 'admin' | 'collaborator' | 'accountant' }
  | { op: 'accept'; who: number; company: number }
  | { op: 'revoke'; actor: number; company: number }
  | { op: 'role'; actor: number; company: number; who: number; role: 'owner' | 'admin' | 'collaborator' | 'accountant' }
  | { op: 'dismiss'; actor: number; company: number; who: number }
  | { op: 'leave'; who: number; company: number }
  | { op: 'transfer'; actor: number; from: number };

const person = fc.integer({ min: 0, max: 3 });
/** Person 0 owns both Companies at the start; acting as them more often gets past the refusals. */
const actor = fc.oneof(fc.constant(0), person);
const company = fc.integer({ min: 0, max: 1 });
const role = fc.constantFrom('owner' as const, 'admin' as const, 'collaborator' as const, 'accountant' as const);
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ op: fc.constant('invite' as const), actor, company, who: person, role }),
  fc.record({ op: fc.constant('accept' as const), who: person, company }),
  fc.record({ op: fc.constant('revoke' as const), actor, company }),
  fc.record({ op: fc.constant('role' as const), actor, company, who: person, role }),
  fc.record({ op: fc.constant('dismiss' as const), actor, company, who: person }),
  fc.record({ op: fc.constant('leave' as const), who: person, company }),
  fc.record({ op: fc.constant('transfer' as const), actor, from: company }),
);

async function invariants(companyIds: string[]) {
  const db = t.services.db;
  const ids = sql.join(companyIds.map((id) => sql`${id}`), sql`, `);
  const ownerless = await db.execute(sql`SELECT c.id FROM companies c WHERE c.id IN (${ids}) AND c.deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.company_id = c.id AND m.role = 'owner')`);
  expect(ownerless.rows).toEqual([]);
  const strayApps = await db.execute(sql`SELECT a.name FROM apps a LEFT JOIN companies c ON c.id = a.company_id
    LEFT JOIN billing_contacts b ON b.id = a.billing_contact_id
    WHERE a.status = 'active' AND (c.id IS NULL OR c.deleted_at IS NOT NULL OR b.company_id IS DISTINCT FROM a.company_id)`);
  expect(strayApps.rows).toEqual([]);
  const strayAssignments = await db.execute(sql`SELECT ca.account_id FROM collaborator_apps ca
    LEFT JOIN memberships m ON m.company_id = ca.company_id AND m.account_id = ca.account_id
    LEFT JOIN apps a ON a.id = ca.app_id
    WHERE ca.company_id IN (${ids}) AND (m.role IS DISTINCT FROM 'collaborator' OR a.company_id IS DISTINCT FROM ca.company_id)`);
  expect(strayAssignments.rows).toEqual([]);
  const doubleOpen = await db.execute(sql`SELECT company_id, email FROM invitations WHERE kind = 'team' AND state = 'pending'
    GROUP BY company_id, email HAVING count(*) > 1`);
  expect(doubleOpen.rows).toEqual([]);
}

/**
 * A fixed seed (issue 10): the same 15 sequences every run, so "the sequences did real work"
 * below cannot fail by chance under load. PROPERTY_SEED=<n> explores other sequences.
 */
const SEED = Number(process.env.PROPERTY_SEED ?? 20261201);

describe('team invariants over random operation sequences (issue 5)', () => {
  it('hold after every step', async () => {
    let run = 0;
    const succeeded = new Map<string, number>();
    await fc.assert(fc.asyncProperty(fc.array(cmd, { minLength: 4, maxLength: 14 }), async (cmds) => {
      run++;
      const companies: CompanyFixture[] = [
        await createCompany(t, people[0], { name: `Prop A${run}` }),
        await createCompany(t, people[0], { name: `Prop B${run}` }),
      ];
      const apps = [await bookApp(t, people[0], companies[0]), await bookApp(t, people[0], companies[1])];
      const sessions = people.map((p) => ({ ...p }));
      for (const c of cmds) {
        let res;
        const co = companies[c.op === 'transfer' ? c.from : c.company];
        switch (c.op) {
          case 'invite':
            res = await as(t, sessions[c.actor]).post(`/api/v1/companies/${co.id}/invitations`, {
              email: sessions[c.who].email, role: c.role, ...(c.role === 'collaborator' ? { appNames: [apps[c.company]] } : {}),
            });
            break;
          case 'accept': {
            const token = await latestTeamToken(t, sessions[c.who].email).catch(() => null);
            if (!token) continue;
            res = await as(t, sessions[c.who]).post('/api/v1/invitations/accept', { token });
            const cookie = cookiesOf(res).split('; ').filter((x) => x.includes('session_token')).join('; ');
            if (res.statusCode === 200 && cookie) sessions[c.who] = { ...sessions[c.who], cookie };
            break;
          }
          case 'revoke': {
            const list = await as(t, sessions[c.actor]).get(`/api/v1/companies/${co.id}/invitations`);
            const open = list.statusCode === 200 ? list.json().items.find((i: { state: string }) => i.state === 'pending') : null;
            if (!open) continue;
            res = await as(t, sessions[c.actor]).delete(`/api/v1/companies/${co.id}/invitations/${open.id}`);
            break;
          }
          case 'role':
            res = await as(t, sessions[c.actor]).patch(`/api/v1/companies/${co.id}/members/${sessions[c.who].id}`, {
              role: c.role, ...(c.role === 'collaborator' ? { appNames: [apps[c.company]] } : {}),
            });
            break;
          case 'dismiss':
            res = await as(t, sessions[c.actor]).delete(`/api/v1/companies/${co.id}/members/${sessions[c.who].id}`);
            break;
          case 'leave':
            res = await as(t, sessions[c.who]).post(`/api/v1/companies/${co.id}/leave`, { confirm: co.name });
            break;
          case 'transfer': {
            const to = companies[1 - c.from];
            const appName = apps[c.from];
            res = await as(t, sessions[c.actor]).post(`/api/v1/apps/${appName}/transfer`, { toCompanyId: to.id, billingContactId: to.contactId });
            break;
          }
        }
        expect(res.statusCode, `${JSON.stringify(c)} -> ${res.body}`).toBeLessThan(500);
        if (res.statusCode < 300) succeeded.set(c.op, (succeeded.get(c.op) ?? 0) + 1);
        await invariants(companies.map((x) => x.id));
      }
    }), { numRuns: 15, seed: SEED });
    // The sequences did real work, not only refusals.
    expect(succeeded.get('invite') ?? 0).toBeGreaterThan(0);
    expect([...succeeded.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
  }, 180_000);
});
