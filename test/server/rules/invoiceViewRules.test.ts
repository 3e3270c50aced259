import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityEvents } from '../../../src/server/db/schema.js';
import { SAMPLE_SELLER } from '../../../src/server/config.js';
import { chargeInvoice } from '../../../src/server/modules/billing/chargeInvoice.js';
import { creditInvoice } from '../../../src/server/modules/billing/creditNote.js';
import { issueMonthlyInvoice } from '../../../src/server/modules/billing/issueInvoice.js';
import type { ChargeLine } from '../../../src/server/modules/billing/charges.js';
import { invoiceDate, longDate, printedInvoice } from '../../../src/server/modules/billing/invoiceDocument.js';
import { renderInvoiceHtml } from '../../../src/server/modules/billing/invoiceHtml.js';
import type { InvoiceRow } from '../../../src/server/modules/billing/invoiceRepo.js';
import { countryName, creditSnapshot, invoiceSnapshot, sellerSnapshot, type BuyerSnapshot, type InvoiceSnapshot, type LineSnapshot, type TaxSnapshot } from '../../../src/server/modules/billing/invoiceSnapshot.js';
import { checkVatNumber } from '../../../src/server/modules/billing/vatCheck.js';
import { lineView, money } from '../../../src/server/modules/billing/views.js';
import type { Language } from '../../../src/shared/i18n/index.js';
import { atTime, pdfText } from '../../harness/billing.js';
import { addMember, bookApp, cardToken, contactInput, createCompany, type CompanyFixture } from '../../harness/factories.js';
import { as, createTestApp, mailsTo, signUpVerified, type SignedIn, type TestApp } from '../../harness/testApp.js';

/**
 * Issue 10 (Stryker on modules/billing: invoiceDocument.ts, invoiceHtml.ts, views.ts): what the
 * client sees of an issued invoice (SPEC 4.8): the printed words in the invoice's own language,
 * fixed when it was numbered (ADR 0094), the amounts in integer cents as the language writes
 * them, one VAT line per rate, the payment note, and the HTML page escaped. The printed form is
 * made from the snapshot on the row only; these tests build the rows from the real snapshot
 * functions (pure, no database).
 */
const ISSUED = new Date('2026-12-01T00:10:00Z');
const SMALL = { php: 'php-s', database: 'db-s', storage: 'storage-10' };
const ENGLISH_PLAN = 'PHP Small (0.5 vCPU, 512 MB), Database Small (1 GB), Storage 10 GB';
/** Intl writes "13,33 €" and "19 %" with a no-break space before the sign. */
const nb = (s: string) => s.replace(/ ([€%])/g, '\u00a0$1');

function chargeLine(appName: string, fromDay: string, toDay: string, days: number, amountCents: number, currency: 'EUR' | 'USD' = 'EUR'): ChargeLine {
  return { appId: `app_${appName}`, appName, billingContactId: 'bc_1', plan: SMALL, description: ENGLISH_PLAN, fromDay, toDay, days, unitPriceCents: 1600, amountCents, currency };
}
function buyerOf(opts: { country?: string; vatNumber?: string | null; line2?: string; language?: Language; pm?: BuyerSnapshot['paymentMethod']; name?: string } = {}): BuyerSnapshot {
  const country = opts.country ?? 'DE';
  const vatNumber = opts.vatNumber === undefined ? 'DE136695976' : opts.vatNumber;
  return {
    name: opts.name ?? 'Bakery Müller GmbH',
    address: { line1: 'Hauptstraße 1', ...(opts.line2 ? { line2: opts.line2 } : {}), postalCode: '10115', city: 'Berlin', country },
    countryName: countryName(country, opts.language ?? 'en'),
    vatNumber, vatCheck: vatNumber ? checkVatNumber(vatNumber, country, ISSUED) : null, invoiceEmail: 'invoices@bakery.example',
    paymentMethod: opts.pm ?? { type: 'card', brand: 'visa', last4: '4242' },
  };
}
/** An invoice row as issueInvoice writes it, from the real snapshot. */
function rowOf(snap: InvoiceSnapshot, over: Partial<InvoiceRow> = {}): InvoiceRow {
  return {
    id: 'inv_test', number: 'INV-2026-000042', kind: 'invoice', companyId: 'co_test', billingContactId: 'bc_1', month: '2026-11', issuedAt: ISSUED,
    currency: snap.currency, netCents: snap.netCents, taxCents: snap.taxCents, totalCents: snap.totalCents, state: 'open',
    seller: snap.seller as unknown as Record<string, unknown>, buyer: snap.buyer as unknown as Record<string, unknown>,
    lines: snap.lines as unknown as Record<string, unknown>[], taxes: snap.taxes as unknown as Record<string, unknown>[], notes: snap.notes,
    language: snap.language, creditsInvoiceId: null, reason: null, mailedAt: null, nextChargeAt: ISSUED, chargeAttempts: 0, paidAt: null,
    suspendedAt: null, dunningFrom: null, stateChangedAt: ISSUED,
    ...over,
  } as InvoiceRow;
}
function germanDomestic(language: Language = 'en', buyer = buyerOf({ language })) {
  // 10–30 November: 21 of 30 days of €16.00 = €11.20; 19 % = €2.128 → €2.13.
  return invoiceSnapshot({ seller: sellerSnapshot(SAMPLE_SELLER, language), buyer, currency: 'EUR', lines: [chargeLine('bakery-shop', '2026-11-10', '2026-11-30', 21, 1120)], language });
}
function creditOf(invoice: InvoiceRow, reason: string | null): InvoiceRow {
  const snap = creditSnapshot({ lines: invoice.lines as unknown as LineSnapshot[], taxes: invoice.taxes as unknown as TaxSnapshot[], netCents: invoice.netCents, taxCents: invoice.taxCents, totalCents: invoice.totalCents });
  return {
    ...invoice, id: 'inv_credit', number: 'INV-2026-000043', kind: 'credit_note', state: 'issued', issuedAt: new Date('2026-12-03T10:00:00Z'),
    lines: snap.lines as unknown as Record<string, unknown>[], taxes: snap.taxes as unknown as Record<string, unknown>[],
    netCents: snap.netCents, taxCents: snap.taxCents, totalCents: snap.totalCents, creditsInvoiceId: invoice.id, reason, nextChargeAt: null,
    notes: [`This credit note cancels invoice ${invoice.number} of 1 December 2026 in full. Reason: ${reason ?? ''}`, ...invoice.notes],
  };
}

