import { describe, expect, it } from 'vitest';
import { SAMPLE_SELLER } from '../../../src/server/config.js';
import type { ChargeLine } from '../../../src/server/modules/billing/charges.js';
import { countryName, creditSnapshot, invoiceSnapshot, planWords, sellerSnapshot, taxNote, type BuyerSnapshot } from '../../../src/server/modules/billing/invoiceSnapshot.js';
import { checkVatNumber } from '../../../src/server/modules/billing/vatCheck.js';
import { NOT_TAXABLE_NOTE, REVERSE_CHARGE_NOTE } from '../../../src/server/modules/billing/tax.js';

/**
 * Issue 10 (Stryker on modules/billing, the rest): what an invoice prints, fixed when it is
 * numbered (SPEC 4.8: every field an EU invoice needs; VAT once per rate on the net total;
 * reverse charge only with a VAT ID that passed the check; the notes). Pure.
 */
const AT = new Date('2026-12-01T00:10:00Z');
const SMALL = { php: 'php-s', database: 'db-s', storage: 'storage-10' };
const ENGLISH = 'PHP Small (0.5 vCPU, 512 MB), Database Small (1 GB), Storage 10 GB';

function line(appName: string, amountCents: number): ChargeLine {
  return { appId: `app_${appName}`, appName, billingContactId: 'bc_1', plan: SMALL, description: ENGLISH, fromDay: '2026-11-01', toDay: '2026-11-30', days: 30, unitPriceCents: 1600, amountCents, currency: 'EUR' };
}
function buyer(country: string, vatNumber: string | null, checked = true): BuyerSnapshot {
  return {
    name: 'Buyer', address: { line1: 'Street 1', postalCode: '1', city: 'City', country }, countryName: countryName(country),
    vatNumber, vatCheck: vatNumber && checked ? checkVatNumber(vatNumber, country, AT) : null, invoiceEmail: 'ap@buyer.example',
    paymentMethod: { type: 'card', brand: 'visa', last4: '4242' },
  };
}
const seller = sellerSnapshot(SAMPLE_SELLER);

describe('the seller and the words on an invoice', () => {
  it('the seller as configured, with the country in the invoice\'s language', () => {
    // Made here, not the file's `seller`: that one is built when the file loads, before Stryker activates a mutant.
    const seller = sellerSnapshot(SAMPLE_SELLER);
    expect(seller).toEqual({ name: 'Dashboard Hosting GmbH', addressLines: ['Friedrichstraße 123', '10117 Berlin'], country: 'DE', countryName: 'Germany', vatNumber: 'DE811907980' });
    expect(seller.addressLines).not.toBe(SAMPLE_SELLER.addressLines);
    expect(sellerSnapshot(SAMPLE_SELLER, 'de').countryName).toBe('Deutschland');
    expect(countryName('FR')).toBe('France');
    expect(countryName('FR', 'de')).toBe('Frankreich');
  });

  it('the plan in the invoice\'s language; a size the catalogue does not know by its id, a missing one as "?"', () => {
    expect(planWords(SMALL, ENGLISH, 'en')).toBe(ENGLISH);
    // English keeps the line's own words (planInWords), whatever they are; only other languages are translated.
    expect(planWords(SMALL, 'the line\'s own words', 'en')).toBe('the line\'s own words');
    expect(planWords(SMALL, ENGLISH, 'de')).toBe('PHP Klein (0,5 vCPU, 512 MB), Datenbank Klein (1 GB), Speicherplatz 10 GB');
    expect(planWords({ php: 'php-xxl', database: 'db-s' } as unknown as typeof SMALL, 'ignored', 'de')).toBe('PHP php-xxl, Datenbank Klein (1 GB), Speicherplatz ?');
  });

  it('a note for reverse charge and for outside the EU only, in the language', () => {
    expect(taxNote('eu_reverse_charge', 'en')).toBe(REVERSE_CHARGE_NOTE);
    expect(taxNote('outside_eu', 'en')).toBe(NOT_TAXABLE_NOTE);
    expect(taxNote('eu_reverse_charge', 'de')).toMatch(/^Steuerschuldnerschaft/);
    expect(taxNote('outside_eu', 'de')).toMatch(/^Im Inland nicht steuerbar/);
    expect(taxNote('domestic', 'en')).toBeNull();
    expect(taxNote('eu_oss', 'de')).toBeNull();
  });
});

