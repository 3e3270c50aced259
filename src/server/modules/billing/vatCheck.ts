import { checkVAT, countries } from 'jsvat';

/**
 * The VAT ID check done when an invoice is numbered (docs/decisions/0034-invoice-tax.md): format
 * and checksum with jsvat 2.5.4, offline. The EU's VIES service cannot be reached from here, so
 * nobody confirmed that the number is registered; the result says so and is stored on the invoice.
 */
export interface VatCheck {
  vatNumber: string;
  /** Format and checksum are right for the buyer's country. */
  valid: boolean;
  method: 'jsvat-format-and-checksum';
  vies: 'not_reachable';
  checkedAt: string;
}

/** Greece's VAT prefix is EL, its ISO code GR. */
function prefixOf(country: string): string {
  return country === 'GR' ? 'EL' : country;
}

/** Whether a VAT ID counts for reverse charge: right format and checksum, of the buyer's own country. */
export function vatNumberPasses(vatNumber: string, country: string): boolean {
  return vatNumber.startsWith(prefixOf(country)) && checkVAT(vatNumber, countries).isValid;
}

export function checkVatNumber(vatNumber: string, country: string, at: Date): VatCheck {
  return { vatNumber, valid: vatNumberPasses(vatNumber, country), method: 'jsvat-format-and-checksum', vies: 'not_reachable', checkedAt: at.toISOString() };
}
