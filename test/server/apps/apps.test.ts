import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { addMember, bookApp, createCompany, createTrial, MEDIUM_PLAN, SMALL_PLAN, uniqueAppName, type CompanyFixture } from '../../harness/factories.js';
import { createTrialApp } from '../../../src/server/modules/apps/createApp.js';
import { addDays, dayOf } from '../../../src/server/shared/clock.js';

let t: TestApp;
let owner: SignedIn, admin: SignedIn, collab: SignedIn, accountant: SignedIn, outsider: SignedIn;
let company: CompanyFixture;
beforeAll(async () => {
  t = await createTestApp();
  [owner, admin, collab, accountant, outsider] = await Promise.all([
    signUpVerified(t), signUpVerified(t), signUpVerified(t), signUpVerified(t), signUpVerified(t),
  ]);
  company = await createCompany(t, owner);
  await addMember(t, company.id, admin, 'admin');
  await addMember(t, company.id, collab, 'collaborator');
  await addMember(t, company.id, accountant, 'accountant');
});
afterAll(async () => { await t?.close(); });

async function appCount(): Promise<number> {
  const res = await t.services.db.execute(sql`SELECT count(*)::int AS n FROM apps`);
  return Number((res.rows[0] as { n: number }).n);
}
async function periods(name: string) {
  const res = await t.services.db.execute(sql`
    SELECT bp.from_day::text AS from_day, bp.to_day::text AS to_day, bp.monthly_price_cents, bp.currency FROM billing_periods bp
    JOIN apps a ON a.id = bp.app_id WHERE a.name = ${name} ORDER BY bp.id`);
  return res.rows as { from_day: string; to_day: string | null; monthly_price_cents: number; currency: string }[];
}
const book = (who: SignedIn, body: Record<string, unknown>) =>
  as(t, who).post('/api/v1/apps', { name: uniqueAppName(), region: 'eu1', companyId: company.id, billingContactId: company.contactId, plan: SMALL_PLAN, ...body });

describe('trial Apps', () => {
  it('creates one free trial App per Account that ends after TRIAL_PERIOD', async () => {
    const dev = await signUpVerified(t);
    const name = uniqueAppName('trial');
    const res = await as(t, dev).post('/api/v1/apps', { name, region: 'us1', trial: true });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ name, status: 'trial', company: null, access: 'trial', region: 'us1', monthlyPrice: { amount: 0 }, billingContact: null });
    // The test clock is frozen (issue 10): the end is exactly 7 days from now.
    expect(new Date(body.trialEndsAt).getTime() - t.clock.now().getTime()).toBe(7 * 86_400_000);
    const second = await as(t, dev).post('/api/v1/apps', { name: uniqueAppName('trial'), region: 'eu1', trial: true });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('trial_limit');
    expect((await periods(name))).toEqual([]);
    // Visible to its creator only.
    expect((await as(t, outsider).get(`/api/v1/apps/${name}`)).statusCode).toBe(404);
    expect((await as(t, dev).get('/api/v1/apps')).json().items).toEqual([expect.objectContaining({ name, access: 'trial', company: null, trialEndsAt: body.trialEndsAt })]);
    // Deleting it frees the trial slot.
    expect((await as(t, dev).delete(`/api/v1/apps/${name}`)).statusCode).toBe(204);
    expect((await as(t, dev).post('/api/v1/apps', { name: uniqueAppName('trial'), region: 'eu1', trial: true })).statusCode).toBe(201);
  });

  it('lets the creator do everything with it except leave the trial plan', async () => {
    const dev = await signUpVerified(t);
    const name = await createTrial(t, dev);
    expect((await as(t, dev).patch(`/api/v1/apps/${name}`, { notes: 'for the bakery' })).json().notes).toBe('for the bakery');
    expect((await as(t, dev).put(`/api/v1/apps/${name}/env`, { vars: { DEBUG: '1' } })).json()).toEqual({ vars: { DEBUG: '1' } });
    const scale = await as(t, dev).put(`/api/v1/apps/${name}/plan`, { plan: MEDIUM_PLAN });
    expect(scale.statusCode).toBe(409);
    expect(scale.json().code).toBe('app_is_trial');
    for (const call of [as(t, outsider).patch(`/api/v1/apps/${name}`, { notes: 'x' }), as(t, outsider).get(`/api/v1/apps/${name}/env`), as(t, outsider).delete(`/api/v1/apps/${name}`)]) {
      expect((await call).statusCode).toBe(404);
    }
  });

  it('needs a verified e-mail address', async () => {
    const actor = { id: outsider.id, email: outsider.email, emailVerified: false, firstName: '', lastName: '', accountType: 'developer' as const, newsletter: false, sessionId: 'x', reauthenticatedAt: null, lastSeenAt: null, twoFactorEnabled: false };
    await expect(createTrialApp(t.services, actor, { name: uniqueAppName(), region: 'eu1' })).rejects.toMatchObject({ code: 'email_not_verified' });
  });
});

