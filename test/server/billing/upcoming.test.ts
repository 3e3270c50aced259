import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayOf } from '../../../src/server/shared/clock.js';
import { daysBetween, lastDayOf } from '../../../src/server/modules/billing/charges.js';
import { prorate } from '../../../src/server/modules/billing/money.js';
import { as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { addMember, bookApp, createCompany, MEDIUM_PLAN, type CompanyFixture } from '../../harness/factories.js';

/** Issue 12: GET /companies/{id}/upcoming-charges, by role, with the lines the invoice will have. */
let t: TestApp;
let owner: SignedIn; let admin: SignedIn; let accountant: SignedIn; let collaborator: SignedIn; let outsider: SignedIn;
let company: CompanyFixture;
let appName: string;

beforeAll(async () => {
  t = await createTestApp();
  [owner, admin, accountant, collaborator, outsider] = await Promise.all([1, 2, 3, 4, 5].map(() => signUpVerified(t)));
  company = await createCompany(t, owner);
  appName = await bookApp(t, owner, company);
  await addMember(t, company.id, admin, 'admin');
  await addMember(t, company.id, accountant, 'accountant');
  await addMember(t, company.id, collaborator, 'collaborator', [appName]);
});
afterAll(async () => { await t?.close(); });

const url = () => `/api/v1/companies/${company.id}/upcoming-charges`;

describe('upcoming charges (issue 12)', () => {
  it('shows owners and accountants the month so far and projected to its end, line by line', async () => {
    const today = dayOf(t.clock.now());
    const month = today.slice(0, 7);
    const dim = Number(lastDayOf(month).slice(8));
    for (const who of [owner, accountant]) {
      const res = await as(t, who).get(url());
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.month).toBe(month);
      expect(body.items).toHaveLength(1);
      const [item] = body.items;
      expect(item.billingContact).toEqual({ id: company.contactId, name: 'Bakery Müller GmbH' });
      // Small plan in EUR: 9 + 5 + 2 = €16 a month; booked today, so one day so far.
      expect(item.lines).toEqual([{
        appName, plan: { php: 'php-s', database: 'db-s', storage: 'storage-10' },
        description: 'PHP Small (0.5 vCPU, 512 MB), Database Small (1 GB), Storage 10 GB',
        fromDay: today, toDay: today, days: 1, unitPrice: { amount: 1600, currency: 'EUR' }, amount: { amount: prorate(1600, 1, dim), currency: 'EUR' },
      }]);
      expect(item.net).toEqual({ amount: prorate(1600, 1, dim), currency: 'EUR' });
      const rest = daysBetween(today, lastDayOf(month));
      expect(item.projectedLines).toHaveLength(1);
      expect(item.projectedLines[0]).toMatchObject({ fromDay: today, toDay: lastDayOf(month), days: rest });
      expect(item.projectedNet).toEqual({ amount: prorate(1600, rest, dim), currency: 'EUR' });
    }
  });

  it('shows a scale-up as a second projected line from tomorrow', async () => {
    const other = await createCompany(t, owner);
    const name = await bookApp(t, owner, other);
    expect((await as(t, owner).put(`/api/v1/apps/${name}/plan`, { plan: MEDIUM_PLAN })).statusCode).toBe(200);
    const today = dayOf(t.clock.now());
    const res = await as(t, owner).get(`/api/v1/companies/${other.id}/upcoming-charges`);
    const [item] = res.json().items;
    expect(item.lines.map((l: { fromDay: string; toDay: string }) => [l.fromDay, l.toDay])).toEqual([[today, today]]);
    if (today !== lastDayOf(today.slice(0, 7))) {
      expect(item.projectedLines.map((l: { fromDay: string; unitPrice: { amount: number } }) => [l.fromDay, l.unitPrice.amount]))
        .toEqual([[today, 1600], [addDays(today, 1), 4200]]);
    }
  });

  it('refuses admins and collaborators (403) and outsiders (404), and lists nothing for a Company without Apps', async () => {
    for (const who of [admin, collaborator]) {
      const res = await as(t, who).get(url());
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    expect((await as(t, outsider).get(url())).statusCode).toBe(404);
    expect((await as(t, null).get(url())).statusCode).toBe(401);
    const empty = await createCompany(t, owner);
    expect((await as(t, owner).get(`/api/v1/companies/${empty.id}/upcoming-charges`)).json().items).toEqual([]);
  });
});
