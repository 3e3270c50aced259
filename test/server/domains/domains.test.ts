import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { activityEvents, appDomains } from '../../../src/server/db/schema.js';
import { appsRepo } from '../../../src/server/modules/apps/repo.js';
import { as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { addMember, bookApp, createCompany, createTrial, type CompanyFixture } from '../../harness/factories.js';
import { startDnsFake, type DnsFake } from '../../harness/dnsFake.js';

/**
 * Issue 17, SPEC 4.13: an App's custom domains over HTTP. Verification asks a small DNS
 * server on loopback (test/harness/dnsFake.ts), named by DNS_RESOLVER.
 */
let t: TestApp;
let dns: DnsFake;
let owner: SignedIn, admin: SignedIn, assigned: SignedIn, unassigned: SignedIn, accountant: SignedIn, outsider: SignedIn;
let company: CompanyFixture;
let app: string, appB: string;
let seq = 0;
const host = (prefix = 'www') => `${prefix}${++seq}.example.com`;

const domains = (name: string) => `/api/v1/apps/${name}/domains`;
const problem = (res: LightMyRequestResponse) => ({ status: res.statusCode, code: res.json().code as string, reason: res.json().errors?.[0]?.reason as string | undefined });

beforeAll(async () => {
  dns = await startDnsFake();
  t = await createTestApp({ env: { DNS_RESOLVER: dns.address, APPS_DOMAIN: 'apps.example.net' } });
  [owner, admin, assigned, unassigned, accountant, outsider] = await Promise.all(Array.from({ length: 6 }, () => signUpVerified(t)));
  company = await createCompany(t, owner);
  app = await bookApp(t, owner, company);
  appB = await bookApp(t, owner, company);
  await addMember(t, company.id, admin, 'admin');
  await addMember(t, company.id, assigned, 'collaborator', [app]);
  await addMember(t, company.id, unassigned, 'collaborator', [appB]);
  await addMember(t, company.id, accountant, 'accountant');
});
afterAll(async () => {
  await t?.close();
  await dns?.close();
});
// Time is frozen and moves only when a test moves it; back to the start after each test (docs/testing.md).
afterEach(() => { t?.clock.reset(); });
beforeEach(() => { dns.mode = 'answer'; });

describe('the web address (SPEC 4.13)', () => {
  it('is https://<name>.<APPS_DOMAIN> on the App, in My Apps and on a new App', async () => {
    const one = await as(t, owner).get(`/api/v1/apps/${app}`);
    expect(one.json().webAddress).toBe(`https://${app}.apps.example.net`);
    const list = await as(t, owner).get(`/api/v1/apps?companyId=${company.id}`);
    expect(list.json().items.map((a: { name: string; webAddress: string }) => [a.name, a.webAddress]).sort())
      .toEqual([app, appB].sort().map((n) => [n, `https://${n}.apps.example.net`]));
    const someone = await signUpVerified(t);
    const trial = await as(t, someone).post('/api/v1/apps', { name: `trial-web-${++seq}`, region: 'eu1', trial: true });
    expect(trial.json().webAddress).toBe(`https://trial-web-${seq}.apps.example.net`);
    const patched = await as(t, owner).patch(`/api/v1/apps/${app}`, { notes: 'x' });
    expect(patched.json().webAddress).toBe(`https://${app}.apps.example.net`);
  });

  it('is in the OpenAPI document, so the generated web client knows it', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const text = JSON.stringify(doc);
    expect(text).toContain('webAddress');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/apps/{name}/domains', '/api/v1/apps/{name}/domains/{hostname}/verify', '/api/v1/apps/{name}/domains/{hostname}']));
  });
});

