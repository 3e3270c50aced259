/**
 * Standard VAT rates of the EU member states in basis points (1900 = 19 %), as data: the
 * rate for an EU buyer without a VAT ID (OSS) and for a seller's home country. Update this
 * table when a country changes its rate; issued invoices keep the rate they were issued with.
 * Greece is keyed by its ISO code GR (its VAT prefix is EL).
 */
export const EU_STANDARD_VAT_BP: Readonly<Record<string, number>> = {
  AT: 2000, BE: 2100, BG: 2000, CY: 1900, CZ: 2100, DE: 1900, DK: 2500, EE: 2400,
  ES: 2100, FI: 2550, FR: 2000, GR: 2400, HR: 2500, HU: 2700, IE: 2300, IT: 2200,
  LT: 2100, LU: 1700, LV: 2100, MT: 1800, NL: 2100, PL: 2300, PT: 2300, RO: 2100,
  SE: 2500, SI: 2200, SK: 2300,
};

export function isEu(country: string): boolean {
  return Object.prototype.hasOwnProperty.call(EU_STANDARD_VAT_BP, country);
}
