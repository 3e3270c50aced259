import { describe, expect, it } from 'vitest';
import { NOT_TAXABLE_NOTE, REVERSE_CHARGE_NOTE, taxesOf, taxTreatment } from '../../../src/server/modules/billing/tax.js';
import { EU_STANDARD_VAT_BP } from '../../../src/server/modules/billing/vatRates.js';

/** Issue 12: the tax rules of SPEC 4.8 with a German seller. */
const SELLER = { country: 'DE', vatNumber: 'DE811907980' };

describe('tax rules (issue 12)', () => {
  it('charges German VAT (19 %) to a German buyer, with or without a VAT ID', () => {
    expect(taxTreatment(SELLER, { country: 'DE', vatNumber: 'DE136695976' })).toEqual({ category: 'S', rateBasisPoints: 1900, note: null, reason: 'domestic' });
    expect(taxTreatment(SELLER, { country: 'DE' })).toMatchObject({ rateBasisPoints: 1900 });
  });

  it('reverse-charges an EU buyer with a VAT ID at 0 % with the note', () => {
    expect(taxTreatment(SELLER, { country: 'FR', vatNumber: 'FR40303265045' })).toEqual({ category: 'AE', rateBasisPoints: 0, note: REVERSE_CHARGE_NOTE, reason: 'eu_reverse_charge' });
  });

  it('charges an EU buyer without a VAT ID the buyer country\'s standard rate (OSS table)', () => {
    expect(taxTreatment(SELLER, { country: 'FR' })).toMatchObject({ category: 'S', rateBasisPoints: 2000, reason: 'eu_oss' });
    expect(taxTreatment(SELLER, { country: 'HU' })).toMatchObject({ rateBasisPoints: 2700 });
    expect(taxTreatment(SELLER, { country: 'FI' })).toMatchObject({ rateBasisPoints: 2550 });
    expect(taxTreatment(SELLER, { country: 'GR', vatNumber: null })).toMatchObject({ rateBasisPoints: 2400 });
    expect(Object.keys(EU_STANDARD_VAT_BP)).toHaveLength(27);
  });

  it('charges 0 % outside the EU with the "not taxable here" note, VAT ID or not', () => {
    for (const buyer of [{ country: 'US' }, { country: 'CH', vatNumber: 'CHE116281710' }, { country: 'GB', vatNumber: 'GB980780684' }]) {
      expect(taxTreatment(SELLER, buyer)).toEqual({ category: 'O', rateBasisPoints: 0, note: NOT_TAXABLE_NOTE, reason: 'outside_eu' });
    }
  });

  it('computes VAT once per rate on the net total, not per line', () => {
    const lines = [
      { amountCents: 1, category: 'S' as const, rateBasisPoints: 1900 },
      { amountCents: 1, category: 'S' as const, rateBasisPoints: 1900 },
      { amountCents: 1, category: 'S' as const, rateBasisPoints: 1900 },
    ];
    // Per line: 0.19 → 0 each, 0 in total; on the net total 3 × 19 % = 0.57 → 1.
    expect(taxesOf(lines)).toEqual([{ category: 'S', rate: 19, rateBasisPoints: 1900, netCents: 3, taxCents: 1 }]);
    expect(taxesOf([{ amountCents: 1510, category: 'S', rateBasisPoints: 1900 }, { amountCents: 2845, category: 'S', rateBasisPoints: 1900 }]))
      .toEqual([{ category: 'S', rate: 19, rateBasisPoints: 1900, netCents: 4355, taxCents: 827 }]); // 827.45
    expect(taxesOf([{ amountCents: 999, category: 'AE', rateBasisPoints: 0 }])).toEqual([{ category: 'AE', rate: 0, rateBasisPoints: 0, netCents: 999, taxCents: 0 }]);
  });
});