describe('adding and listing domains', () => {
  it('adds a domain as pending with a CNAME and a TXT record, lists it, and records the event', async () => {
    const name = host('shop');
    const res = await as(t, owner).post(domains(app), { hostname: `  ${name.toUpperCase()}  ` });
    expect(res.statusCode).toBe(201);
    const domain = res.json();
    expect(domain).toMatchObject({ hostname: name, displayHostname: name, state: 'pending', verifiedAt: null, lastCheck: null, createdAt: t.clock.now().toISOString() });
    expect(domain.dnsRecords).toEqual([
      { type: 'CNAME', name, value: `${app}.apps.example.net` },
      { type: 'TXT', name: `_dashboard-challenge.${name}`, value: expect.stringMatching(/^dashboard-verification=[0-9a-f]{32}$/) },
    ]);
    const list = await as(t, owner).get(domains(app));
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ items: [domain], nextCursor: null });
    const [event] = await t.services.db.select().from(activityEvents).where(eq(activityEvents.action, 'app.domain_added'));
    expect(event).toMatchObject({ companyId: company.id, appName: app, details: { hostname: name }, actorId: owner.id });
  });

  it('gives every domain its own token', async () => {
    const a = (await as(t, owner).post(domains(appB), { hostname: host() })).json();
    const b = (await as(t, owner).post(domains(appB), { hostname: host() })).json();
    expect(a.dnsRecords[1].value).not.toBe(b.dnsRecords[1].value);
  });

  it('stores international names in their punycode form and shows them in Unicode', async () => {
    const res = await as(t, owner).post(domains(app), { hostname: `Bäckerei-${++seq}.München.de` });
    expect(res.statusCode).toBe(201);
    expect(res.json().hostname).toMatch(/^xn--bckerei-\d+-[a-z0-9]+\.xn--mnchen-3ya\.de$/);
    expect(res.json().displayHostname).toBe(`bäckerei-${seq}.münchen.de`);
    // The same name typed in punycode is the same domain.
    const again = await as(t, owner).post(domains(appB), { hostname: res.json().hostname });
    expect(problem(again)).toEqual({ status: 409, code: 'conflict', reason: 'taken' });
    // And the path takes either form.
    const verify = await as(t, owner).post(`${domains(app)}/${encodeURIComponent(`bäckerei-${seq}.münchen.de`)}/verify`);
    expect(verify.statusCode).toBe(200);
  });

  const BAD: [string, string][] = [
    ['', 'empty'], ['   ', 'empty'], ['https://www.example.com', 'has_scheme'], ['www.example.com/shop', 'has_port_or_path'],
    ['www.example.com:8080', 'has_port_or_path'], ['www.example.com.', 'trailing_dot'], ['1.2.3.4', 'ip_address'],
    ['0x7f.1', 'ip_address'], ['[::1]', 'ip_address'], ['2001:db8::1', 'ip_address'], ['localhost', 'single_label'],
    ['shop', 'single_label'], ['*.example.com', 'bad_characters'], ['my_shop.example.com', 'bad_characters'],
    ['my shop.example.com', 'bad_characters'], ['-shop.example.com', 'bad_label'], ['shop-.example.com', 'bad_label'],
    ['shop..example.com', 'bad_label'], ['xn--zz.example.com', 'bad_label'], [`${'a'.repeat(64)}.example.com`, 'label_too_long'],
    [`${Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.')}.com`, 'too_long'], ['shop.localhost', 'reserved_tld'],
    ['printer.local', 'reserved_tld'], ['x.invalid', 'reserved_tld'], ['apps.example.net', 'apps_domain'],
    [`${'x'}.apps.example.net`, 'apps_domain'], ['dashboard.test', 'dashboard_host'], ['sub.dashboard.test', 'dashboard_host'],
  ];
  it.each(BAD)('refuses %j with 400 validation_failed (%s) and changes nothing', async (hostname, reason) => {
    const before = await t.services.db.select().from(appDomains);
    const res = await as(t, owner).post(domains(app), { hostname });
    expect(problem(res)).toEqual({ status: 400, code: 'validation_failed', reason });
    expect(res.json().errors[0]).toMatchObject({ path: 'hostname', message: expect.any(String) });
    expect(await t.services.db.select().from(appDomains)).toEqual(before);
  });

  it('refuses bodies that are not a host name: 400, never a 500', async () => {
    for (const body of [{}, { hostname: 42 }, { hostname: null }, { hostname: 'a.com', extra: 1 }, { hostname: 'x'.repeat(1201) }, 'www.example.com', [{ hostname: 'a.com' }]]) {
      const res = await as(t, owner).post(domains(app), body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
    const weird = await as(t, owner).post(domains(app), { hostname: '\u0000.com' });
    expect(weird.statusCode).toBe(400);
  });

  it('refuses a domain that another App has with 409 conflict, naming neither App nor Company', async () => {
    const name = host('taken');
    expect((await as(t, owner).post(domains(app), { hostname: name })).statusCode).toBe(201);
    const elsewhere = await as(t, owner).post(domains(appB), { hostname: name });
    expect(problem(elsewhere)).toEqual({ status: 409, code: 'conflict', reason: 'taken' });
    expect(elsewhere.body).not.toContain(app);
    // An App in a Company of someone else: the same answer.
    const other = await signUpVerified(t);
    const otherCompany = await createCompany(t, other, { name: 'Secret Company' });
    const otherApp = await bookApp(t, other, otherCompany);
    const foreign = await as(t, other).post(domains(otherApp), { hostname: name.toUpperCase() });
    expect(problem(foreign)).toEqual({ status: 409, code: 'conflict', reason: 'taken' });
    expect(foreign.body).not.toMatch(new RegExp(`${app}|${company.name}`));
    // The same App again: 409 too, saying so.
    const twice = await as(t, owner).post(domains(app), { hostname: name });
    expect(problem(twice)).toEqual({ status: 409, code: 'conflict', reason: 'already_added' });
  });

  it('takes at most 20 domains per App; the 21st is refused with 409 and nothing is added', async () => {
    const fresh = await bookApp(t, owner, company);
    for (let i = 0; i < 20; i++) expect((await as(t, owner).post(domains(fresh), { hostname: host('many') })).statusCode).toBe(201);
    const res = await as(t, owner).post(domains(fresh), { hostname: host('many') });
    expect(problem(res)).toEqual({ status: 409, code: 'conflict', reason: 'limit_reached' });
    expect((await as(t, owner).get(domains(fresh))).json().items).toHaveLength(20);
    // Removing one makes room again.
    const first = (await as(t, owner).get(domains(fresh))).json().items[0].hostname;
    expect((await as(t, owner).delete(`${domains(fresh)}/${first}`)).statusCode).toBe(204);
    expect((await as(t, owner).post(domains(fresh), { hostname: host('many') })).statusCode).toBe(201);
  });

  it('counts racing adds to one App under the App lock: 25 at once, exactly 20 win', async () => {
    const fresh = await bookApp(t, owner, company);
    const responses = await Promise.all(Array.from({ length: 25 }, () => as(t, owner).post(domains(fresh), { hostname: host('race') })));
    const codes = responses.map((r) => (r.statusCode === 201 ? 201 : `${r.statusCode} ${r.json().errors?.[0]?.reason}`));
    expect(codes.filter((c) => c === 201)).toHaveLength(20);
    expect(codes.filter((c) => c !== 201)).toEqual(Array(5).fill('409 limit_reached'));
    expect((await t.services.db.select().from(appDomains).where(eq(appDomains.appId, await appIdOf(fresh)))).length).toBe(20);
  });

  it('lets one App win a host name that several Apps race for', async () => {
    const name = host('contested');
    const apps = [app, appB, await bookApp(t, owner, company), await bookApp(t, owner, company)];
    const responses = await Promise.all(apps.map((a) => as(t, owner).post(domains(a), { hostname: name })));
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
    expect(await t.services.db.select().from(appDomains).where(eq(appDomains.hostname, name))).toHaveLength(1);
  });
});

