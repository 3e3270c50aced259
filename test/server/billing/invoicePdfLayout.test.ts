import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PrintedInvoice } from '../../../src/server/modules/billing/invoiceDocument.js';
import { renderInvoicePdf } from '../../../src/server/modules/billing/invoicePdf.js';

/**
 * The printed invoice's layout, held by a golden file (issue 10: Stryker's mutants of
 * invoicePdf.ts, its coordinates, fonts, colours and page breaks, survived every test that
 * reads the PDF's text). An issued invoice is printed again from its snapshot whenever it is
 * downloaded, so a change to the layout changes every old invoice's PDF: it must be meant.
 *
 * Each document is rendered with plain (uncompressed) page streams and compared by SHA-256
 * with test/server/billing/golden/invoicePdf.json. After a layout change that is meant: look at
 * the PDFs (`pdftoppm -png reports/pdf-golden/<name>.pdf`), then run this file with
 * UPDATE_PDF_GOLDEN=1 and commit the golden file. On a mismatch the new PDF is written to
 * reports/pdf-golden/ to look at (SHOW_PDF_GOLDEN=1 writes them all).
 */
const GOLDEN = 'test/server/billing/golden/invoicePdf.json';
const CREATED = new Date('2026-12-01T05:00:00Z');

function invoice(lineCount: number, opts: { de?: boolean; credit?: boolean } = {}): PrintedInvoice {
  const de = opts.de ?? false;
  return {
    language: de ? 'de' : 'en',
    title: opts.credit ? (de ? 'Stornorechnung' : 'Credit note') : (de ? 'Rechnung' : 'Invoice'),
    number: 'FR-2026-000123',
    facts: [
      [de ? 'Stornorechnungsnummer' : 'Invoice number', 'FR-2026-000123'],
      [de ? 'Rechnungsdatum' : 'Issue date', de ? '1. Dezember 2026' : '1 December 2026'],
      [de ? 'Leistungszeitraum' : 'Service period', de ? '1.–30. November 2026' : '1–30 November 2026'],
      [de ? 'Währung' : 'Currency', 'EUR'],
    ],
    seller: { name: 'Hosting GmbH', lines: ['Beispielweg 1', '10115 Berlin', 'Germany', 'VAT ID DE136695976'] },
    buyer: { name: 'Bäckerei Müller GmbH', lines: ['Hauptstraße 1', 'Hinterhaus', '80331 München', 'Germany', 'VAT ID DE129273398'] },
    labels: { billTo: de ? 'Rechnung an' : 'Bill to', columns: de ? ['App', 'Zeitraum', 'Preis', 'Betrag'] : ['App', 'Period', 'Unit price', 'Amount'] },
    lines: Array.from({ length: lineCount }, (_, i) => ({
      app: `bakery-shop-${i + 1}`,
      description: i % 3 === 0 ? 'PHP M, database M, storage 50 GB, with a description long enough to wrap onto a second line' : 'PHP S, database S, storage 10 GB',
      period: i % 2 === 0 ? (de ? '1.–30. Nov. 2026 (30 Tage)' : '1–30 Nov 2026 (30 days)') : (de ? '15. Okt. 2026 – 14. Nov. 2026 (31 Tage)' : '15 Oct 2026 – 14 Nov 2026 (31 days)'),
      unitPrice: '€16.00/month', amount: `€${(16 + i).toFixed(2)}`,
    })),
    totals: [
      { label: de ? 'Netto zu 19 %' : 'Net at 19 %', value: '€100.00' },
      { label: de ? 'MwSt. 0 % (Steuerschuldnerschaft des Leistungsempfängers)' : 'VAT 0 % (reverse charge: the customer accounts for the VAT)', value: '€0.00' },
      { label: opts.credit ? (de ? 'Gutgeschrieben' : 'Total credited') : (de ? 'Fällig' : 'Total due'), value: '€100.00', strong: true },
    ],
    notes: ['Charged to Visa ending in 4242.', 'Thank you for your business.', 'A third note that is long enough to take two lines on the page when it is printed in this size of type.'],
    footer: 'Hosting GmbH · Beispielweg 1 · 10115 Berlin · VAT ID DE136695976',
    page: (page, count) => (de ? `Seite ${page} von ${count}` : `Page ${page} of ${count}`),
  };
}

