/**
 * The tax rules of SPEC 4.8, pure (docs/decisions/0034-invoice-tax.md):
 * - seller and buyer in the same country: that country's VAT (Germany 19 %);
 * - EU buyer with a VAT ID (another EU country): 0 %, reverse charge;
 * - EU buyer without a VAT ID: the buyer country's standard rate (OSS, vatRates.ts);
 * - buyer outside the EU: 0 %, not taxable here.
 * VAT is computed once per rate on the net total of that rate, rounded half up.
 * Categories follow EN 16931 (UNCL 5305): S standard, AE reverse charge, O not subject.
 */
import { ratePercent, taxOf } from './money.js';
import { EU_STANDARD_VAT_BP, isEu } from './vatRates.js';

export type TaxCategory = 'S' | 'AE' | 'O';

export interface TaxTreatment {
  category: TaxCategory;
  rateBasisPoints: number;
  /** Printed on the invoice; null when none is needed. */
  note: string | null;
  /** Why this treatment was chosen, for the activity log and support. */
  reason: 'domestic' | 'eu_reverse_charge' | 'eu_oss' | 'outside_eu';
}

export const REVERSE_CHARGE_NOTE = 'Reverse charge: VAT to be accounted for by the recipient (Article 196, Council Directive 2006/112/EC).';
export const NOT_TAXABLE_NOTE = 'Not taxable in the seller\'s country: the place of supply is outside the EU (Article 44, Council Directive 2006/112/EC).';

export interface TaxParty { country: string; vatNumber?: string | null }

export function taxTreatment(seller: TaxParty, buyer: TaxParty): TaxTreatment {
  if (buyer.country === seller.country) {
    return { category: 'S', rateBasisPoints: EU_STANDARD_VAT_BP[seller.country] ?? 0, note: null, reason: 'domestic' };
  }
  if (isEu(buyer.country)) {
    if (buyer.vatNumber) return { category: 'AE', rateBasisPoints: 0, note: REVERSE_CHARGE_NOTE, reason: 'eu_reverse_charge' };
    return { category: 'S', rateBasisPoints: EU_STANDARD_VAT_BP[buyer.country], note: null, reason: 'eu_oss' };
  }
  return { category: 'O', rateBasisPoints: 0, note: NOT_TAXABLE_NOTE, reason: 'outside_eu' };
}

export interface TaxLine { category: TaxCategory; rate: number; rateBasisPoints: number; netCents: number; taxCents: number }

/** Net per rate and VAT per rate: lines of one rate are summed first, then taxed once. */
export function taxesOf(lines: { amountCents: number; category: TaxCategory; rateBasisPoints: number }[]): TaxLine[] {
  const byRate = new Map<string, TaxLine>();
  for (const line of lines) {
    const key = `${line.category}:${line.rateBasisPoints}`;
    const entry = byRate.get(key) ?? { category: line.category, rate: ratePercent(line.rateBasisPoints), rateBasisPoints: line.rateBasisPoints, netCents: 0, taxCents: 0 };
    entry.netCents += line.amountCents;
    byRate.set(key, entry);
  }
  return [...byRate.values()].map((t) => ({ ...t, taxCents: taxOf(t.netCents, t.rateBasisPoints) }));
}
