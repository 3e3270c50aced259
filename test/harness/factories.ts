import type { Role } from '../../src/server/authz/permissions.js';
import { companiesRepo } from '../../src/server/modules/companies/repo.js';
import { appsRepo } from '../../src/server/modules/apps/repo.js';
import { as, type SignedIn, type TestApp } from './testApp.js';

/**
 * Test data made through the real API and use-cases (the invariants hold), except the
 * membership shortcut `addMember`, which stands in for the team invitations of a later issue.
 */
export const CARDS = { ok: '4242424242424242', declined: '4000000000000002', insufficientFunds: '4000000000009995' };

export async function cardToken(t: TestApp, number = CARDS.ok): Promise<string> {
  const res = await as(t, null).post('/api/v1/payment-sandbox/tokens', { number, expMonth: 12, expYear: t.clock.now().getUTCFullYear() + 2, cvc: '123' });
  if (res.statusCode !== 200) throw new Error(`tokenize failed: ${res.statusCode} ${res.body}`);
  return res.json().token;
}

export function contactInput(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Bakery Müller GmbH',
    address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
    vatNumber: 'DE136695976',
    invoiceEmail: 'invoices@bakery.example',
    currency: 'EUR',
    ...overrides,
  };
}

let seq = 0;
export function uniqueAppName(prefix = 'app'): string {
  seq += 1;
  return `${prefix}-${seq}-${Math.random().toString(36).slice(2, 8)}`;
}

export interface CompanyFixture { id: string; name: string; contactId: string }

export async function createCompany(t: TestApp, owner: SignedIn, opts: { name?: string; currency?: 'EUR' | 'USD' } = {}): Promise<CompanyFixture> {
  const name = opts.name ?? `Company ${++seq}`;
  const res = await as(t, owner).post('/api/v1/companies', {
    name, billingContact: contactInput(opts.currency ? { currency: opts.currency } : {}), paymentMethod: { token: await cardToken(t) },
  });
  if (res.statusCode !== 201) throw new Error(`create company failed: ${res.statusCode} ${res.body}`);
  const contacts = await as(t, owner).get(`/api/v1/companies/${res.json().id}/billing-contacts`);
  return { id: res.json().id, name, contactId: contacts.json().items[0].id };
}

export const SMALL_PLAN = { php: 'php-s', database: 'db-s', storage: 'storage-10' };
export const MEDIUM_PLAN = { php: 'php-m', database: 'db-m', storage: 'storage-50' };

export async function bookApp(t: TestApp, who: SignedIn, company: CompanyFixture, opts: { name?: string; plan?: Record<string, string> } = {}): Promise<string> {
  const name = opts.name ?? uniqueAppName();
  const res = await as(t, who).post('/api/v1/apps', {
    name, region: 'eu1', companyId: company.id, billingContactId: company.contactId, plan: opts.plan ?? SMALL_PLAN,
  });
  if (res.statusCode !== 201) throw new Error(`book app failed: ${res.statusCode} ${res.body}`);
  return name;
}

export async function createTrial(t: TestApp, who: SignedIn, name = uniqueAppName('trial')): Promise<string> {
  const res = await as(t, who).post('/api/v1/apps', { name, region: 'eu1', trial: true });
  if (res.statusCode !== 201) throw new Error(`trial failed: ${res.statusCode} ${res.body}`);
  return name;
}

/** Adds a member directly (team invitations come in a later issue); collaborators get the named Apps. */
export async function addMember(t: TestApp, companyId: string, who: SignedIn, role: Role, appNames: string[] = []): Promise<void> {
  const db = t.services.db;
  await db.transaction(async (tx) => {
    await companiesRepo.addMembership(tx, { companyId, accountId: who.id, role, createdAt: t.clock.now() });
    const ids: string[] = [];
    for (const name of appNames) {
      const found = await appsRepo.byName(tx, name);
      if (!found) throw new Error(`no app ${name}`);
      ids.push(found.app.id);
    }
    await companiesRepo.assignApps(tx, companyId, who.id, ids);
  });
}
