import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/server/config.js';
import { appDomains } from '../../../src/server/db/schema.js';
import { runTrialExpiry } from '../../../src/server/jobs/trialExpiry.js';
import { acceptWithNewCompany, inviteClient, renewed, signUpClient } from '../../harness/handover.js';
import { as, createTestApp, ORIGIN, signUpVerified, testConfig, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { bookApp, createCompany, createTrial, MEDIUM_PLAN } from '../../harness/factories.js';
import { startDnsFake, type DnsFake } from '../../harness/dnsFake.js';

/** Issue 17, SPEC 4.13: handover and transfer keep an App's domains; deleting the App frees them. */
let t: TestApp;
let dns: DnsFake;
let seq = 0;
const host = (prefix: string) => `${prefix}${++seq}.example.org`;
const domains = (name: string) => `/api/v1/apps/${name}/domains`;
const hostnames = async (who: SignedIn, app: string) => (await as(t, who).get(domains(app))).json().items.map((d: { hostname: string; state: string }) => `${d.hostname} ${d.state}`);

async function verifiedDomain(who: SignedIn, app: string, prefix: string): Promise<string> {
  const d = (await as(t, who).post(domains(app), { hostname: host(prefix) })).json();
  dns.setTxt(d.dnsRecords[1].name, [d.dnsRecords[1].value]);
  expect((await as(t, who).post(`${domains(app)}/${d.hostname}/verify`)).json().state).toBe('verified');
  return d.hostname;
}

beforeAll(async () => {
  dns = await startDnsFake();
  t = await createTestApp({ env: { DNS_RESOLVER: dns.address } });
});
afterAll(async () => {
  await t?.close();
  await dns?.close();
});
// Time is frozen and moves only when a test moves it; back to the start after each test (docs/testing.md).
afterEach(() => { t?.clock.reset(); });

describe('domains through an App’s life', () => {
  it('keeps the domains of a trial App handed over to a client; the client, now owner, sees and manages them', async () => {
    const dev = await signUpVerified(t);
    const app = await createTrial(t, dev);
    const verified = await verifiedDomain(dev, app, 'bakery');
    const pending = (await as(t, dev).post(domains(app), { hostname: host('www.bakery') })).json().hostname;
    const { token } = await inviteClient(t, dev, app, 'clara.domains@example.com', MEDIUM_PLAN);
    // The offer names the site by its web address (SPEC 4.13).
    const offer = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/lookup', headers: { origin: ORIGIN }, payload: { token } });
    expect(offer.json().app).toEqual({ name: app, webAddress: `https://${app}.apps.localhost` });
    const client = await signUpClient(t, token, 'clara.domains@example.com');
    const accepted = await acceptWithNewCompany(t, client, token);
    expect(accepted.statusCode).toBe(200);
    const owner = renewed(client, accepted);
    expect(await hostnames(owner, app)).toEqual([`${verified} verified`, `${pending} pending`].sort());
    expect(await hostnames(dev, app)).toEqual([`${verified} verified`, `${pending} pending`].sort());
    expect((await as(t, owner).get(`/api/v1/apps/${app}`)).json().webAddress).toBe(`https://${app}.apps.localhost`);
    expect((await as(t, owner).delete(`${domains(app)}/${pending}`)).statusCode).toBe(204);
  });

  it('keeps the domains of an App moved to another Company', async () => {
    const owner = await signUpVerified(t);
    const from = await createCompany(t, owner);
    const to = await createCompany(t, owner);
    const app = await bookApp(t, owner, from);
    const verified = await verifiedDomain(owner, app, 'moving');
    const moved = await as(t, owner).post(`/api/v1/apps/${app}/transfer`, { toCompanyId: to.id, billingContactId: to.contactId });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ company: { id: to.id }, webAddress: `https://${app}.apps.localhost` });
    expect(await hostnames(owner, app)).toEqual([`${verified} verified`]);
  });

  it('frees the domains of a deleted App for another App at once', async () => {
    const owner = await signUpVerified(t);
    const company = await createCompany(t, owner);
    const app = await bookApp(t, owner, company);
    const name = await verifiedDomain(owner, app, 'gone');
    const other = await bookApp(t, owner, company);
    expect((await as(t, owner).post(domains(other), { hostname: name })).statusCode).toBe(409);
    expect((await as(t, owner).delete(`/api/v1/apps/${app}`)).statusCode).toBe(204);
    expect(await t.services.db.select().from(appDomains).where(eq(appDomains.hostname, name))).toEqual([]);
    const again = await as(t, owner).post(domains(other), { hostname: name });
    expect(again.statusCode).toBe(201);
    // A new App gets a new token, and must prove control again.
    expect(again.json().state).toBe('pending');
  });

  it('frees the domains of the Apps of a deleted Company, and of an expired trial', async () => {
    const owner = await signUpVerified(t);
    const company = await createCompany(t, owner);
    const app = await bookApp(t, owner, company);
    const name = host('company');
    expect((await as(t, owner).post(domains(app), { hostname: name })).statusCode).toBe(201);
    expect((await as(t, owner).delete(`/api/v1/companies/${company.id}?confirm=${encodeURIComponent(company.name)}`)).statusCode).toBe(204);
    expect(await t.services.db.select().from(appDomains).where(eq(appDomains.hostname, name))).toEqual([]);

    const dev = await signUpVerified(t);
    const trial = await createTrial(t, dev);
    const trialName = host('trial');
    expect((await as(t, dev).post(domains(trial), { hostname: trialName })).statusCode).toBe(201);
    t.clock.advance(8 * 86_400_000);
    expect((await runTrialExpiry(t.services)).deleted).toBeGreaterThanOrEqual(1);
    expect(await t.services.db.select().from(appDomains).where(eq(appDomains.hostname, trialName))).toEqual([]);
  });
});

