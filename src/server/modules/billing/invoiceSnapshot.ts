/**
 * What an invoice prints, computed once when it is numbered and stored on its row (SPEC 4.8):
 * seller, buyer, lines with their tax category, net and VAT per rate, notes. Pure: the same
 * inputs give the same snapshot. The HTML, the PDF and the API render only from this.
 */
import type { SellerConfig } from '../../config.js';
import type { Currency, Plan } from '../plans/catalogue.js';
import type { ChargeLine } from './charges.js';
import { taxesOf, taxTreatment, type TaxCategory, type TaxTreatment } from './tax.js';
import type { VatCheck } from './vatCheck.js';

export interface SellerSnapshot { name: string; addressLines: string[]; country: string; countryName: string; vatNumber: string | null }
export interface BuyerSnapshot {
  name: string;
  address: { line1: string; line2?: string; postalCode: string; city: string; country: string };
  /** The country as printed (English), frozen with the rest. */
  countryName: string;
  vatNumber: string | null;
  vatCheck: VatCheck | null;
  invoiceEmail: string;
  /** How the invoice is paid, as printed ("Visa ending 4242"). */
  paymentMethod: { type: string; brand: string | null; last4: string };
}
export interface LineSnapshot {
  appId: string; appName: string; plan: Plan; description: string; fromDay: string; toDay: string; days: number;
  unitPriceCents: number; amountCents: number; taxCategory: TaxCategory; taxRateBp: number;
}
export interface TaxSnapshot { category: TaxCategory; rateBp: number; netCents: number; taxCents: number }

export interface InvoiceSnapshot {
  currency: Currency;
  seller: SellerSnapshot;
  buyer: BuyerSnapshot;
  lines: LineSnapshot[];
  taxes: TaxSnapshot[];
  notes: string[];
  netCents: number;
  taxCents: number;
  totalCents: number;
  treatment: TaxTreatment;
}

export function sellerSnapshot(seller: SellerConfig): SellerSnapshot {
  return { name: seller.name, addressLines: [...seller.addressLines], country: seller.country, countryName: countryName(seller.country), vatNumber: seller.vatId };
}

const REGIONS = new Intl.DisplayNames(['en'], { type: 'region' });
export function countryName(code: string): string {
  return REGIONS.of(code) ?? code;
}

export function invoiceSnapshot(input: { seller: SellerSnapshot; buyer: BuyerSnapshot; currency: Currency; lines: ChargeLine[] }): InvoiceSnapshot {
  // Reverse charge needs a VAT ID that passed the check; a failed one is treated as none (OSS rate).
  const buyerVat = input.buyer.vatNumber && input.buyer.vatCheck?.valid ? input.buyer.vatNumber : null;
  const treatment = taxTreatment({ country: input.seller.country, vatNumber: input.seller.vatNumber }, { country: input.buyer.address.country, vatNumber: buyerVat });
  const lines: LineSnapshot[] = input.lines.map((l) => ({
    appId: l.appId, appName: l.appName, plan: l.plan, description: l.description, fromDay: l.fromDay, toDay: l.toDay, days: l.days,
    unitPriceCents: l.unitPriceCents, amountCents: l.amountCents, taxCategory: treatment.category, taxRateBp: treatment.rateBasisPoints,
  }));
  const taxes = taxesOf(lines.map((l) => ({ amountCents: l.amountCents, category: l.taxCategory, rateBasisPoints: l.taxRateBp })))
    .map((t) => ({ category: t.category, rateBp: t.rateBasisPoints, netCents: t.netCents, taxCents: t.taxCents }));
  const netCents = taxes.reduce((s, t) => s + t.netCents, 0);
  const taxCents = taxes.reduce((s, t) => s + t.taxCents, 0);
  return {
    currency: input.currency, seller: input.seller, buyer: input.buyer, lines, taxes,
    notes: treatment.note ? [treatment.note] : [], netCents, taxCents, totalCents: netCents + taxCents, treatment,
  };
}

/** A credit note for a whole invoice: the same lines and taxes, negated exactly (ADR 0032). */
export function creditSnapshot<T extends { lines: LineSnapshot[]; taxes: TaxSnapshot[]; netCents: number; taxCents: number; totalCents: number }>(invoice: T): Pick<T, 'lines' | 'taxes' | 'netCents' | 'taxCents' | 'totalCents'> {
  return {
    lines: invoice.lines.map((l) => ({ ...l, amountCents: -l.amountCents })),
    taxes: invoice.taxes.map((t) => ({ ...t, netCents: -t.netCents, taxCents: -t.taxCents })),
    netCents: -invoice.netCents, taxCents: -invoice.taxCents, totalCents: -invoice.totalCents,
  } as Pick<T, 'lines' | 'taxes' | 'netCents' | 'taxCents' | 'totalCents'>;
}