async function appIdOf(name: string): Promise<string> {
  const found = await appsRepo.byName(t.services.db, name);
  return found!.app.id;
}

describe('verification through the TXT record', () => {
  async function added(appName = app) {
    const res = await as(t, owner).post(domains(appName), { hostname: host('verify') });
    expect(res.statusCode).toBe(201);
    return res.json() as { hostname: string; dnsRecords: { type: string; name: string; value: string }[] };
  }
  const verify = (who: SignedIn, appName: string, hostname: string) => as(t, who).post(`${domains(appName)}/${hostname}/verify`);

  it('stays pending (200) while the record is missing, and says so', async () => {
    const d = await added();
    t.clock.advance(60_000);
    const res = await verify(owner, app, d.hostname);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'pending', verifiedAt: null, lastCheck: { result: 'missing', at: t.clock.now().toISOString() } });
    expect(dns.queries).toContain(`_dashboard-challenge.${d.hostname}`);
  });

  it('stays pending when the TXT record holds another value, and when the resolver fails', async () => {
    const d = await added();
    dns.setTxt(d.dnsRecords[1].name, ['dashboard-verification=0000', 'v=spf1 -all']);
    expect((await verify(owner, app, d.hostname)).json()).toMatchObject({ state: 'pending', lastCheck: { result: 'mismatch' } });
    dns.mode = 'servfail';
    expect((await verify(owner, app, d.hostname)).json()).toMatchObject({ state: 'pending', lastCheck: { result: 'lookup_failed' } });
  });

  it('turns verified when the record is found, records one event, and stays verified', async () => {
    const d = await added();
    expect((await verify(owner, app, d.hostname)).json().state).toBe('pending');
    dns.setTxt(d.dnsRecords[1].name, ['google-site-verification=abc', d.dnsRecords[1].value]);
    t.clock.advance(5 * 60_000);
    const res = await verify(admin, app, d.hostname);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ hostname: d.hostname, state: 'verified', verifiedAt: t.clock.now().toISOString(), lastCheck: { result: 'found' } });
    expect((await as(t, owner).get(domains(app))).json().items.find((x: { hostname: string }) => x.hostname === d.hostname).state).toBe('verified');
    // Again, even with the record gone: still verified, no second event, no look-up needed.
    dns.clear(d.dnsRecords[1].name);
    expect((await verify(owner, app, d.hostname)).json().state).toBe('verified');
    const events = await t.services.db.select().from(activityEvents).where(eq(activityEvents.action, 'app.domain_verified'));
    expect(events.filter((e) => (e.details as { hostname: string }).hostname === d.hostname)).toHaveLength(1);
  });

  it('finds a long TXT record split into several strings', async () => {
    const d = await added();
    dns.setTxt(d.dnsRecords[1].name, [`${'x'.repeat(300)}`, d.dnsRecords[1].value]);
    expect((await verify(owner, app, d.hostname)).json().state).toBe('verified');
  });

  it('answers 404 for a domain the App does not have', async () => {
    const d = await added(appB);
    expect(problem(await verify(owner, app, d.hostname)).code).toBe('not_found');
    expect(problem(await verify(owner, app, 'nothing.example.org')).code).toBe('not_found');
    expect(problem(await verify(owner, app, '%E2%98%83')).code).toBe('not_found');
  });
});