describe('App names', () => {
  it('must be lowercase, URL-safe, 3 to 30 characters and not reserved', async () => {
    const before = await appCount();
    for (const name of ['ab', 'a'.repeat(31), 'Shop', 'my shop', '-shop', 'shop-', 'sh--op', 'shöp', 'shop.de', 'www', 'admin', '', 'sh_op']) {
      const res = await as(t, owner).post('/api/v1/apps', { name, region: 'eu1', companyId: company.id, billingContactId: company.contactId, plan: SMALL_PLAN });
      expect(res.statusCode, name).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
    expect(await appCount()).toBe(before);
    expect((await book(owner, { name: 'abc' })).statusCode).toBe(201);
    expect((await book(owner, { name: 'a'.repeat(30) })).statusCode).toBe(201);
    expect((await book(owner, { name: 'shop-2024' })).statusCode).toBe(201);
  });

  it('are globally unique, reserved for 7 days after deletion, then reusable', async () => {
    const name = uniqueAppName();
    expect((await book(owner, { name })).statusCode).toBe(201);
    const dev = await signUpVerified(t);
    const taken = await as(t, dev).post('/api/v1/apps', { name, region: 'eu1', trial: true });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('app_name_taken');
    expect((await as(t, owner).delete(`/api/v1/apps/${name}`)).statusCode).toBe(204);
    expect((await as(t, dev).post('/api/v1/apps', { name, region: 'eu1', trial: true })).json().code).toBe('app_name_taken');
    try {
      t.clock.advance(6 * 86_400_000);
      expect((await as(t, dev).post('/api/v1/apps', { name, region: 'eu1', trial: true })).json().code).toBe('app_name_taken');
      t.clock.advance(86_400_000 + 60_000);
      expect((await as(t, dev).post('/api/v1/apps', { name, region: 'eu1', trial: true })).statusCode).toBe(201);
    } finally {
      t.clock.reset();
    }
  });
});

describe('booking an App for a Company', () => {
  it('lets owners and admins book on a billing contact of that Company; billing starts today', async () => {
    const res = await book(admin, {});
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'active', company: { id: company.id, name: company.name }, access: 'admin', monthlyPrice: { amount: 1600, currency: 'EUR' }, plan: SMALL_PLAN });
    expect(res.json().trialEndsAt).toBeUndefined();
    expect(await periods(res.json().name)).toEqual([{ from_day: dayOf(t.clock.now()), to_day: null, monthly_price_cents: 1600, currency: 'EUR' }]);
    expect((await book(owner, {})).statusCode).toBe(201);
    for (const who of [collab, accountant]) {
      const refused = await book(who, {});
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('forbidden');
    }
    expect((await book(outsider, {})).statusCode).toBe(404);
  });

  it('prices in the contact currency', async () => {
    const usd = await createCompany(t, owner, { currency: 'USD' });
    const name = await bookApp(t, owner, usd, { plan: MEDIUM_PLAN });
    expect((await as(t, owner).get(`/api/v1/apps/${name}`)).json().monthlyPrice).toEqual({ amount: 2100 + 1700 + 900, currency: 'USD' });
  });

  it('refuses bad input with 4xx and creates nothing', async () => {
    const otherCompany = await createCompany(t, outsider);
    const before = await appCount();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ billingContactId: otherCompany.contactId }, 400, 'validation_failed'],
      [{ billingContactId: 'bc_nope' }, 400, 'validation_failed'],
      [{ companyId: otherCompany.id }, 404, 'not_found'],
      [{ plan: { php: 'php-s', database: 'db-s' } }, 400, 'validation_failed'],
      [{ plan: { ...SMALL_PLAN, php: 'php-huge' } }, 400, 'validation_failed'],
      [{ plan: { ...SMALL_PLAN, gpu: 'big' } }, 400, 'validation_failed'],
      [{ plan: 'small' }, 400, 'validation_failed'],
      [{ region: 'mars1' }, 400, 'validation_failed'],
      [{ trial: true }, 400, 'validation_failed'],
      [{ status: 'active' }, 400, 'validation_failed'],
      [{ companyId: undefined }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const res = await book(owner, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().code).toBe(code);
    }
    expect((await as(t, owner).post('/api/v1/apps', { name: uniqueAppName(), region: 'eu1', trial: false })).statusCode).toBe(400);
    expect((await as(t, owner).post('/api/v1/apps', {})).statusCode).toBe(400);
    expect(await appCount()).toBe(before);
  });
});

