import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityEvents, apps, memberships } from '../../../src/server/db/schema.js';
import { addMember, bookApp, createCompany } from '../../harness/factories.js';
import { onPostgres } from '../../harness/testDb.js';
import { as, createTestApp, signUpVerified, type TestApp } from '../../harness/testApp.js';

// Races need real parallel connections: PostgreSQL only.
describe.runIf(onPostgres)('team races (issue 5, PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t?.close(); });

  it('two owners of a two-owner Company leave at once, 100 times: never zero owners', async () => {
    const a = await signUpVerified(t, { firstName: 'Owner', lastName: 'A' });
    const b = await signUpVerified(t, { firstName: 'Owner', lastName: 'B' });
    for (let i = 0; i < 100; i++) {
      const co = await createCompany(t, a, { name: `Race ${i}` });
      await addMember(t, co.id, b, 'owner');
      const [ra, rb] = await Promise.all([
        as(t, a).post(`/api/v1/companies/${co.id}/leave`, { confirm: co.name }),
        as(t, b).post(`/api/v1/companies/${co.id}/leave`, { confirm: co.name }),
      ]);
      const codes = [ra.statusCode, rb.statusCode].sort();
      expect(codes).toEqual([204, 409]);
      const owners = await t.services.db.select().from(memberships).where(and(eq(memberships.companyId, co.id), eq(memberships.role, 'owner')));
      expect(owners).toHaveLength(1);
    }
  }, 120_000);

  it('an owner dismisses an admin while the admin changes a setting: the change comes before the dismissal, or is refused', async () => {
    const owner = await signUpVerified(t, { firstName: 'Dis', lastName: 'Misser' });
    const co = await createCompany(t, owner);
    const app = await bookApp(t, owner, co);
    for (let i = 0; i < 25; i++) {
      const admin = await signUpVerified(t);
      await addMember(t, co.id, admin, 'admin');
      const [change, dismiss] = await Promise.all([
        as(t, admin).put(`/api/v1/apps/${app}/env`, { vars: { RACE: String(i) } }),
        as(t, owner).delete(`/api/v1/companies/${co.id}/members/${admin.id}`),
      ]);
      expect(dismiss.statusCode).toBe(204);
      expect([200, 404]).toContain(change.statusCode);
      const events = await t.services.db.select().from(activityEvents)
        .where(and(eq(activityEvents.companyId, co.id), sql`(details->>'accountId' = ${admin.id} AND action = 'member.removed') OR (actor_id = ${admin.id} AND outcome = 'ok')`));
      const removed = events.find((e) => e.action === 'member.removed')!;
      const changed = events.find((e) => e.actorId === admin.id && e.action !== 'member.removed');
      if (change.statusCode === 200) {
        expect(changed).toBeDefined();
        expect(changed!.id).toBeLessThan(removed.id);
      } else {
        expect(changed).toBeUndefined();
      }
    }
  }, 120_000);

  it('the same App moved to two Companies at once: exactly one moves it out of its Company', async () => {
    const owner = await signUpVerified(t, { firstName: 'Two', lastName: 'Way' });
    const src = await createCompany(t, owner);
    const x = await createCompany(t, owner);
    const y = await createCompany(t, owner);
    for (let i = 0; i < 10; i++) {
      const app = await bookApp(t, owner, src);
      const [rx, ry] = await Promise.all([
        as(t, owner).post(`/api/v1/apps/${app}/transfer`, { toCompanyId: x.id, billingContactId: x.contactId }),
        as(t, owner).post(`/api/v1/apps/${app}/transfer`, { toCompanyId: y.id, billingContactId: y.contactId }),
      ]);
      const [row] = await t.services.db.select().from(apps).where(eq(apps.name, app));
      const moves = await t.services.db.select().from(activityEvents)
        .where(and(eq(activityEvents.appId, row.id), eq(activityEvents.action, 'app.transferred_out'))).orderBy(activityEvents.id);
      const from = moves.map((e) => (e.details as { from: { companyId: string } }).from.companyId);
      const to = moves.map((e) => (e.details as { to: { companyId: string } }).to.companyId);
      const wins = [rx.statusCode, ry.statusCode].filter((c) => c === 200).length;
      if (wins === 1) {
        // They overlapped: the one that locked second found the App moved and was refused.
        expect([rx.statusCode, ry.statusCode].sort()).toEqual([200, 409]);
        expect(row.companyId).toBe(rx.statusCode === 200 ? x.id : y.id);
        expect(from).toEqual([src.id]);
      } else {
        // Under load the second request may start only after the first committed: then it is
        // a second, later move of the App from where it is now, never a second move out of src.
        expect(wins).toBe(2);
        expect(from[0]).toBe(src.id);
        expect(from[1]).toBe(to[0]);
        expect(row.companyId).toBe(to[1]);
      }
      const open = await t.services.db.execute(sql`SELECT count(*)::int AS n FROM billing_periods WHERE app_id = ${row.id} AND to_day IS NULL`);
      expect((open.rows[0] as { n: number }).n).toBe(1);
    }
  }, 60_000);
});