describe('APPS_DOMAIN and DNS_RESOLVER (docs/configuration.md)', () => {
  it('default to apps.localhost and the system resolver', () => {
    const config = testConfig();
    expect(config.appsDomain).toBe('apps.localhost');
    expect(config.dnsResolver).toBeNull();
  });

  it('take a host name and an IP address with an optional port', () => {
    expect(testConfig({ APPS_DOMAIN: 'Apps.Example.COM' }).appsDomain).toBe('apps.example.com');
    expect(testConfig({ DNS_RESOLVER: '1.1.1.1' }).dnsResolver).toBe('1.1.1.1:53');
    expect(testConfig({ DNS_RESOLVER: '127.0.0.1:5353' }).dnsResolver).toBe('127.0.0.1:5353');
    expect(testConfig({ DNS_RESOLVER: '[::1]:5353' }).dnsResolver).toBe('[::1]:5353');
    expect(testConfig({ DNS_RESOLVER: '2606:4700::1111' }).dnsResolver).toBe('[2606:4700::1111]:53');
  });

  it.each([
    ['APPS_DOMAIN', 'https://apps.example.com'], ['APPS_DOMAIN', 'apps.example.com.'], ['APPS_DOMAIN', 'apps example'],
    ['APPS_DOMAIN', '10.0.0.1'], ['APPS_DOMAIN', `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(30)}`],
    ['DNS_RESOLVER', 'dns.google'], ['DNS_RESOLVER', '1.1.1.1:0'], ['DNS_RESOLVER', '1.1.1.1:70000'], ['DNS_RESOLVER', '300.1.1.1'],
    ['DNS_RESOLVER', 'udp://1.1.1.1'], ['DNS_RESOLVER', 'localhost:53'],
  ])('refuse %s=%j at start with a sentence that names the variable', (name, value) => {
    const run = () => loadConfig({ PUBLIC_URL: 'http://dashboard.test', AUTH_SECRET: 'x'.repeat(40), DATA_DIR: '/nonexistent-data-dir', [name]: value });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(new RegExp(`^${name}=`, 'm'));
  });
});
