import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoices } from '../../../src/server/db/schema.js';
import { deliverDueMail } from '../../../src/server/jobs/deliverMail.js';
import { mailIssuedInvoices } from '../../../src/server/jobs/invoiceMail.js';
import { creditInvoice } from '../../../src/server/modules/billing/creditNote.js';
import { runMonth } from '../../../src/server/modules/billing/monthlyRun.js';
import { as, createTestApp, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';
import { bookApp, cardToken, contactInput, createCompany, type CompanyFixture } from '../../harness/factories.js';
import { startTestSmtp, type TestSmtp } from '../../harness/smtp.js';
import { atTime, pdfText } from '../../harness/billing.js';

/**
 * Issue 12: invoices in German for a German-speaking buyer (ADR 0094). The language is taken
 * when the invoice is numbered (the invoice e-mail's Account, else the first owner's) and kept:
 * the HTML page, the PDF, the notes, the line words and the mail are German, and a later change
 * of the Account's language changes none of it.
 */
let smtp: TestSmtp;
let t: TestApp;
let owner: SignedIn; let englishOwner: SignedIn; let bookkeeper: SignedIn;
let company: CompanyFixture; let english: CompanyFixture; let bookkept: CompanyFixture;
const contacts: Record<'fr' | 'ch', string> = { fr: '', ch: '' };

/** pdftotext writes the no-break space of "13,33 €" as U+00A0; compare with plain spaces. */
const plain = (s: string) => s.replace(/\u00a0/g, ' ');

async function extraContact(key: 'fr' | 'ch', input: Record<string, unknown>) {
  const res = await as(t, owner).post(`/api/v1/companies/${company.id}/billing-contacts`, { ...contactInput(input), paymentMethod: { token: await cardToken(t) } });
  expect(res.statusCode, res.body).toBe(201);
  contacts[key] = res.json().id;
  const booked = await as(t, owner).post('/api/v1/apps', { name: `${key}-shop`, region: 'eu1', companyId: company.id, billingContactId: contacts[key], plan: { php: 'php-s', database: 'db-s', storage: 'storage-10' } });
  expect(booked.statusCode, booked.body).toBe(201);
}

beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await createTestApp({ env: { SMTP_URL: smtp.url } });
  [owner, englishOwner, bookkeeper] = await Promise.all([signUpVerified(t), signUpVerified(t), signUpVerified(t)]);
  for (const who of [owner, bookkeeper]) expect((await as(t, who).patch('/api/v1/me', { language: 'de' })).statusCode).toBe(200);
  await atTime(t, '2026-11-10T09:00:00Z', async () => {
    company = await createCompany(t, owner, { name: 'Bäckerei Müller' });
    await bookApp(t, owner, company, { name: 'baeckerei-shop' });
    await extraContact('fr', { name: 'Boulangerie Dupont SARL', address: { line1: '1 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' }, vatNumber: 'FR40303265045', invoiceEmail: 'factures@dupont.example' });
    await extraContact('ch', { name: 'Bäckerei Zürcher AG', address: { line1: 'Bahnhofstrasse 1', postalCode: '8001', city: 'Zürich', country: 'CH' }, vatNumber: undefined, invoiceEmail: 'rechnung@zuercher.example' });
    english = await createCompany(t, englishOwner, { name: 'English Bakery' });
    await bookApp(t, englishOwner, english);
    // The same English owner, but the invoice e-mail is the Account of a German-speaking bookkeeper: German.
    const res = await as(t, englishOwner).post('/api/v1/companies', {
      name: 'Bookkept Bakery', billingContact: contactInput({ name: 'Bookkept Bakery GmbH', invoiceEmail: bookkeeper.email }), paymentMethod: { token: await cardToken(t) },
    });
    expect(res.statusCode, res.body).toBe(201);
    bookkept = { id: res.json().id, name: 'Bookkept Bakery', contactId: (await as(t, englishOwner).get(`/api/v1/companies/${res.json().id}/billing-contacts`)).json().items[0].id };
    await bookApp(t, englishOwner, bookkept);
  });
  await atTime(t, '2026-12-01T00:10:00Z', () => runMonth(t.services, '2026-11'));
  await deliverDueMail(t.services.db, t.services.mail, t.services.clock, t.services.log, 100);
  smtp.received.length = 0;
});
afterAll(async () => { await t?.close(); await smtp?.close(); });