describe('the printed invoice (SPEC 4.8: every field an EU invoice needs, from the snapshot only)', () => {
  it('an English invoice of a German buyer: title, facts, seller and buyer with VAT IDs, the line, net and VAT at 19 %, the total and the card it is charged to', () => {
    const doc = printedInvoice(rowOf(germanDomestic()));
    expect({ ...doc, page: undefined }).toEqual({
      language: 'en', title: 'Invoice', number: 'INV-2026-000042',
      facts: [['Invoice number', 'INV-2026-000042'], ['Issue date', '1 December 2026'], ['Service period', '1–30 November 2026'], ['Currency', 'EUR']],
      seller: { name: 'Dashboard Hosting GmbH', lines: ['Friedrichstraße 123', '10117 Berlin', 'Germany', 'VAT ID DE811907980'] },
      buyer: { name: 'Bakery Müller GmbH', lines: ['Hauptstraße 1', '10115 Berlin', 'Germany', 'VAT ID DE136695976'] },
      labels: { billTo: 'Bill to', columns: ['App and plan', 'Period', 'Monthly price', 'Amount'] },
      lines: [{ app: 'bakery-shop', description: ENGLISH_PLAN, period: '10–30 Nov 2026 (21 days)', unitPrice: '€16.00 / month', amount: '€11.20' }],
      totals: [{ label: 'Net at 19 %', value: '€11.20' }, { label: 'VAT 19 %', value: '€2.13' }, { label: 'Total due', value: '€13.33', strong: true }],
      notes: ['The total of €13.33 is charged to the Visa card ending 4242. There is nothing to transfer.'],
      footer: 'Dashboard Hosting GmbH · Friedrichstraße 123 · 10117 Berlin · VAT ID DE811907980',
      page: undefined,
    });
    expect(doc.page(1, 2)).toBe('Page 1 of 2');
  });

  it('a German invoice: the catalogue\'s German words, and dates, amounts and rates as de-DE writes them', () => {
    const doc = printedInvoice(rowOf(germanDomestic('de')));
    expect({ ...doc, page: undefined }).toEqual({
      language: 'de', title: 'Rechnung', number: 'INV-2026-000042',
      facts: [['Rechnungsnummer', 'INV-2026-000042'], ['Rechnungsdatum', '1. Dezember 2026'], ['Leistungszeitraum', '1.–30. November 2026'], ['Währung', 'EUR']],
      seller: { name: 'Dashboard Hosting GmbH', lines: ['Friedrichstraße 123', '10117 Berlin', 'Deutschland', 'USt-IdNr. DE811907980'] },
      buyer: { name: 'Bakery Müller GmbH', lines: ['Hauptstraße 1', '10115 Berlin', 'Deutschland', 'USt-IdNr. DE136695976'] },
      labels: { billTo: 'Rechnungsempfänger', columns: ['App und Tarif', 'Zeitraum', 'Monatspreis', 'Betrag'] },
      lines: [{ app: 'bakery-shop', description: 'PHP Klein (0,5 vCPU, 512 MB), Datenbank Klein (1 GB), Speicherplatz 10 GB', period: '10.–30. Nov. 2026 (21 Tage)', unitPrice: nb('16,00 € / Monat'), amount: nb('11,20 €') }],
      totals: [{ label: nb('Netto zu 19 %'), value: nb('11,20 €') }, { label: nb('zzgl. MwSt. 19 %'), value: nb('2,13 €') }, { label: 'Gesamtbetrag', value: nb('13,33 €'), strong: true }],
      notes: [nb('Der Gesamtbetrag von 13,33 € wird von Ihrer Visa-Karte mit den Endziffern 4242 abgebucht. Sie müssen nichts überweisen.')],
      footer: 'Dashboard Hosting GmbH · Friedrichstraße 123 · 10117 Berlin · USt-IdNr. DE811907980',
      page: undefined,
    });
    expect(doc.page(1, 2)).toBe('Seite 1 von 2');
  });

  it('a row in a language the Dashboard does not speak is printed in English', () => {
    expect(printedInvoice(rowOf(germanDomestic(), { language: 'fr' })).title).toBe('Invoice');
  });

  it('the periods of a line: one day, days of one month, across months and years, in both languages', () => {
    const snap = germanDomestic();
    const lines = [
      { ...snap.lines[0], fromDay: '2026-11-05', toDay: '2026-11-05', days: 1 },
      { ...snap.lines[0], fromDay: '2026-11-28', toDay: '2026-12-02', days: 5 },
      { ...snap.lines[0], fromDay: '2026-12-30', toDay: '2027-01-02', days: 4 },
      // The same month of another year is another month.
      { ...snap.lines[0], fromDay: '2026-11-30', toDay: '2027-11-01', days: 337 },
    ];
    const en = printedInvoice(rowOf({ ...snap, lines }));
    expect(en.lines.map((l) => l.period)).toEqual(['5 Nov 2026 (1 day)', '28 Nov 2026 – 2 Dec 2026 (5 days)', '30 Dec 2026 – 2 Jan 2027 (4 days)', '30 Nov 2026 – 1 Nov 2027 (337 days)']);
    const de = printedInvoice(rowOf({ ...snap, lines, language: 'de' }));
    expect(de.lines.map((l) => l.period)).toEqual(['5. Nov. 2026 (1 Tag)', '28. Nov. – 2. Dez. 2026 (5 Tage)', '30. Dez. 2026 – 2. Jan. 2027 (4 Tage)', '30. Nov. 2026 – 1. Nov. 2027 (337 Tage)']);
    // Intl's thin and narrow spaces are printed as plain spaces (the PDF fonts have no glyph for them).
    for (const l of [...de.lines, ...de.facts.map(([, v]) => ({ period: v }))]) expect(l.period).not.toMatch(/[\u2009\u202f]/);
  });

  it('the service month runs to the month\'s last day: February of a leap year and not, and a 31-day month', () => {
    const snap = germanDomestic();
    const monthOf = (month: string, language: Language = 'en') => printedInvoice(rowOf({ ...snap, language }, { month })).facts[2][1];
    expect(monthOf('2028-02')).toBe('1–29 February 2028');
    expect(monthOf('2026-02')).toBe('1–28 February 2026');
    expect(monthOf('2026-01')).toBe('1–31 January 2026');
    expect(monthOf('2026-09')).toBe('1–30 September 2026');
    expect(monthOf('2028-02', 'de')).toBe('1.–29. Februar 2028');
    expect(longDate('2026-03-07')).toBe('7 March 2026');
    // Every month by its name, and by its first three letters in a line's period.
    const names = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
    expect(names.map((_, i) => longDate(`2026-${String(i + 1).padStart(2, '0')}-01`))).toEqual(names.map((n) => `1 ${n} 2026`));
    const line = germanDomestic().lines[0];
    const periods = printedInvoice(rowOf({ ...germanDomestic(), lines: names.map((_, i) => ({ ...line, fromDay: `2026-${String(i + 1).padStart(2, '0')}-02`, toDay: `2026-${String(i + 1).padStart(2, '0')}-03`, days: 2 })) })).lines.map((l) => l.period);
    expect(periods).toEqual(names.map((n) => `2–3 ${n.slice(0, 3)} 2026 (2 days)`));
    expect(invoiceDate('2026-12-01', 'en')).toBe('1 December 2026');
    expect(invoiceDate('2026-12-01', 'de')).toBe('1. Dezember 2026');
  });

  it('VAT lines: reverse charge and not taxable here at 0 % under a plain net total; two rates each with its own net', () => {
    const fr = invoiceSnapshot({ seller: sellerSnapshot(SAMPLE_SELLER), buyer: buyerOf({ country: 'FR', vatNumber: 'FR40303265045' }), currency: 'EUR', lines: [chargeLine('a', '2026-11-01', '2026-11-30', 30, 1600)] });
    const reverse = printedInvoice(rowOf(fr));
    expect(reverse.totals).toEqual([{ label: 'Net total', value: '€16.00' }, { label: 'VAT 0 % (reverse charge)', value: '€0.00' }, { label: 'Total due', value: '€16.00', strong: true }]);
    expect(reverse.notes[0]).toMatch(/^Reverse charge/);
    expect(reverse.buyer.lines).toEqual(['Hauptstraße 1', '10115 Berlin', 'France', 'VAT ID FR40303265045']);
    const us = invoiceSnapshot({ seller: sellerSnapshot(SAMPLE_SELLER), buyer: buyerOf({ country: 'US', vatNumber: null, line2: 'Suite 5' }), currency: 'USD', lines: [chargeLine('a', '2026-11-01', '2026-11-30', 30, 1800, 'USD')] });
    const outside = printedInvoice(rowOf(us));
    expect(outside.totals).toEqual([{ label: 'Net total', value: '$18.00' }, { label: 'VAT 0 % (not taxable here)', value: '$0.00' }, { label: 'Total due', value: '$18.00', strong: true }]);
    expect(outside.buyer.lines).toEqual(['Hauptstraße 1', 'Suite 5', '10115 Berlin', 'United States']);
    expect(outside.facts.at(-1)).toEqual(['Currency', 'USD']);
    // Two rates on one invoice (not made by today's snapshot, which has one treatment per invoice): each net names its rate, a 0 % one too.
    const two = rowOf({ ...fr, taxes: [{ category: 'S', rateBp: 1900, netCents: 1000, taxCents: 190 }, { category: 'Z', rateBp: 0, netCents: 500, taxCents: 0 }] as TaxSnapshot[] });
    expect(printedInvoice(two).totals.slice(0, 4)).toEqual([
      { label: 'Net at 19 %', value: '€10.00' }, { label: 'Net at 0 %', value: '€5.00' }, { label: 'VAT 19 %', value: '€1.90' }, { label: 'VAT 0 %', value: '€0.00' },
    ]);
    // A rate with a fraction: 25.5 %.
    const half = rowOf({ ...fr, taxes: [{ category: 'S', rateBp: 2550, netCents: 1000, taxCents: 255 }] as TaxSnapshot[] });
    expect(printedInvoice(half).totals.slice(0, 2).map((x) => x.label)).toEqual(['Net at 25.5 %', 'VAT 25.5 %']);
    expect(printedInvoice({ ...half, language: 'de' }).totals.slice(0, 2).map((x) => x.label)).toEqual([nb('Netto zu 25,5 %'), nb('zzgl. MwSt. 25,5 %')]);
  });

  it('the payment note names how it is paid: a SEPA debit, a known card brand, a card of no known brand', () => {
    const noteOf = (pm: BuyerSnapshot['paymentMethod']) => printedInvoice(rowOf(germanDomestic('en', buyerOf({ pm })))).notes.at(-1);
    expect(noteOf({ type: 'sepa_debit', brand: null, last4: '3000' })).toBe('The total of €13.33 is charged to the SEPA direct debit from the account ending 3000. There is nothing to transfer.');
    expect(noteOf({ type: 'card', brand: 'mastercard', last4: '4444' })).toBe('The total of €13.33 is charged to the Mastercard card ending 4444. There is nothing to transfer.');
    expect(noteOf({ type: 'card', brand: 'unknown', last4: '1111' })).toBe('The total of €13.33 is charged to the card ending 1111. There is nothing to transfer.');
    expect(noteOf({ type: 'card', brand: null, last4: '1111' })).toBe('The total of €13.33 is charged to the card ending 1111. There is nothing to transfer.');
    // The tax note of the snapshot comes first, the payment note last.
    const fr = invoiceSnapshot({ seller: sellerSnapshot(SAMPLE_SELLER), buyer: buyerOf({ country: 'FR', vatNumber: 'FR40303265045' }), currency: 'EUR', lines: [chargeLine('a', '2026-11-01', '2026-11-30', 30, 1600)] });
    expect(printedInvoice(rowOf(fr)).notes).toEqual([fr.notes[0], 'The total of €16.00 is charged to the Visa card ending 4242. There is nothing to transfer.']);
  });

  it('a seller without a VAT ID prints none, in its lines or its footer', () => {
    const seller = { ...sellerSnapshot(SAMPLE_SELLER), vatNumber: null };
    const doc = printedInvoice(rowOf({ ...germanDomestic(), seller }));
    expect(doc.seller.lines).toEqual(['Friedrichstraße 123', '10117 Berlin', 'Germany']);
    expect(doc.footer).toBe('Dashboard Hosting GmbH · Friedrichstraße 123 · 10117 Berlin');
  });

  it('a credit note: its own title and number label, the invoice it credits, the total credited, the amount back with the reason', () => {
    const invoice = rowOf(germanDomestic());
    const credit = creditOf(invoice, 'Booked by mistake');
    const doc = printedInvoice(credit, { credits: invoice.number });
    expect(doc.title).toBe('Credit note');
    expect(doc.facts).toEqual([
      ['Credit note number', 'INV-2026-000043'], ['Issue date', '3 December 2026'], ['Service period', '1–30 November 2026'], ['Credits invoice', 'INV-2026-000042'], ['Currency', 'EUR'],
    ]);
    expect(doc.lines[0].amount).toBe('-€11.20');
    expect(doc.totals).toEqual([{ label: 'Net at 19 %', value: '-€11.20' }, { label: 'VAT 19 %', value: '-€2.13' }, { label: 'Total credited', value: '-€13.33', strong: true }]);
    expect(doc.notes).toEqual([credit.notes[0], 'The total of €13.33 is credited to your account. Reason: Booked by mistake.']);
    // Without a reason on the row: the amount only; without the invoice's number: no such fact.
    const bare = printedInvoice(creditOf(invoice, null));
    expect(bare.notes.at(-1)).toBe('The total of €13.33 is credited to your account.');
    expect(bare.facts.map(([k]) => k)).toEqual(['Credit note number', 'Issue date', 'Service period', 'Currency']);
    // An invoice never names a credited invoice, even if asked.
    expect(printedInvoice(invoice, { credits: 'INV-2026-000001' }).facts.map(([k]) => k)).toEqual(['Invoice number', 'Issue date', 'Service period', 'Currency']);
    const de = printedInvoice({ ...credit, language: 'de' }, { credits: invoice.number });
    expect([de.title, de.facts[0][0], de.facts[3][0], de.totals.at(-1)!.label]).toEqual(['Stornorechnung', 'Stornorechnungsnummer', 'Storniert Rechnung', 'Gutgeschriebener Betrag']);
    expect(de.notes.at(-1)).toBe(nb('Der Betrag von 13,33 € wird Ihnen gutgeschrieben. Grund: Booked by mistake.'));
  });
});

