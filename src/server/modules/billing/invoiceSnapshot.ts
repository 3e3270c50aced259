/**
 * What an invoice prints, computed once when it is numbered and stored on its row (SPEC 4.8):
 * seller, buyer, lines with their tax category, net and VAT per rate, notes. Pure: the same
 * inputs give the same snapshot. The HTML, the PDF and the API render only from this.
 */
import type { SellerConfig } from '../../config.js';
import { createTranslator, type Language } from '../../../shared/i18n/index.js';
import { countryName as countryNameIn } from '../../../shared/format.js';
import { PLAN_COMPONENTS, type Currency, type Plan } from '../plans/catalogue.js';
import type { ChargeLine } from './charges.js';
import { taxesOf, taxTreatment, type TaxCategory, type TaxTreatment } from './tax.js';
import type { VatCheck } from './vatCheck.js';

export interface SellerSnapshot { name: string; addressLines: string[]; country: string; countryName: string; vatNumber: string | null }
export interface BuyerSnapshot {
  name: string;
  address: { line1: string; line2?: string; postalCode: string; city: string; country: string };
  /** The country as printed, in the invoice's language, frozen with the rest. */
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
  /** The language everything below is printed in (ADR 0094). */
  language: Language;
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

export function sellerSnapshot(seller: SellerConfig, language: Language = 'en'): SellerSnapshot {
  return { name: seller.name, addressLines: [...seller.addressLines], country: seller.country, countryName: countryName(seller.country, language), vatNumber: seller.vatId };
}

/** "Germany" / "Deutschland": printed on the invoice in its language. */
export function countryName(code: string, language: Language = 'en'): string {
  return countryNameIn(code, language);
}

/**
 * The plan of a line in words, in the invoice's language: "PHP Small (0.5 vCPU, 512 MB), Database
 * Small (1 GB), Storage 10 GB" / "PHP Klein (0,5 vCPU, 512 MB), Datenbank Klein (1 GB), Speicherplatz 10 GB".
 * English keeps the line's own words (planInWords).
 */
export function planWords(plan: Plan, english: string, language: Language): string {
  if (language === 'en') return english;
  const t = createTranslator(language);
  return PLAN_COMPONENTS.map((c) => {
    const size = plan[c.id];
    const known = c.sizes.some((s) => s.id === size);
    return `${t(`plans.components.${c.id}` as 'plans.components.php')} ${known ? t(`plans.sizes.${size}` as 'plans.sizes.php-s') : size ?? '?'}`;
  }).join(', ');
}

/** The printed tax note of a treatment, in the invoice's language (SPEC 4.8: reverse charge, not taxable here). */
export function taxNote(reason: TaxTreatment['reason'], language: Language): string | null {
  const t = createTranslator(language);
  if (reason === 'eu_reverse_charge') return t('billing.document.notes.reverseCharge');
  if (reason === 'outside_eu') return t('billing.document.notes.notTaxable');
  return null;
}

export function invoiceSnapshot(input: { seller: SellerSnapshot; buyer: BuyerSnapshot; currency: Currency; lines: ChargeLine[]; language?: Language }): InvoiceSnapshot {
  const language = input.language ?? 'en';
  // Reverse charge needs a VAT ID that passed the check; a failed one is treated as none (OSS rate).
  const buyerVat = input.buyer.vatNumber && input.buyer.vatCheck?.valid ? input.buyer.vatNumber : null;
  const treatment = taxTreatment({ country: input.seller.country, vatNumber: input.seller.vatNumber }, { country: input.buyer.address.country, vatNumber: buyerVat });
  const lines: LineSnapshot[] = input.lines.map((l) => ({
    appId: l.appId, appName: l.appName, plan: l.plan, description: planWords(l.plan, l.description, language), fromDay: l.fromDay, toDay: l.toDay, days: l.days,
    unitPriceCents: l.unitPriceCents, amountCents: l.amountCents, taxCategory: treatment.category, taxRateBp: treatment.rateBasisPoints,
  }));
  const taxes = taxesOf(lines.map((l) => ({ amountCents: l.amountCents, category: l.taxCategory, rateBasisPoints: l.taxRateBp })))
    .map((t) => ({ category: t.category, rateBp: t.rateBasisPoints, netCents: t.netCents, taxCents: t.taxCents }));
  const netCents = taxes.reduce((s, t) => s + t.netCents, 0);
  const taxCents = taxes.reduce((s, t) => s + t.taxCents, 0);
  const note = taxNote(treatment.reason, language);
  return {
    language, currency: input.currency, seller: input.seller, buyer: input.buyer, lines, taxes,
    notes: note ? [note] : [], netCents, taxCents, totalCents: netCents + taxCents, treatment,
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