describe('my Apps', () => {
  it('lists my trial first, then all Apps where I am owner or admin and Apps assigned to me, by Company and name; paged', async () => {
    const c = await createCompany(t, owner);
    const a1 = await bookApp(t, owner, c, { name: `aa-${uniqueAppName()}` });
    const a2 = await bookApp(t, owner, c, { name: `ab-${uniqueAppName()}` });
    const member = await signUpVerified(t);
    await addMember(t, c.id, member, 'collaborator', [a2]);
    const trial = await createTrial(t, member, `zz-${uniqueAppName()}`);
    const items = (await as(t, member).get('/api/v1/apps')).json().items;
    expect(items.map((i: { name: string }) => i.name)).toEqual([trial, a2]);
    expect(items[1]).toMatchObject({ access: 'collaborator', company: { id: c.id } });
    const acc = await signUpVerified(t);
    await addMember(t, c.id, acc, 'accountant');
    expect((await as(t, acc).get('/api/v1/apps')).json().items).toEqual([]);
    const ofCompany = (await as(t, owner).get(`/api/v1/apps?companyId=${c.id}`)).json().items;
    expect(ofCompany.map((i: { name: string }) => i.name)).toEqual([a1, a2]);
    expect((await as(t, member).get(`/api/v1/apps?companyId=${c.id}`)).json().items.map((i: { name: string }) => i.name)).toEqual([a2]);
    expect((await as(t, outsider).get(`/api/v1/apps?companyId=${c.id}`)).json().items).toEqual([]);
    expect((await as(t, owner).get('/api/v1/apps?status=trial')).statusCode).toBe(400);

    // Walking page by page (sizes 1 and 2) yields exactly the full list, in the same order, without repeats.
    for (const who of [owner, member]) {
      const all = (await as(t, who).get('/api/v1/apps')).json();
      expect(all.nextCursor).toBeNull();
      for (const size of [1, 2]) {
        const walked: string[] = [];
        let cursor: string | null = null;
        do {
          const page: { items: { name: string }[]; nextCursor: string | null } = (await as(t, who).get(`/api/v1/apps?limit=${size}${cursor ? `&cursor=${cursor}` : ''}`)).json();
          expect(page.items.length).toBeLessThanOrEqual(size);
          walked.push(...page.items.map((i: { name: string }) => i.name));
          cursor = page.nextCursor;
        } while (cursor);
        expect(walked).toEqual(all.items.map((i: { name: string }) => i.name));
      }
    }
    const ownerNames = (await as(t, owner).get('/api/v1/apps')).json().items.map((i: { name: string }) => i.name);
    expect(ownerNames).toEqual(expect.arrayContaining([a1, a2]));
    expect(ownerNames.indexOf(a2)).toBe(ownerNames.indexOf(a1) + 1);
    // A cursor we did not issue reads from the start instead of failing.
    expect((await as(t, owner).get('/api/v1/apps?cursor=bm9uc2Vuc2U')).statusCode).toBe(200);
  });
});

