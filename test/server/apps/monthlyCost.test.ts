import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_PLAN, addMember, bookApp, cardToken, contactInput, createCompany } from '../../harness/factories.js';
import { as, createTestApp, signUpVerified, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 17: GET /api/v1/apps/{name} answers `monthlyCost` — the monthly price with the VAT an
 * invoice to the App's billing contact would add (the invoices' rules, ADR 0034) — to owners
 * only; admins and collaborators see the net price, never the rate that tells the contact's
 * country and VAT status.
 */
let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

interface Money { amount: number; currency: string }

async function world() {
  const owner = await signUpVerified(t, { firstName: 'Olga', lastName: 'Owner' });
  const admin = await signUpVerified(t, { firstName: 'Adam', lastName: 'Admin' });
  const collaborator = await signUpVerified(t, { firstName: 'Cleo', lastName: 'Collab' });
  const company = await createCompany(t, owner);
  await addMember(t, company.id, admin, 'admin');
  const app = await bookApp(t, owner, company, { plan: SMALL_PLAN });
  await addMember(t, company.id, collaborator, 'collaborator', [app]);
  return { owner, admin, collaborator, company, app };
}

describe('monthlyCost on the App', () => {
  it('gives the owner net, 19 % German VAT and gross for a German contact, rounded half up once', async () => {
    const w = await world();
    const res = await as(t, w.owner).get(`/api/v1/apps/${w.app}`);
    expect(res.statusCode).toBe(200);
    const { monthlyPrice, monthlyCost } = res.json() as { monthlyPrice: Money; monthlyCost: { net: Money; vat: Money; gross: Money; vatRate: number } };
    expect(monthlyCost.net).toEqual(monthlyPrice);
    expect(monthlyCost.vatRate).toBe(19);
    expect(monthlyCost.vat).toEqual({ amount: Math.floor(monthlyPrice.amount * 0.19 + 0.5), currency: 'EUR' });
    expect(monthlyCost.gross).toEqual({ amount: monthlyPrice.amount + monthlyCost.vat.amount, currency: 'EUR' });
  });

  it('shows no VAT for an Austrian contact with a valid VAT ID (reverse charge), and the OSS rate without one', async () => {
    const w = await world();
    const austria = { address: { line1: 'Ring 1', postalCode: '1010', city: 'Wien', country: 'AT' } };
    const withId = await as(t, w.owner).post(`/api/v1/companies/${w.company.id}/billing-contacts`, { ...contactInput({ ...austria, name: 'Wien GmbH', vatNumber: 'ATU13585627' }), paymentMethod: { token: await cardToken(t) } });
    expect(withId.statusCode, withId.body).toBe(201);
    const withoutId = await as(t, w.owner).post(`/api/v1/companies/${w.company.id}/billing-contacts`, { ...contactInput({ ...austria, name: 'Wien privat', vatNumber: undefined }), paymentMethod: { token: await cardToken(t) } });
    expect(withoutId.statusCode, withoutId.body).toBe(201);
    const reverse = await bookApp(t, w.owner, { ...w.company, contactId: withId.json().id });
    const oss = await bookApp(t, w.owner, { ...w.company, contactId: withoutId.json().id });
    const r = (await as(t, w.owner).get(`/api/v1/apps/${reverse}`)).json();
    expect(r.monthlyCost).toMatchObject({ vatRate: 0, vat: { amount: 0 }, gross: r.monthlyPrice });
    const o = (await as(t, w.owner).get(`/api/v1/apps/${oss}`)).json();
    expect(o.monthlyCost.vatRate).toBe(20);
    expect(o.monthlyCost.vat.amount).toBe(Math.floor(o.monthlyPrice.amount * 0.2 + 0.5));
  });

  it('is not shown to an admin or a collaborator, who still see the net monthly price', async () => {
    const w = await world();
    for (const who of [w.admin, w.collaborator]) {
      const res = await as(t, who).get(`/api/v1/apps/${w.app}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().monthlyCost).toBeUndefined();
      expect(res.json().monthlyPrice.amount).toBeGreaterThan(0);
    }
  });
});