describe('the HTML page of an invoice (what the browser shows and prints)', () => {
  it('the document in its language, escaped everywhere, with the total row strong and the amount columns right-aligned', () => {
    const buyer = buyerOf({ name: 'Tom & Jerry\'s <Bakery> "Ltd"', vatNumber: null });
    const html = renderInvoiceHtml(printedInvoice(rowOf(germanDomestic('en', buyer))));
    expect(html.startsWith('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">')).toBe(true);
    expect(html).toContain('<title>Invoice INV-2026-000042</title>');
    expect(html).toContain('<strong>Tom &amp; Jerry&#39;s &lt;Bakery&gt; &quot;Ltd&quot;</strong><br>Hauptstraße 1<br>10115 Berlin<br>Germany</div>');
    expect(html).not.toContain('<Bakery>');
    expect(html).toContain('<header><div class="seller"><strong>Dashboard Hosting GmbH</strong><br><span class="muted">Friedrichstraße 123<br>10117 Berlin<br>Germany<br>VAT ID DE811907980</span></div><h1>Invoice</h1></header>');
    expect(html).toContain('<div class="label">Bill to</div>');
    expect(html).toContain('<dl><dt>Invoice number</dt><dd>INV-2026-000042</dd><dt>Issue date</dt><dd>1 December 2026</dd><dt>Service period</dt><dd>1–30 November 2026</dd><dt>Currency</dt><dd>EUR</dd></dl>');
    expect(html).toContain('<thead><tr><th scope="col">App and plan</th><th scope="col">Period</th><th scope="col" class="num">Monthly price</th><th scope="col" class="num">Amount</th></tr></thead>');
    expect(html).toContain(`<tbody><tr><td><strong>bakery-shop</strong><br><span class="muted">${ENGLISH_PLAN}</span></td><td>10–30 Nov 2026 (21 days)</td><td class="num">€16.00 / month</td><td class="num"><strong>€11.20</strong></td></tr></tbody>`);
    expect(html).toContain('<table class="totals"><tbody><tr><th scope="row">Net at 19 %</th><td class="num">€11.20</td></tr><tr><th scope="row">VAT 19 %</th><td class="num">€2.13</td></tr><tr class="total"><th scope="row">Total due</th><td class="num">€13.33</td></tr></tbody></table>');
    expect(html).toContain('<p>The total of €13.33 is charged to the Visa card ending 4242. There is nothing to transfer.</p>\n<footer class="muted">Dashboard Hosting GmbH · Friedrichstraße 123 · 10117 Berlin · VAT ID DE811907980</footer>');
    expect(html).not.toMatch(/<script|<link|src=/);
    expect(html.endsWith('</main></body></html>')).toBe(true);
  });

  it('one row per line of the invoice, one after the other', () => {
    const snap = invoiceSnapshot({ seller: sellerSnapshot(SAMPLE_SELLER), buyer: buyerOf(), currency: 'EUR', lines: [chargeLine('alpha', '2026-11-01', '2026-11-30', 30, 1600), chargeLine('beta', '2026-11-10', '2026-11-30', 21, 1120)] });
    const html = renderInvoiceHtml(printedInvoice(rowOf(snap)));
    expect(html).toContain('<td class="num"><strong>€16.00</strong></td></tr><tr><td><strong>beta</strong>');
    expect(html.match(/<tr><td><strong>/g)).toHaveLength(2);
  });

  it('notes each in a paragraph, one per line; a German page says lang="de"', () => {
    const fr = invoiceSnapshot({ seller: sellerSnapshot(SAMPLE_SELLER, 'de'), buyer: buyerOf({ country: 'FR', vatNumber: 'FR40303265045', language: 'de' }), currency: 'EUR', lines: [chargeLine('a', '2026-11-01', '2026-11-30', 30, 1600)], language: 'de' });
    const doc = printedInvoice(rowOf(fr));
    const html = renderInvoiceHtml(doc);
    expect(html).toContain('<html lang="de">');
    expect(html).toContain(`<title>Rechnung INV-2026-000042</title>`);
    expect(html).toContain(`<p>${doc.notes[0]}</p>\n<p>${doc.notes[1]}</p>\n<footer`);
  });
});