describe('App settings', () => {
  it('lets assigned collaborators change notes and environment variables, not others', async () => {
    const name = await bookApp(t, owner, company);
    const assigned = await signUpVerified(t);
    await addMember(t, company.id, assigned, 'collaborator', [name]);
    expect((await as(t, assigned).patch(`/api/v1/apps/${name}`, { notes: 'Deploys on Fridays' })).json().notes).toBe('Deploys on Fridays');
    expect((await as(t, assigned).get(`/api/v1/apps/${name}`)).json()).toMatchObject({ access: 'collaborator', notes: 'Deploys on Fridays' });
    for (const who of [collab, accountant]) {
      expect((await as(t, who).patch(`/api/v1/apps/${name}`, { notes: 'x' })).statusCode).toBe(403);
      expect((await as(t, who).get(`/api/v1/apps/${name}/env`)).statusCode).toBe(403);
      expect((await as(t, who).get(`/api/v1/apps/${name}`)).statusCode).toBe(403);
    }
    expect((await as(t, outsider).patch(`/api/v1/apps/${name}`, { notes: 'x' })).statusCode).toBe(404);
    expect((await as(t, owner).patch(`/api/v1/apps/${name}`, { notes: 'x'.repeat(10_001) })).statusCode).toBe(400);
    expect((await as(t, owner).patch(`/api/v1/apps/${name}`, { name: 'renamed' })).statusCode).toBe(400);
    expect((await as(t, owner).get(`/api/v1/apps/${name}`)).json().notes).toBe('Deploys on Fridays');
  });

  it('checks environment variables: names, 4 kB values, 100 variables', async () => {
    const name = await bookApp(t, owner, company);
    const url = `/api/v1/apps/${name}/env`;
    const hundred = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`VAR_${i}`, 'v'.repeat(4096)]));
    const ok = await as(t, owner).put(url, { vars: hundred });
    expect(ok.statusCode).toBe(200);
    expect(Object.keys(ok.json().vars)).toHaveLength(100);
    const bad: Record<string, unknown>[] = [
      { vars: { ...hundred, ONE_MORE: 'x' } }, { vars: { lower: 'x' } }, { vars: { '1ABC': 'x' } }, { vars: { 'A-B': 'x' } },
      { vars: { BIG: 'v'.repeat(4097) } }, { vars: { EMOJI: '€'.repeat(1366) } }, { vars: { N: 1 } }, { vars: [] }, { vars: {}, extra: 1 }, {},
    ];
    for (const body of bad) {
      const res = await as(t, owner).put(url, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
    expect(Object.keys((await as(t, owner).get(url)).json().vars)).toHaveLength(100);
    expect((await as(t, owner).put(url, { vars: { _UNDERSCORE: '', A1: 'ü' } })).json()).toEqual({ vars: { A1: 'ü', _UNDERSCORE: '' } });
  });
});

