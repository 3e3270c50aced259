import { and, eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitations, memberships } from '../../../src/server/db/schema.js';
import { hashToken } from '../../../src/server/shared/ids.js';
import { addMember, bookApp, cardToken, createCompany, MEDIUM_PLAN, type CompanyFixture } from '../../harness/factories.js';
import { acceptWithNewCompany, inviteClient, signUpClient } from '../../harness/handover.js';
import { latestTeamToken } from '../../harness/team.js';
import { onPostgres } from '../../harness/testDb.js';
import { as, createTestApp, signUpVerified, uniqueEmail, type SignedIn, type TestApp } from '../../harness/testApp.js';

// Races need real parallel connections: PostgreSQL only (PGlite serialises every query).
describe.runIf(onPostgres)('issue 9: races under one lock order (PostgreSQL)', () => {
  let t: TestApp;
  let owner: SignedIn;
  let src: CompanyFixture;
  let other: CompanyFixture;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUpVerified(t, { firstName: 'Olga', lastName: 'Owner' });
    src = await createCompany(t, owner, { name: 'Source Ltd' });
    other = await createCompany(t, owner, { name: 'Other Ltd' });
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  /** Apps offered to clients who signed up from the link; each client accepts into a new Company. */
  async function offer(n: number) {
    const list: { app: string; id: string; token: string; client: SignedIn; card: string }[] = [];
    for (let i = 0; i < n; i++) {
      const app = await bookApp(t, owner, src);
      const email = uniqueEmail('client');
      const { invitation, token } = await inviteClient(t, owner, app, email, MEDIUM_PLAN);
      list.push({ app, id: invitation.id, token, client: await signUpClient(t, token, email), card: await cardToken(t) });
    }
    return list;
  }

  const accept = (o: Awaited<ReturnType<typeof offer>>[number]) => acceptWithNewCompany(t, o.client, o.token, `Client of ${o.app}`, o.card);

  type OwnerOp = (o: { app: string; id: string }) => Promise<LightMyRequestResponse>;
  const ownerOps: Record<string, OwnerOp> = {
    'delete the App': (o) => as(t, owner).delete(`/api/v1/apps/${o.app}`),
    'transfer the App': (o) => as(t, owner).post(`/api/v1/apps/${o.app}/transfer`, { toCompanyId: other.id, billingContactId: other.contactId }),
    'resend the invitation': (o) => as(t, owner).post(`/api/v1/apps/${o.app}/client-invitations/${o.id}/resend`),
    'revoke the invitation': (o) => as(t, owner).delete(`/api/v1/apps/${o.app}/client-invitations/${o.id}`),
  };

  for (const [label, op] of Object.entries(ownerOps)) {
    it(`accepts racing "${label}": never a 500, one side wins, the App is in one place`, async () => {
      const rounds = 3;
      const codes: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const offers = await offer(8);
        const results = await Promise.all(offers.flatMap((o) => [
          accept(o),
          op(o),
        ]));
        codes.push(...results.map((x) => x.statusCode));
        for (const [i, o] of offers.entries()) {
          const accept = results[2 * i];
          const mine = results[2 * i + 1];
          expect(accept.statusCode, accept.body).not.toBe(500);
          expect(mine.statusCode, mine.body).not.toBe(500);
          const [row] = (await t.services.db.execute(sql`SELECT company_id, status FROM apps WHERE name = ${o.app}`)).rows as { company_id: string; status: string }[];
          const [inv] = await t.services.db.select().from(invitations).where(eq(invitations.id, o.id));
          if (accept.statusCode === 200) {
            expect(row.company_id).toBe(accept.json().company.id);
            expect(inv.state).toBe('accepted');
            // The accepted invitation is the one whose link was used (issue 9, defect 2).
            expect(inv.tokenHash).toBe(hashToken(o.token));
          } else {
            expect(accept.json().code).toMatch(/^(invitation_invalid|conflict)$/);
            expect(row.company_id === src.id || row.company_id === other.id, `${accept.body} ${mine.body}`).toBe(true);
          }
        }
      }
      expect(codes.filter((c) => c >= 500)).toEqual([]);
    }, 120_000);
  }

  it('a resend racing an accept with the old link: the old link never wins after the resend (defect 2)', async () => {
    for (let r = 0; r < 3; r++) {
      const offers = await offer(8);
      const results = await Promise.all(offers.flatMap((o) => [
        accept(o),
        as(t, owner).post(`/api/v1/apps/${o.app}/client-invitations/${o.id}/resend`),
      ]));
      for (const [i, o] of offers.entries()) {
        const [accept, resend] = [results[2 * i], results[2 * i + 1]];
        expect([accept.statusCode, resend.statusCode].filter((c) => c === 200), `${accept.body} ${resend.body}`).toHaveLength(1);
        const [inv] = await t.services.db.select().from(invitations).where(eq(invitations.id, o.id));
        if (accept.statusCode === 200) expect(inv.tokenHash).toBe(hashToken(o.token));
        else expect(inv.tokenHash).not.toBe(hashToken(o.token));
      }
    }
  }, 120_000);

  it('a team invitation resent while the old link is accepted: exactly one of them wins (defect 2)', async () => {
    for (let r = 0; r < 12; r++) {
      const email = uniqueEmail('team');
      const invite = await as(t, owner).post(`/api/v1/companies/${src.id}/invitations`, { email, role: 'admin' });
      expect(invite.statusCode).toBe(201);
      const token = await latestTeamToken(t, email);
      const member = await signUpVerified(t, { email });
      const [accept, resend] = await Promise.all([
        as(t, member).post('/api/v1/invitations/accept', { token }),
        as(t, owner).post(`/api/v1/companies/${src.id}/invitations/${invite.json().id}/resend`),
      ]);
      expect([accept.statusCode, resend.statusCode].filter((c) => c === 200), `${accept.body} ${resend.body}`).toHaveLength(1);
      const [inv] = await t.services.db.select().from(invitations).where(eq(invitations.id, invite.json().id));
      expect(inv.state === 'accepted').toBe(accept.statusCode === 200);
      if (accept.statusCode === 200) expect(inv.tokenHash).toBe(hashToken(token));
    }
  }, 120_000);

  it('two owners removing (or demoting) each other at once: exactly one wins (defect 3)', async () => {
    const x = await signUpVerified(t, { firstName: 'Xavier', lastName: 'Owner' });
    const y = await signUpVerified(t, { firstName: 'Yvonne', lastName: 'Owner' });
    const z = await signUpVerified(t, { firstName: 'Zoe', lastName: 'Owner' });
    let both = 0;
    for (let i = 0; i < 30; i++) {
      // A third owner, so the last-owner rule does not decide the race.
      const co = await createCompany(t, x, { name: `Mutual ${i}` });
      await addMember(t, co.id, y, 'owner');
      await addMember(t, co.id, z, 'owner');
      const demote = i % 2 === 1;
      const [rx, ry] = await Promise.all(demote
        ? [as(t, x).patch(`/api/v1/companies/${co.id}/members/${y.id}`, { role: 'admin' }), as(t, y).patch(`/api/v1/companies/${co.id}/members/${x.id}`, { role: 'admin' })]
        : [as(t, x).delete(`/api/v1/companies/${co.id}/members/${y.id}`), as(t, y).delete(`/api/v1/companies/${co.id}/members/${x.id}`)]);
      const ok = [rx, ry].filter((r) => r.statusCode < 300);
      if (ok.length === 2) both++;
      expect(ok, `${rx.statusCode} ${rx.body} / ${ry.statusCode} ${ry.body}`).toHaveLength(1);
      expect([rx, ry].every((r) => r.statusCode < 500)).toBe(true);
      const owners = await t.services.db.select().from(memberships).where(and(eq(memberships.companyId, co.id), eq(memberships.role, 'owner')));
      expect(owners).toHaveLength(2);
      const loser = [rx, ry].find((r) => r.statusCode >= 300)!;
      expect(loser.json().code).toMatch(/^(not_found|forbidden)$/);
    }
    expect(both).toBe(0);
  }, 120_000);

  it('a re-invite racing an accept never leaves a member with a pending invitation (defect 4)', async () => {
    for (let i = 0; i < 20; i++) {
      const email = uniqueEmail('reinvite');
      const first = await as(t, owner).post(`/api/v1/companies/${src.id}/invitations`, { email, role: 'admin' });
      expect(first.statusCode).toBe(201);
      const token = await latestTeamToken(t, email);
      const member = await signUpVerified(t, { email });
      const [accept, reinvite] = await Promise.all([
        as(t, member).post('/api/v1/invitations/accept', { token }),
        as(t, owner).post(`/api/v1/companies/${src.id}/invitations`, { email, role: 'accountant' }),
      ]);
      expect(accept.statusCode).toBeLessThan(500);
      expect(reinvite.statusCode).toBeLessThan(500);
      const isMember = (await t.services.db.select().from(memberships).where(and(eq(memberships.companyId, src.id), eq(memberships.accountId, member.id)))).length === 1;
      const pending = await t.services.db.select().from(invitations).where(and(eq(invitations.companyId, src.id), eq(invitations.email, email), eq(invitations.state, 'pending')));
      if (isMember) expect(pending).toEqual([]);
    }
  }, 120_000);

  it('Company deletion racing a rename and a team accept: never a 500 (defect 1)', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 15; i++) {
      const co = await createCompany(t, owner, { name: `Doomed ${i}` });
      const email = uniqueEmail('doomed');
      expect((await as(t, owner).post(`/api/v1/companies/${co.id}/invitations`, { email, role: 'admin' })).statusCode).toBe(201);
      const token = await latestTeamToken(t, email);
      const member = await signUpVerified(t, { email });
      await bookApp(t, owner, co);
      const results = await Promise.all([
        as(t, owner).delete(`/api/v1/companies/${co.id}`),
        as(t, owner).patch(`/api/v1/companies/${co.id}`, { name: `Renamed ${i}` }),
        as(t, member).post('/api/v1/invitations/accept', { token }),
      ]);
      codes.push(...results.map((r) => r.statusCode));
      for (const r of results) expect(r.statusCode, r.body).toBeLessThan(500);
      expect(results[0].statusCode).toBe(204);
      const left = await t.services.db.select().from(memberships).where(eq(memberships.companyId, co.id));
      expect(left).toEqual([]);
    }
    expect(codes.filter((c) => c >= 500)).toEqual([]);
  }, 120_000);
});