describe('the money and line views of the API (integer cents with their currency)', () => {
  it('a line as API.md\'s InvoiceLine: amounts as cents with the line\'s currency', () => {
    expect(money(1333, 'EUR')).toEqual({ amount: 1333, currency: 'EUR' });
    const l = chargeLine('shop', '2026-11-10', '2026-11-30', 21, 1260, 'USD');
    expect(lineView(l)).toEqual({
      appName: 'shop', plan: SMALL, description: ENGLISH_PLAN, fromDay: '2026-11-10', toDay: '2026-11-30', days: 21,
      unitPrice: { amount: 1600, currency: 'USD' }, amount: { amount: 1260, currency: 'USD' },
    });
  });
});

describe('the invoice API (SPEC 4.8: owners and accountants read, owners pay; what was issued, never changed)', () => {
  // The database tests: one app for this block only (the pure tests above need none).
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t?.close(); });

  const CARD = { ok: '4242424242424242', chargeDeclined: '4000000000000341', threeDSecure: '4000002500003155' };
  const DECLINED = 'The card was declined by the bank. Please use another card.';
  interface World { owner: SignedIn; co: CompanyFixture; app: string }
  /** A Company whose contact pays with `card`, one App booked on the 10th of `month`. */
  async function world(month: string, card = CARD.ok): Promise<World> {
    // Signed up now: the session is checked against the test clock, which the tests move.
    const owner = await signUpVerified(t);
    return atTime(t, `${month}-10T09:00:00Z`, async () => {
      const res = await as(t, owner).post('/api/v1/companies', { name: `Viewed ${month}`, billingContact: contactInput(), paymentMethod: { token: await cardToken(t, card) } });
      expect(res.statusCode, res.body).toBe(201);
      const contacts = await as(t, owner).get(`/api/v1/companies/${res.json().id}/billing-contacts`);
      const co = { id: res.json().id, name: `Viewed ${month}`, contactId: contacts.json().items[0].id };
      return { owner, co, app: await bookApp(t, owner, co, { name: `shop-${month}-${Math.random().toString(36).slice(2, 6)}` }) };
    });
  }
  async function issue(contactId: string, month: string, at: string) {
    const out = await atTime(t, at, () => issueMonthlyInvoice(t.services, contactId, month));
    if (out.outcome !== 'issued') throw new Error(`not issued: ${out.outcome}`);
    return out;
  }
  const url = (w: World, id = '', suffix = '') => `/api/v1/companies/${w.co.id}/invoices${id ? `/${id}` : ''}${suffix}`;

  it('the detail is the snapshot as issued: seller, buyer with the VAT check, lines with their tax, VAT per rate, notes and the payments tried, with the bank\'s words', async () => {
    const w = await world('2011-03', CARD.chargeDeclined);
    const inv = await issue(w.co.contactId, '2011-03', '2011-04-01T00:10:00Z');
    expect(await atTime(t, '2011-04-01T00:30:00Z', () => chargeInvoice(t.services, inv.invoiceId, 'scheduled'))).toMatchObject({ outcome: 'declined' });
    const res = await as(t, w.owner).get(url(w, inv.invoiceId));
    expect(res.statusCode).toBe(200);
    // 10–31 March: 22 of 31 days of €16.00 = €11.35; 19 % = €2.16.
    expect(res.json()).toEqual({
      id: inv.invoiceId, number: inv.number, kind: 'invoice', month: '2011-03', issuedAt: '2011-04-01T00:10:00.000Z',
      billingContact: { id: w.co.contactId, name: 'Bakery Müller GmbH' },
      net: { amount: 1135, currency: 'EUR' }, tax: { amount: 216, currency: 'EUR' }, total: { amount: 1351, currency: 'EUR' }, state: 'payment_failed',
      language: 'en',
      seller: { name: 'Dashboard Hosting GmbH', address: { lines: ['Friedrichstraße 123', '10117 Berlin'], country: 'DE' }, vatNumber: 'DE811907980' },
      buyer: {
        name: 'Bakery Müller GmbH', address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' }, vatNumber: 'DE136695976',
        vatCheck: { valid: true, method: 'jsvat-format-and-checksum', vies: 'not_reachable', checkedAt: '2011-04-01T00:10:00.000Z' },
      },
      lines: [{
        appName: w.app, plan: { php: 'php-s', database: 'db-s', storage: 'storage-10' }, description: ENGLISH_PLAN, fromDay: '2011-03-10', toDay: '2011-03-31', days: 22,
        unitPrice: { amount: 1600, currency: 'EUR' }, amount: { amount: 1135, currency: 'EUR' }, taxCategory: 'S', taxRate: 19,
      }],
      taxes: [{ rate: 19, category: 'S', net: { amount: 1135, currency: 'EUR' }, tax: { amount: 216, currency: 'EUR' } }],
      notes: [],
      payments: [{ at: '2011-04-01T00:30:00.000Z', state: 'declined', amount: { amount: 1351, currency: 'EUR' }, message: DECLINED }],
    });
  });

  it('a credit note and the invoice it voids name each other, with the reason; both print the invoice credited, and the PDF is named by the number', async () => {
    const w = await world('2011-05');
    const inv = await issue(w.co.contactId, '2011-05', '2011-06-01T00:10:00Z');
    expect(await atTime(t, '2011-06-01T00:30:00Z', () => chargeInvoice(t.services, inv.invoiceId, 'scheduled'))).toMatchObject({ outcome: 'paid' });
    const { creditNote } = await atTime(t, '2011-06-03T10:00:00Z', () => creditInvoice(t.services, inv.number, 'Shop closed for a week'));
    const invoice = (await as(t, w.owner).get(url(w, inv.invoiceId))).json();
    expect(invoice).toMatchObject({ state: 'void', creditedBy: { id: creditNote.id, number: creditNote.number } });
    expect(invoice).not.toHaveProperty('credits');
    expect(invoice).not.toHaveProperty('reason');
    // A paid payment has no message.
    expect(invoice.payments).toEqual([{ at: '2011-06-01T00:30:00.000Z', state: 'paid', amount: { amount: inv.totalCents, currency: 'EUR' } }]);
    const credit = (await as(t, w.owner).get(url(w, creditNote.id))).json();
    expect(credit).toMatchObject({
      id: creditNote.id, number: creditNote.number, kind: 'credit_note', state: 'issued', issuedAt: '2011-06-03T10:00:00.000Z', month: '2011-05',
      total: { amount: -inv.totalCents, currency: 'EUR' }, credits: { id: inv.invoiceId, number: inv.number }, reason: 'Shop closed for a week', payments: [],
    });
    expect(credit).not.toHaveProperty('creditedBy');
    const pdf = await as(t, w.owner).get(url(w, creditNote.id, '/pdf'));
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="${creditNote.number}.pdf"`);
    const text = pdfText(pdf.rawPayload);
    for (const words of ['CREDIT NOTE', 'Credit note number', creditNote.number, 'Credits invoice', inv.number, 'Total credited']) expect(text).toContain(words);
    const page = await as(t, w.owner).get(url(w, creditNote.id, '/html'));
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    // The page runs no script and loads nothing from elsewhere (its styles are inline).
    expect(page.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    const html = page.body;
    expect(html).toContain(`<dt>Credits invoice</dt><dd>${inv.number}</dd>`);
    expect(html).toContain(`<title>Credit note ${creditNote.number}</title>`);
    // The invoice's own pages name no credited invoice.
    const own = await as(t, w.owner).get(url(w, inv.invoiceId, '/html'));
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain(`<title>Invoice ${inv.number}</title>`);
    expect(own.body).not.toContain('Credits invoice');
    const ownPdf = await as(t, w.owner).get(url(w, inv.invoiceId, '/pdf'));
    expect(ownPdf.statusCode).toBe(200);
    expect(pdfText(ownPdf.rawPayload)).not.toContain('Credits invoice');
  });

  it('an invoice numbered in German says so; a buyer without a VAT ID and a seller without one are shown without them', async () => {
    const owner = await signUpVerified(t);
    expect((await as(t, owner).patch('/api/v1/me', { language: 'de' })).statusCode).toBe(200);
    const co = await atTime(t, '2014-02-10T09:00:00Z', async () => {
      const res = await as(t, owner).post('/api/v1/companies', { name: 'Ohne USt', billingContact: contactInput({ vatNumber: undefined, invoiceEmail: 'ohne@ust.example' }), paymentMethod: { token: await cardToken(t) } });
      expect(res.statusCode, res.body).toBe(201);
      const c = { id: res.json().id, name: 'Ohne USt', contactId: (await as(t, owner).get(`/api/v1/companies/${res.json().id}/billing-contacts`)).json().items[0].id };
      await bookApp(t, owner, c);
      return c;
    });
    const w: World = { owner, co, app: '' };
    const inv = await issue(co.contactId, '2014-02', '2014-03-01T00:10:00Z');
    const detail = (await as(t, owner).get(url(w, inv.invoiceId))).json();
    expect(detail).toMatchObject({ language: 'de', buyer: { name: 'Bakery Müller GmbH' }, seller: { vatNumber: 'DE811907980' } });
    expect(detail.lines[0].description).toBe('PHP Klein (0,5 vCPU, 512 MB), Datenbank Klein (1 GB), Speicherplatz 10 GB');
    expect(detail.buyer).not.toHaveProperty('vatNumber');
    expect(detail.buyer).not.toHaveProperty('vatCheck');
    // A seller configured without a VAT ID.
    const plain = await createTestApp({ env: { SELLER_VAT_ID: '' } });
    try {
      const o = await signUpVerified(plain);
      const c = await atTime(plain, '2014-02-10T09:00:00Z', async () => {
        const created = await createCompany(plain, o);
        await bookApp(plain, o, created);
        return created;
      });
      const out = await atTime(plain, '2014-03-01T00:10:00Z', () => issueMonthlyInvoice(plain.services, c.contactId, '2014-02'));
      if (out.outcome !== 'issued') throw new Error(out.outcome);
      const seller = (await as(plain, o).get(`/api/v1/companies/${c.id}/invoices/${out.invoiceId}`)).json().seller;
      expect(seller).toEqual({ name: 'Dashboard Hosting GmbH', address: { lines: ['Friedrichstraße 123', '10117 Berlin'], country: 'DE' } });
    } finally {
      await plain.close();
    }
  });

  it('lists newest first, in pages: a full page names a cursor, the last none; without a limit all (up to 50)', async () => {
    const w = await world('2012-01');
    const ids: string[] = [];
    for (const [month, at] of [['2012-01', '2012-02-01T00:10:00Z'], ['2012-02', '2012-03-01T00:10:00Z'], ['2012-03', '2012-04-01T00:10:00Z']]) {
      ids.push((await issue(w.co.contactId, month, at)).invoiceId);
    }
    const all = (await as(t, w.owner).get(url(w))).json();
    expect(all.nextCursor).toBeNull();
    expect(all.items.map((i: { id: string }) => i.id)).toEqual([...ids].reverse());
    const [newest] = all.items;
    expect(newest).toEqual({
      id: ids[2], number: expect.stringMatching(/^INV-2012-\d{6}$/), kind: 'invoice', month: '2012-03', issuedAt: '2012-04-01T00:10:00.000Z',
      // March in full: €16.00, 19 % = €3.04.
      billingContact: { id: w.co.contactId, name: 'Bakery Müller GmbH' },
      net: { amount: 1600, currency: 'EUR' }, tax: { amount: 304, currency: 'EUR' }, total: { amount: 1904, currency: 'EUR' }, state: 'open',
    });
    const p1 = (await as(t, w.owner).get(`${url(w)}?limit=2`)).json();
    expect(p1.items.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
    expect(Buffer.from(p1.nextCursor, 'base64url').toString()).toBe(`2012-03-01T00:10:00.000Z|${ids[1]}`);
    const p2 = (await as(t, w.owner).get(`${url(w)}?limit=2&cursor=${p1.nextCursor}`)).json();
    expect(p2).toEqual({ items: [all.items[2]], nextCursor: null });
    expect((await as(t, w.owner).get(`${url(w)}?limit=3`)).json().nextCursor).toBeNull();
    // The accountant reads the same list.
    const accountant = await signUpVerified(t);
    await addMember(t, w.co.id, accountant, 'accountant');
    expect((await as(t, accountant).get(url(w))).json()).toEqual(all);
  });

  it('two invoices issued at the same moment are ordered by id, and paging between them loses neither', async () => {
    const w = await world('2012-06');
    const second = await atTime(t, '2012-06-10T09:00:00Z', async () => {
      const res = await as(t, w.owner).post(`/api/v1/companies/${w.co.id}/billing-contacts`, { ...contactInput({ name: 'Second GmbH' }), paymentMethod: { token: await cardToken(t) } });
      const contactId = res.json().id as string;
      await bookApp(t, w.owner, { ...w.co, contactId });
      return contactId;
    });
    const a = await issue(w.co.contactId, '2012-06', '2012-07-01T00:10:00Z');
    const b = await issue(second, '2012-06', '2012-07-01T00:10:00Z');
    const byId = [a.invoiceId, b.invoiceId].sort().reverse();
    const p1 = (await as(t, w.owner).get(`${url(w)}?limit=1`)).json();
    const p2 = (await as(t, w.owner).get(`${url(w)}?limit=1&cursor=${p1.nextCursor}`)).json();
    expect([...p1.items, ...p2.items].map((i: { id: string }) => i.id)).toEqual(byId);
    expect(p2.nextCursor).toBeNull();
  });

  it('refuses a cursor that is not one of this list: not base64 of a time and an id, a time without an id, an id without a time', async () => {
    const w = await world('2012-09');
    const enc = (s: string) => Buffer.from(s).toString('base64url');
    for (const cursor of ['nonsense', enc('2012-10-01T00:10:00.000Z'), enc('not a time|inv_x'), enc('|inv_x')]) {
      const res = await as(t, w.owner).get(`${url(w)}?cursor=${cursor}`);
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', detail: 'This page cursor is not valid; start from the first page.', errors: [{ path: 'cursor', message: 'Not a cursor of this list.' }] });
    }
  });

  it('another Company\'s invoice and an unknown one are not found, in words; admins may not read invoices', async () => {
    const w = await world('2013-01');
    const other = await world('2013-01');
    const theirs = await issue(other.co.contactId, '2013-01', '2013-02-01T00:10:00Z');
    for (const suffix of ['', '/pdf', '/html']) {
      for (const id of [theirs.invoiceId, 'inv_unknown']) {
        const res = await as(t, w.owner).get(url(w, id, suffix));
        expect(res.statusCode).toBe(404);
        expect(res.json().detail).toMatch(/^This invoice /);
      }
    }
    const pay = await as(t, w.owner).post(url(w, theirs.invoiceId, '/pay'));
    expect(pay.statusCode).toBe(404);
    expect(pay.json().detail).toMatch(/^This invoice /);
    expect((await as(t, other.owner).get(url(other, theirs.invoiceId))).statusCode).toBe(200);
  });

  it('"Pay now" (owners only): paid answers the invoice as it is now; a declined card and 3-D Secure answer 402 with the reason; an accountant is refused', async () => {
    const w = await world('2013-05');
    const inv = await issue(w.co.contactId, '2013-05', '2013-06-01T00:10:00Z');
    const accountant = await signUpVerified(t);
    await addMember(t, w.co.id, accountant, 'accountant');
    const refused = await atTime(t, '2013-06-02T09:00:00Z', () => as(t, accountant).post(url(w, inv.invoiceId, '/pay')));
    expect(refused.statusCode).toBe(403);
    const paid = await atTime(t, '2013-06-02T09:00:00Z', () => as(t, w.owner).post(url(w, inv.invoiceId, '/pay')));
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toMatchObject({ id: inv.invoiceId, state: 'paid', payments: [{ state: 'paid', at: '2013-06-02T09:00:00.000Z' }] });
    expect(paid.json()).toEqual((await as(t, w.owner).get(url(w, inv.invoiceId))).json());

    const declined = await world('2013-07', CARD.chargeDeclined);
    const d = await issue(declined.co.contactId, '2013-07', '2013-08-01T00:10:00Z');
    const no = await atTime(t, '2013-08-02T09:00:00Z', () => as(t, declined.owner).post(url(declined, d.invoiceId, '/pay')));
    expect(no.statusCode).toBe(402);
    expect(no.json()).toMatchObject({ code: 'payment_declined', detail: DECLINED, reason: 'declined' });
    // Tried as "Pay now": the owner reads the answer on the page; no mail goes out, and the attempt says how it was made.
    expect(await mailsTo(t.services.db, declined.owner.email, 'invoice-payment-failed')).toEqual([]);
    const [failed] = await t.services.db.select().from(activityEvents).where(and(eq(activityEvents.companyId, declined.co.id), eq(activityEvents.action, 'invoice.payment_failed')));
    expect(failed.details).toMatchObject({ invoiceId: d.invoiceId, attempt: 1, trigger: 'payNow' });

    const secure = await world('2013-09', CARD.threeDSecure);
    const s = await issue(secure.co.contactId, '2013-09', '2013-10-01T00:10:00Z');
    const confirm = await atTime(t, '2013-10-02T09:00:00Z', () => as(t, secure.owner).post(url(secure, s.invoiceId, '/pay')));
    expect(confirm.statusCode).toBe(402);
    expect(confirm.json()).toMatchObject({ code: 'payment_declined', detail: expect.stringContaining('3-D Secure'), reason: 'action_required' });
  });
});