/** Every text long enough to wrap in its box, so each box's width shows in the layout. */
function longTexts(): PrintedInvoice {
  const base = invoice(3);
  return {
    ...base,
    facts: [...base.facts, ['A fact whose label is long enough to need more than the label column', 'and a value that is long enough to wrap in its own column too']],
    seller: { name: 'Hosting und Entwicklung für kleine und mittlere Unternehmen GmbH & Co. KG', lines: ['Beispielweg 1, Hinterhaus, dritter Stock, am Ende des Ganges links neben dem Aufzug', '10115 Berlin'] },
    buyer: { name: 'Bäckerei und Konditorei Müller, Filiale am Marktplatz, Inhaberin Maria Müller', lines: ['Hauptstraße 1, Eingang über den Hof, zweite Tür rechts neben dem Lieferanteneingang', '80331 München'] },
    lines: base.lines.map((l) => ({ ...l, app: 'bakery-shop-with-a-very-long-name-indeed', period: '15 October 2026 – 14 November 2026 (31 days, a long period text)' })),
    notes: ['A note long enough to wrap across the whole width of the page several times, because it goes on and on about the payment terms, the bank details, the reverse charge and the thanks.'],
    footer: 'Hosting und Entwicklung für kleine und mittlere Unternehmen GmbH & Co. KG · Beispielweg 1 · 10115 Berlin · VAT ID DE136695976 · and more',
  };
}

// A sweep of line counts crosses each page break: within the lines, before the totals, before a note.
const DOCUMENTS: Record<string, PrintedInvoice> = {
  'en-1': invoice(1),
  'en-2': invoice(2),
  ...Object.fromEntries([7, 8, 9, 10, 11, 30].map((n) => [`en-${n}`, invoice(n)])),
  'de-credit-3': invoice(3, { de: true, credit: true }),
  'de-credit-16': invoice(16, { de: true, credit: true }),
  'en-long': longTexts(),
};

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const pagesOf = (b: Buffer) => (b.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

describe('the invoice PDF\'s layout (golden file)', () => {
  it('every document renders to the same bytes twice (no clock, no random in the file)', async () => {
    const a = await renderInvoicePdf(invoice(2), CREATED);
    const b = await renderInvoicePdf(invoice(2), CREATED);
    expect(sha(a)).toBe(sha(b));
    // Served compressed; the golden file compares the plain streams.
    expect(a.toString('latin1')).toContain('/FlateDecode');
    expect((await renderInvoicePdf(invoice(2), CREATED, { compress: false })).toString('latin1')).not.toContain('/FlateDecode');
  });

  it('the page breaks fall where they did: the sweep covers one, two and three pages', async () => {
    const pages: Record<string, number> = {};
    for (const [name, doc] of Object.entries(DOCUMENTS)) pages[name] = pagesOf(await renderInvoicePdf(doc, CREATED, { compress: false }));
    expect(new Set(Object.values(pages))).toEqual(new Set([1, 2, 3]));
  });

  it('each document is the one in the golden file', async () => {
    const actual: Record<string, string> = {};
    for (const [name, doc] of Object.entries(DOCUMENTS)) {
      const pdf = await renderInvoicePdf(doc, CREATED, { compress: false });
      actual[name] = `${sha(pdf)} ${pagesOf(pdf)}p`;
    }
    if (process.env.UPDATE_PDF_GOLDEN === '1') {
      writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 2)}\n`);
      return;
    }
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, string>;
    const changed = Object.keys(DOCUMENTS).filter((name) => golden[name] !== actual[name]);
    // SHOW_PDF_GOLDEN=1 writes every document, to look at them.
    const written = process.env.SHOW_PDF_GOLDEN === '1' ? Object.keys(DOCUMENTS) : changed;
    if (written.length) {
      mkdirSync('reports/pdf-golden', { recursive: true });
      for (const name of written) writeFileSync(`reports/pdf-golden/${name}.pdf`, await renderInvoicePdf(DOCUMENTS[name], CREATED, { compress: false }));
    }
    expect(changed, `layout changed; the new PDFs are in reports/pdf-golden/ (see this file's comment)`).toEqual([]);
  });
});