describe('scaling and deleting', () => {
  it('closes the billing period today and opens the next from tomorrow; scaling again the same day replaces the next one', async () => {
    const name = await bookApp(t, owner, company);
    const today = dayOf(t.clock.now());
    const tomorrow = addDays(today, 1);
    const res = await as(t, admin).put(`/api/v1/apps/${name}/plan`, { plan: MEDIUM_PLAN });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ plan: MEDIUM_PLAN, monthlyPrice: { amount: 1900 + 1500 + 800, currency: 'EUR' } });
    expect(await periods(name)).toEqual([
      { from_day: today, to_day: today, monthly_price_cents: 1600, currency: 'EUR' },
      { from_day: tomorrow, to_day: null, monthly_price_cents: 4200, currency: 'EUR' },
    ]);
    const big = { php: 'php-xl', database: 'db-l', storage: 'storage-200' };
    expect((await as(t, owner).put(`/api/v1/apps/${name}/plan`, { plan: big })).statusCode).toBe(200);
    expect((await periods(name)).map((p) => [p.from_day, p.to_day, p.monthly_price_cents])).toEqual([[today, today, 1600], [tomorrow, null, 7900 + 4500 + 2500]]);
    // The same plan again changes nothing.
    expect((await as(t, owner).put(`/api/v1/apps/${name}/plan`, { plan: big })).statusCode).toBe(200);
    expect(await periods(name)).toHaveLength(2);
    // The next day, deletion ends billing that day.
    t.clock.advance(86_400_000 * 3);
    try {
      expect((await as(t, owner).delete(`/api/v1/apps/${name}`)).statusCode).toBe(204);
      expect((await periods(name))[1].to_day).toBe(addDays(today, 3));
    } finally {
      t.clock.reset();
    }
    const events = (await as(t, owner).get(`/api/v1/companies/${company.id}/activity?limit=10`)).json().items.filter((e: { appName?: string }) => e.appName === name);
    expect(events.map((e: { action: string }) => e.action)).toEqual(['app.deleted', 'app.scaled', 'app.scaled', 'app.booked']);
    expect(events[2].details).toMatchObject({ before: { monthlyPrice: { amount: 1600 } }, after: { monthlyPrice: { amount: 4200 } } });
  });

  it('booked, scaled and deleted on the same day: billed for that one day at the booked price, nothing after', async () => {
    const name = await bookApp(t, owner, company);
    const today = dayOf(t.clock.now());
    expect((await as(t, owner).put(`/api/v1/apps/${name}/plan`, { plan: MEDIUM_PLAN })).statusCode).toBe(200);
    expect((await as(t, owner).delete(`/api/v1/apps/${name}`)).statusCode).toBe(204);
    expect(await periods(name)).toEqual([{ from_day: today, to_day: today, monthly_price_cents: 1600, currency: 'EUR' }]);
  });

  it('lets only owners and admins scale and delete; bad plans are refused', async () => {
    const name = await bookApp(t, owner, company);
    await addMember(t, company.id, await signUpVerified(t), 'collaborator', [name]);
    for (const who of [collab, accountant]) {
      expect((await as(t, who).put(`/api/v1/apps/${name}/plan`, { plan: MEDIUM_PLAN })).statusCode).toBe(403);
      expect((await as(t, who).delete(`/api/v1/apps/${name}`)).statusCode).toBe(403);
    }
    expect((await as(t, outsider).put(`/api/v1/apps/${name}/plan`, { plan: MEDIUM_PLAN })).statusCode).toBe(404);
    for (const body of [{ plan: { php: 'php-m' } }, { plan: MEDIUM_PLAN, extra: true }, {}]) {
      expect((await as(t, owner).put(`/api/v1/apps/${name}/plan`, body)).statusCode).toBe(400);
    }
    expect(await periods(name)).toHaveLength(1);
    const handover = await as(t, owner).post(`/api/v1/apps/${name}/client-invitations`, { email: 'client@example.com', plan: MEDIUM_PLAN });
    expect(handover.statusCode).toBe(201);
    expect((await as(t, admin).delete(`/api/v1/apps/${name}`)).statusCode).toBe(204);
    // The open handover dies with the App.
    const states = await t.services.db.execute(sql`SELECT state FROM invitations WHERE id = ${handover.json().id}`);
    expect(states.rows).toEqual([{ state: 'revoked' }]);
    expect((await as(t, admin).delete(`/api/v1/apps/${name}`)).statusCode).toBe(404);
    expect((await as(t, admin).get(`/api/v1/apps/${name}`)).statusCode).toBe(404);
  });
});