describe('removing a domain', () => {
  it('removes it (204), frees the name for another App at once, and records the event', async () => {
    const name = host('move');
    expect((await as(t, owner).post(domains(app), { hostname: name })).statusCode).toBe(201);
    const res = await as(t, admin).delete(`${domains(app)}/${name}`);
    expect(res.statusCode).toBe(204);
    expect((await as(t, owner).get(domains(app))).json().items.map((d: { hostname: string }) => d.hostname)).not.toContain(name);
    expect((await as(t, owner).post(domains(appB), { hostname: name })).statusCode).toBe(201);
    const events = await t.services.db.select().from(activityEvents).where(eq(activityEvents.action, 'app.domain_removed'));
    expect(events.some((e) => (e.details as { hostname: string }).hostname === name && e.actorId === admin.id)).toBe(true);
    expect(problem(await as(t, admin).delete(`${domains(app)}/${name}`)).code).toBe('not_found');
  });
});

describe('who may see and manage domains (SPEC 3: owners, admins, collaborators on assigned Apps)', () => {
  it('answers each role as the permission matrix says', async () => {
    const name = host('perm');
    expect((await as(t, owner).post(domains(app), { hostname: name })).statusCode).toBe(201);
    const outcome = async (who: SignedIn) => {
      const list = await as(t, who).get(domains(app));
      const add = await as(t, who).post(domains(app), { hostname: host('perm') });
      const check = await as(t, who).post(`${domains(app)}/${name}/verify`);
      return [list.statusCode, add.statusCode, check.statusCode];
    };
    expect(await outcome(owner)).toEqual([200, 201, 200]);
    expect(await outcome(admin)).toEqual([200, 201, 200]);
    expect(await outcome(assigned)).toEqual([200, 201, 200]);
    // A collaborator sees the Company's App exists, so it is 403 (API.md), recorded as refused; an outsider gets 404.
    expect(await outcome(unassigned)).toEqual([403, 403, 403]);
    expect(await outcome(accountant)).toEqual([403, 403, 403]);
    expect(await outcome(outsider)).toEqual([404, 404, 404]);
    expect((await as(t, unassigned).delete(`${domains(app)}/${name}`)).statusCode).toBe(403);
    expect((await as(t, outsider).delete(`${domains(app)}/${name}`)).statusCode).toBe(404);
    expect((await as(t, null).get(domains(app))).statusCode).toBe(401);
    const refused = await t.services.db.select().from(activityEvents).where(eq(activityEvents.outcome, 'refused'));
    expect(refused.some((e) => e.action === 'app.domains.manage' && e.actorId === unassigned.id)).toBe(true);
    // Nothing of the refused attempts was added or removed.
    expect((await as(t, owner).get(domains(app))).json().items.map((d: { hostname: string }) => d.hostname)).toContain(name);
  });

  it("lets a trial App's creator manage its domains", async () => {
    const dev = await signUpVerified(t);
    const trial = await createTrial(t, dev);
    expect((await as(t, dev).post(domains(trial), { hostname: host('trial') })).statusCode).toBe(201);
    expect((await as(t, owner).get(domains(trial))).statusCode).toBe(404);
  });

  it('answers 404 for an App that does not exist', async () => {
    expect(problem(await as(t, owner).get(domains('no-such-app'))).code).toBe('not_found');
    expect(problem(await as(t, owner).post(domains('no-such-app'), { hostname: host() })).code).toBe('not_found');
  });
});
