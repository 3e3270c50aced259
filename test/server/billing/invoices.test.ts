import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoices } from '../../../src/server/db/schema.js';
import { runMonth } from '../../../src/server/modules/billing/monthlyRun.js';
import { billingCommand, UsageError } from '../../../src/server/cli/billingCommand.js';
import { as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { addMember, bookApp, cardToken, contactInput, createCompany, type CompanyFixture } from '../../harness/factories.js';
import { atTime, pdfText } from '../../harness/billing.js';

/** Issue 12, stage 2: the monthly run, gapless numbers, the invoice routes by role, the PDF and HTML. */
let t: TestApp;
let owner: SignedIn; let admin: SignedIn; let accountant: SignedIn; let collaborator: SignedIn; let outsider: SignedIn;
let company: CompanyFixture; let french: { contactId: string }; let other: CompanyFixture;
let appName: string;

const NOV_10 = '2026-11-10T09:00:00Z';
const DEC_1 = '2026-12-01T00:10:00Z';

beforeAll(async () => {
  t = await createTestApp();
  [owner, admin, accountant, collaborator, outsider] = await Promise.all([1, 2, 3, 4, 5].map(() => signUpVerified(t)));
  await atTime(t, NOV_10, async () => {
    company = await createCompany(t, owner, { name: 'Bakery Müller' });
    appName = await bookApp(t, owner, company, { name: 'bakery-shop' });
    await addMember(t, company.id, admin, 'admin');
    await addMember(t, company.id, accountant, 'accountant');
    await addMember(t, company.id, collaborator, 'collaborator', [appName]);
    // A second contact of the same Company in France with a VAT ID: reverse charge.
    const res = await as(t, owner).post(`/api/v1/companies/${company.id}/billing-contacts`, {
      ...contactInput({ name: 'Boulangerie Dupont SARL', address: { line1: '1 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' }, vatNumber: 'FR40303265045' }),
      paymentMethod: { token: await cardToken(t) },
    });
    expect(res.statusCode).toBe(201);
    french = { contactId: res.json().id };
    const booked = await as(t, owner).post('/api/v1/apps', { name: 'dupont-site', region: 'eu1', companyId: company.id, billingContactId: french.contactId, plan: { php: 'php-s', database: 'db-s', storage: 'storage-10' } });
    expect(booked.statusCode).toBe(201);
    other = await createCompany(t, outsider);
    await bookApp(t, outsider, other);
  });
});
afterAll(async () => { await t?.close(); });

const list = (who: SignedIn | null, id = company.id) => as(t, who).get(`/api/v1/companies/${id}/invoices`);

describe('the monthly run (issue 12)', () => {
  it('refuses a month that is not over, and changes nothing', async () => {
    await atTime(t, '2026-11-30T23:59:00Z', async () => {
      await expect(runMonth(t.services, '2026-11')).rejects.toMatchObject({ code: 'validation_failed', detail: expect.stringContaining('2026-11 is not over yet') });
    });
    await expect(runMonth(t.services, '2026-13')).rejects.toMatchObject({ code: 'validation_failed' });
    expect((await t.services.db.select().from(invoices)).length).toBe(0);
  });

  it('issues one invoice per billing contact with charges, numbered without gaps; a second run changes nothing', async () => {
    const first = await atTime(t, DEC_1, () => runMonth(t.services, '2026-11'));
    expect(first).toMatchObject({ month: '2026-11', contacts: 3, issued: 3, alreadyIssued: 0, noCharges: 0, firstNumber: 'INV-2026-000001', lastNumber: 'INV-2026-000003' });
    const before = await t.services.db.select().from(invoices).orderBy(invoices.number);
    const second = await atTime(t, '2026-12-02T08:00:00Z', () => runMonth(t.services, '2026-11'));
    expect(second).toMatchObject({ contacts: 3, issued: 0, alreadyIssued: 3 });
    const after = await t.services.db.select().from(invoices).orderBy(invoices.number);
    expect(after).toEqual(before);
    expect(after.map((i) => i.number)).toEqual(['INV-2026-000001', 'INV-2026-000002', 'INV-2026-000003']);
    const counter = await t.services.db.execute(sql`SELECT last_number FROM invoice_counters WHERE seller = 'INV'`);
    expect(Number((counter.rows[0] as { last_number: number }).last_number)).toBe(3);
  });

  it('computes lines, German VAT once on the net, and reverse charge for an EU buyer with a valid VAT ID', async () => {
    const items = (await list(owner)).json().items as { id: string; billingContact: { id: string } }[];
    const german = items.find((i) => i.billingContact.id === company.contactId)!;
    const detail = (await as(t, owner).get(`/api/v1/companies/${company.id}/invoices/${german.id}`)).json();
    // Small plan €16/month, 10–30 November: 21 of 30 days = €11.20; 19 % VAT = €2.128 → €2.13.
    expect(detail).toMatchObject({
      kind: 'invoice', month: '2026-11', state: 'open', issuedAt: '2026-12-01T00:10:00.000Z', language: 'en',
      net: { amount: 1120, currency: 'EUR' }, tax: { amount: 213, currency: 'EUR' }, total: { amount: 1333, currency: 'EUR' },
      seller: { name: 'Dashboard Hosting GmbH', vatNumber: 'DE811907980' },
      buyer: { name: 'Bakery Müller GmbH', address: { line1: 'Hauptstraße 1', city: 'Berlin', country: 'DE' }, vatNumber: 'DE136695976', vatCheck: { valid: true, vies: 'not_reachable' } },
      taxes: [{ rate: 19, category: 'S', net: { amount: 1120 }, tax: { amount: 213 } }], notes: [], payments: [],
    });
    expect(detail.lines).toEqual([expect.objectContaining({ appName: 'bakery-shop', fromDay: '2026-11-10', toDay: '2026-11-30', days: 21, amount: { amount: 1120, currency: 'EUR' }, taxCategory: 'S', taxRate: 19 })]);
    const fr = items.find((i) => i.billingContact.id === french.contactId)!;
    const frDetail = (await as(t, owner).get(`/api/v1/companies/${company.id}/invoices/${fr.id}`)).json();
    expect(frDetail).toMatchObject({ tax: { amount: 0 }, total: { amount: 1120 }, taxes: [{ rate: 0, category: 'AE' }], buyer: { vatCheck: { valid: true } } });
    expect(frDetail.notes[0]).toMatch(/Reverse charge/);
  });

  it('never changes an issued invoice when the billing contact changes later', async () => {
    const [item] = (await list(owner)).json().items.filter((i: { billingContact: { id: string } }) => i.billingContact.id === company.contactId);
    const before = (await as(t, owner).get(`/api/v1/companies/${company.id}/invoices/${item.id}`)).json();
    const pdfBefore = (await as(t, owner).get(`/api/v1/companies/${company.id}/invoices/${item.id}/pdf`)).rawPayload;
    const patched = await as(t, owner).patch(`/api/v1/companies/${company.id}/billing-contacts/${company.contactId}`, {
      name: 'Bakery Schmidt KG', address: { line1: 'Neue Straße 9', postalCode: '80331', city: 'München', country: 'DE' },
    });
    expect(patched.statusCode).toBe(200);
    try {
      expect((await as(t, owner).get(`/api/v1/companies/${company.id}/invoices/${item.id}`)).json()).toEqual(before);
      expect((await as(t, owner).get(`/api/v1/companies/${company.id}/invoices/${item.id}/pdf`)).rawPayload.equals(pdfBefore)).toBe(true);
    } finally {
      await as(t, owner).patch(`/api/v1/companies/${company.id}/billing-contacts/${company.contactId}`, contactInput({ vatNumber: undefined, currency: undefined, invoiceEmail: undefined }));
    }
  });
});

describe('the invoice routes by role (issue 12)', () => {
  it('lists invoices for owners and accountants, refuses admins and collaborators (403), hides them from outsiders (404)', async () => {
    for (const who of [owner, accountant]) {
      const res = await list(who);
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toHaveLength(2);
      expect(res.json().nextCursor).toBeNull();
      expect(res.json().items[0]).toEqual({
        id: expect.any(String), number: expect.stringMatching(/^INV-2026-\d{6}$/), kind: 'invoice', month: '2026-11', issuedAt: '2026-12-01T00:10:00.000Z',
        billingContact: { id: expect.any(String), name: expect.any(String) }, net: expect.any(Object), tax: expect.any(Object), total: expect.any(Object), state: 'open',
      });
    }
    for (const who of [admin, collaborator]) {
      const res = await list(who);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    expect((await list(outsider)).statusCode).toBe(404);
    expect((await list(null)).statusCode).toBe(401);
  });

  it('pages with a cursor, and refuses a bad cursor with 400', async () => {
    const first = (await as(t, owner).get(`/api/v1/companies/${company.id}/invoices?limit=1`)).json();
    expect(first.items).toHaveLength(1);
    const second = (await as(t, owner).get(`/api/v1/companies/${company.id}/invoices?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.items[0].id).not.toBe(first.items[0].id);
    expect(second.nextCursor).toBeNull();
    const bad = await as(t, owner).get(`/api/v1/companies/${company.id}/invoices?cursor=nonsense`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('validation_failed');
  });

  it('reads one invoice, its PDF and its HTML page by the same rules; another Company\'s invoice is 404', async () => {
    const [item] = (await list(owner)).json().items;
    const foreign = (await t.services.db.select().from(invoices).where(eq(invoices.companyId, other.id)))[0];
    for (const suffix of ['', '/pdf', '/html']) {
      const url = `/api/v1/companies/${company.id}/invoices/${item.id}${suffix}`;
      for (const who of [owner, accountant]) expect((await as(t, who).get(url)).statusCode).toBe(200);
      for (const who of [admin, collaborator]) expect((await as(t, who).get(url)).json().code).toBe('forbidden');
      expect((await as(t, outsider).get(url)).statusCode).toBe(404);
      expect((await as(t, owner).get(`/api/v1/companies/${company.id}/invoices/${foreign.id}${suffix}`)).statusCode).toBe(404);
      expect((await as(t, owner).get(`/api/v1/companies/${company.id}/invoices/inv_unknown${suffix}`)).json().code).toBe('not_found');
    }
  });

  it('serves a real, reproducible PDF with number, totals, VAT and buyer', async () => {
    const items = (await list(owner)).json().items as { id: string; number: string; billingContact: { id: string } }[];
    const german = items.find((i) => i.billingContact.id === company.contactId)!;
    const res = await as(t, owner).get(`/api/v1/companies/${company.id}/invoices/${german.id}/pdf`);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${german.number}.pdf"`);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(res.rawPayload);
    for (const expected of [german.number, 'INVOICE', 'Bakery Müller GmbH', 'Hauptstraße 1', '10115 Berlin', 'VAT ID DE136695976', 'Dashboard Hosting GmbH', 'Friedrichstraße 123',
      'bakery-shop', '10–30 Nov 2026 (21 days)', '€16.00 / month', '€11.20', 'VAT 19 %', '€2.13', 'Total due', '€13.33', '1 December 2026', 'Visa card ending 4242']) {
      expect(text).toContain(expected);
    }
    const again = await as(t, accountant).get(`/api/v1/companies/${company.id}/invoices/${german.id}/pdf`);
    expect(again.rawPayload.equals(res.rawPayload)).toBe(true);
    const fr = items.find((i) => i.billingContact.id === french.contactId)!;
    const frText = pdfText((await as(t, owner).get(`/api/v1/companies/${company.id}/invoices/${fr.id}/pdf`)).rawPayload);
    expect(frText).toContain('VAT 0 % (reverse charge)');
    expect(frText.replace(/\s+/g, ' ')).toContain('Reverse charge: VAT to be accounted for by the recipient');
  });

  it('serves the HTML page escaped, without scripts', async () => {
    const [item] = (await list(owner)).json().items;
    const res = await as(t, owner).get(`/api/v1/companies/${company.id}/invoices/${item.id}/html`);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toContain(item.number);
    expect(res.body).not.toContain('<script');
  });
});

describe('npm run billing (issue 12)', () => {
  it('prints progress and a summary, and refuses bad arguments and a month that is not over', async () => {
    const lines: string[] = [];
    await atTime(t, DEC_1, () => billingCommand(['run', '--month', '2026-11'], t.services, (l) => lines.push(l)));
    expect(lines.join('\n')).toContain('Invoices issued before (unchanged): 3');
    expect(lines.join('\n')).toContain('VIES was not reachable');
    const refused: string[] = [];
    await expect(atTime(t, DEC_1, () => billingCommand(['run', '--month', '2026-12'], t.services, (l) => refused.push(l)))).rejects.toThrow(/Refused: 2026-12 is not over yet/);
    expect(refused).toEqual([]); // refused before "Invoicing…"
    await expect(billingCommand(['credit', 'INV-2026-000001'], t.services, () => {})).rejects.toThrow(/Say why: --reason/);
    await expect(billingCommand(['run'], t.services, () => {})).rejects.toBeInstanceOf(UsageError);
    await expect(billingCommand(['run', '--month', '2026-11', '--force'], t.services, () => {})).rejects.toThrow(/Unknown option --force/);
    await expect(billingCommand(['frobnicate'], t.services, () => {})).rejects.toThrow(/Unknown command/);
  });
});