describe('the invoice snapshot (SPEC 4.8)', () => {
  it('a German buyer: 19 % once on the net total of the lines, not per line', () => {
    // 533 + 533 = 1066; 19 % of it 202.54 → 203 (per line it would be 101 + 101 = 202).
    const snap = invoiceSnapshot({ seller, buyer: buyer('DE', 'DE136695976'), currency: 'EUR', lines: [line('a', 533), line('b', 533)] });
    expect(snap).toMatchObject({
      language: 'en', currency: 'EUR', netCents: 1066, taxCents: 203, totalCents: 1269, notes: [],
      taxes: [{ category: 'S', rateBp: 1900, netCents: 1066, taxCents: 203 }],
      treatment: { reason: 'domestic', category: 'S', rateBasisPoints: 1900 },
    });
    expect(snap.lines).toEqual([
      { appId: 'app_a', appName: 'a', plan: SMALL, description: ENGLISH, fromDay: '2026-11-01', toDay: '2026-11-30', days: 30, unitPriceCents: 1600, amountCents: 533, taxCategory: 'S', taxRateBp: 1900 },
      { appId: 'app_b', appName: 'b', plan: SMALL, description: ENGLISH, fromDay: '2026-11-01', toDay: '2026-11-30', days: 30, unitPriceCents: 1600, amountCents: 533, taxCategory: 'S', taxRateBp: 1900 },
    ]);
    expect(snap.seller).toBe(seller);
    expect(snap.buyer.name).toBe('Buyer');
  });

  it('reverse charge only with a VAT ID that passed the check; one that failed or was not checked is charged the OSS rate', () => {
    const reverse = invoiceSnapshot({ seller, buyer: buyer('FR', 'FR40303265045'), currency: 'EUR', lines: [line('a', 1000)], language: 'de' });
    expect(reverse).toMatchObject({ language: 'de', taxCents: 0, totalCents: 1000, taxes: [{ category: 'AE', rateBp: 0 }], treatment: { reason: 'eu_reverse_charge' } });
    expect(reverse.notes).toEqual([taxNote('eu_reverse_charge', 'de')]);
    expect(reverse.lines[0]).toMatchObject({ taxCategory: 'AE', taxRateBp: 0, description: 'PHP Klein (0,5 vCPU, 512 MB), Datenbank Klein (1 GB), Speicherplatz 10 GB' });
    for (const b of [buyer('FR', 'FR40303265046'), buyer('FR', 'FR40303265045', false), buyer('FR', null)]) {
      const oss = invoiceSnapshot({ seller, buyer: b, currency: 'EUR', lines: [line('a', 1000)] });
      expect(oss).toMatchObject({ taxCents: 200, totalCents: 1200, notes: [], taxes: [{ category: 'S', rateBp: 2000, netCents: 1000, taxCents: 200 }], treatment: { reason: 'eu_oss' } });
    }
    const outside = invoiceSnapshot({ seller, buyer: buyer('US', null), currency: 'USD', lines: [line('a', 1000)] });
    expect(outside).toMatchObject({ currency: 'USD', taxCents: 0, totalCents: 1000, notes: [NOT_TAXABLE_NOTE], taxes: [{ category: 'O', rateBp: 0 }] });
  });

  it('an invoice without lines sums to zero', () => {
    expect(invoiceSnapshot({ seller, buyer: buyer('DE', null), currency: 'EUR', lines: [] })).toMatchObject({ netCents: 0, taxCents: 0, totalCents: 0, taxes: [], lines: [] });
  });

  it('a credit note negates every line, tax and total exactly, and keeps the rest', () => {
    const snap = invoiceSnapshot({ seller, buyer: buyer('DE', null), currency: 'EUR', lines: [line('a', 533), line('b', 1)] });
    const credit = creditSnapshot(snap);
    expect(credit).toEqual({
      lines: snap.lines.map((l) => ({ ...l, amountCents: -l.amountCents })),
      taxes: [{ category: 'S', rateBp: 1900, netCents: -534, taxCents: -101 }],
      netCents: -534, taxCents: -101, totalCents: -635,
    });
  });
});