const invoiceOf = async (contactId: string) => (await t.services.db.select().from(invoices).where(eq(invoices.billingContactId, contactId))).find((i) => i.kind === 'invoice')!;
const url = (c: CompanyFixture, id: string, suffix = '') => `/api/v1/companies/${c.id}/invoices/${id}${suffix}`;

describe('German invoices (issue 12, ADR 0094)', () => {
  it('takes the language when the invoice is numbered: the invoice e-mail\'s Account\'s, else the first owner\'s, else English', async () => {
    const german = await invoiceOf(company.contactId);
    expect(german.language).toBe('de');
    expect((await invoiceOf(english.contactId)).language).toBe('en');
    expect((await invoiceOf(bookkept.contactId)).language).toBe('de');
    const detail = (await as(t, owner).get(url(company, german.id))).json();
    expect(detail).toMatchObject({ language: 'de', total: { amount: 1333, currency: 'EUR' }, notes: [] });
    expect(detail.lines[0].description).toBe('PHP Klein (0,5 vCPU, 512 MB), Datenbank Klein (1 GB), Speicherplatz 10 GB');
    const fr = (await as(t, owner).get(url(company, (await invoiceOf(contacts.fr)).id))).json();
    expect(fr).toMatchObject({ language: 'de', taxes: [{ category: 'AE', rate: 0 }] });
    expect(fr.notes).toEqual(['Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge): Die Umsatzsteuer schuldet der Leistungsempfänger (Artikel 196 der Richtlinie 2006/112/EG).']);
    const ch = (await as(t, owner).get(url(company, (await invoiceOf(contacts.ch)).id))).json();
    expect(ch.notes).toEqual(['Im Inland nicht steuerbar: Der Ort der Leistung liegt außerhalb der EU (Artikel 44 der Richtlinie 2006/112/EG).']);
  });

  it('prints the PDF in German: words from the catalogue, dates and amounts as de-DE writes them', async () => {
    const invoice = await invoiceOf(company.contactId);
    const raw = (await as(t, owner).get(url(company, invoice.id, '/pdf'))).rawPayload;
    const text = plain(pdfText(raw));
    for (const expected of ['RECHNUNG', 'Rechnungsnummer', invoice.number, 'Rechnungsdatum', '1. Dezember 2026', 'Leistungszeitraum', '1.–30. November 2026', 'Währung',
      'Bakery Müller GmbH', 'Hauptstraße 1', '10115 Berlin', 'Deutschland', 'USt-IdNr. DE136695976', 'Dashboard Hosting GmbH', 'Friedrichstraße 123',
      'App und Tarif', 'Zeitraum', 'Monatspreis', 'Betrag', 'baeckerei-shop', 'PHP Klein (0,5 vCPU, 512 MB)', '10.–30. Nov. 2026 (21 Tage)', '16,00 € / Monat',
      'Netto zu 19 %', '11,20 €', 'zzgl. MwSt. 19 %', '2,13 €', 'Gesamtbetrag', '13,33 €', 'Seite 1 von 1']) {
      expect(text).toContain(expected);
    }
    expect(text.replace(/\s+/g, ' ')).toContain('Der Gesamtbetrag von 13,33 € wird von Ihrer Visa-Karte mit den Endziffern 4242 abgebucht. Sie müssen nichts überweisen.');
    expect(text.replace(/ /g, '')).toContain('RECHNUNGSEMPFÄNGER'); // printed letter-spaced
    expect(text).not.toMatch(/Invoice|Total due|VAT ID|Germany|€\d/);
    const frRaw = (await as(t, owner).get(url(company, (await invoiceOf(contacts.fr)).id, '/pdf'))).rawPayload;
    const fr = plain(pdfText(frRaw));
    // The label wraps in its column beside its amount (looked at with pdftoppm).
    expect(fr.replace(/\s+/g, ' ')).toMatch(/MwSt\. 0 % \(Steuerschuldnerschaft des (0,00 € )?Leistungsempfängers\) (0,00 € )?Gesamtbetrag 11,20 €/);
    expect(fr).toContain('Frankreich');
    expect(fr).toContain('USt-IdNr. FR40303265045');
    const ch = plain(pdfText((await as(t, owner).get(url(company, (await invoiceOf(contacts.ch)).id, '/pdf'))).rawPayload));
    expect(ch).toContain('MwSt. 0 % (im Inland nicht steuerbar)');
    expect(ch).toContain('Schweiz');
  });

  it('serves the HTML page in German with lang="de"', async () => {
    const invoice = await invoiceOf(company.contactId);
    const html = (await as(t, owner).get(url(company, invoice.id, '/html'))).body;
    expect(html).toContain('<html lang="de">');
    expect(html).toContain(`<title>Rechnung ${invoice.number}</title>`);
    for (const words of ['Rechnungsempfänger', 'Leistungszeitraum', 'zzgl. MwSt. 19\u00a0%', 'Gesamtbetrag', '13,33\u00a0€']) expect(html).toContain(words);
  });

  it('mails the German invoice in German, with the German PDF attached', async () => {
    await atTime(t, '2026-12-01T00:11:00Z', () => mailIssuedInvoices(t.services));
    await deliverDueMail(t.services.db, t.services.mail, t.services.clock, t.services.log, 100);
    const invoice = await invoiceOf(company.contactId);
    const mail = await smtp.waitForMailTo('invoices@bakery.example', (m) => m.subject?.includes(invoice.number) ?? false);
    expect(plain(mail.subject!)).toBe(`Rechnung ${invoice.number} von Dashboard Hosting GmbH: 13,33 €`);
    expect(plain(mail.text!)).toContain(`anbei die Rechnung ${invoice.number} für November 2026: 13,33 €.`);
    expect(plainText(mail.attachments[0].content)).toContain('RECHNUNG');
  });

  it('never changes an issued invoice when the owner switches to English later', async () => {
    const invoice = await invoiceOf(company.contactId);
    const before = (await as(t, owner).get(url(company, invoice.id))).json();
    const pdfBefore = (await as(t, owner).get(url(company, invoice.id, '/pdf'))).rawPayload;
    expect((await as(t, owner).patch('/api/v1/me', { language: 'en' })).statusCode).toBe(200);
    try {
      expect((await as(t, owner).get(url(company, invoice.id))).json()).toEqual(before);
      expect((await as(t, owner).get(url(company, invoice.id, '/pdf'))).rawPayload.equals(pdfBefore)).toBe(true);
    } finally {
      await as(t, owner).patch('/api/v1/me', { language: 'de' });
    }
  });

  it('prints a credit note in the language of the invoice it cancels', async () => {
    const invoice = await invoiceOf(contacts.ch);
    expect((await as(t, owner).patch('/api/v1/me', { language: 'en' })).statusCode).toBe(200);
    try {
      const { creditNote } = await atTime(t, '2026-12-03T10:00:00Z', () => creditInvoice(t.services, invoice.number, 'Laden eine Woche geschlossen'));
      expect(creditNote.language).toBe('de');
      expect(creditNote.notes[0]).toBe(`Diese Stornorechnung storniert die Rechnung ${invoice.number} vom 1. Dezember 2026 vollständig. Grund: Laden eine Woche geschlossen`);
      const raw = (await as(t, owner).get(url(company, creditNote.id, '/pdf'))).rawPayload;
      const text = plain(pdfText(raw));
      for (const expected of ['STORNORECHNUNG', 'Stornorechnungsnummer', creditNote.number, 'Storniert Rechnung', invoice.number, 'Gutgeschriebener Betrag', '-11,20 €']) expect(text).toContain(expected);
      expect(text.replace(/\s+/g, ' ')).toContain('Der Betrag von 11,20 € wird Ihnen gutgeschrieben. Grund: Laden eine Woche geschlossen.');
    } finally {
      await as(t, owner).patch('/api/v1/me', { language: 'de' });
    }
  });
});

function plainText(pdf: Buffer): string {
  return plain(pdfText(pdf));
}
