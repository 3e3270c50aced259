import { z } from 'zod';
import { isCountryCode } from '../../../shared/countries.js';
import { AppError } from '../../shared/errors.js';

/** ISO 3166-1 alpha-2 codes: the list is shared with the web (src/shared/countries.ts). */
export function isCountry(code: string): boolean {
  return isCountryCode(code);
}

/** VAT number formats (EU VIES formats plus GB, CH, NO); prefixes: Greece uses EL. */
const VAT_FORMATS: Record<string, RegExp> = {
  AT: /^ATU\d{8}$/, BE: /^BE[01]\d{9}$/, BG: /^BG\d{9,10}$/, CY: /^CY\d{8}[A-Z]$/, CZ: /^CZ\d{8,10}$/,
  DE: /^DE\d{9}$/, DK: /^DK\d{8}$/, EE: /^EE\d{9}$/, GR: /^EL\d{9}$/, ES: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/,
  FI: /^FI\d{8}$/, FR: /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/, HR: /^HR\d{11}$/, HU: /^HU\d{8}$/,
  IE: /^IE(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$/, IT: /^IT\d{11}$/, LT: /^LT(\d{9}|\d{12})$/, LU: /^LU\d{8}$/,
  LV: /^LV\d{11}$/, MT: /^MT\d{8}$/, NL: /^NL\d{9}B\d{2}$/, PL: /^PL\d{10}$/, PT: /^PT\d{9}$/, RO: /^RO\d{2,10}$/,
  SE: /^SE\d{12}$/, SI: /^SI\d{8}$/, SK: /^SK\d{10}$/, GB: /^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/,
  CH: /^CHE\d{9}(MWST|TVA|IVA)?$/, NO: /^NO\d{9}(MVA)?$/,
};

export function normalizeVat(value: string): string {
  return value.toUpperCase().replace(/[\s.-]/g, '');
}

/** A VAT number must start with the country's prefix and, where we know it, match its format. Returns a message or null. */
export function vatProblem(vat: string, country: string): string | null {
  const prefix = country === 'GR' ? 'EL' : country;
  if (!vat.startsWith(prefix)) return `A VAT number for ${country} starts with ${prefix}.`;
  const format = VAT_FORMATS[country];
  if (format ? !format.test(vat) : !/^[A-Z]{2}[A-Z0-9]{2,13}$/.test(vat)) return `This is not a valid ${country} VAT number.`;
  return null;
}

const text = (max: number, label: string) => z.string().trim().min(1, `Enter ${label}.`).max(max, `Use at most ${max} characters.`);

export const addressInput = z.strictObject({
  line1: text(200, 'the street and number'),
  line2: z.string().trim().max(200, 'Use at most 200 characters.').optional(),
  postalCode: text(20, 'the postal code'),
  city: text(100, 'the city'),
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'Use a two-letter country code, like DE or US.')
    .refine(isCountry, 'This is not a country code.'),
});

export const invoiceEmail = z.string().trim().max(254).email('Enter a valid e-mail address, like billing@example.com.').transform((v) => v.toLowerCase());
export const vatInput = z.string().max(30).transform(normalizeVat);
export const contactName = text(200, 'a name');

export const billingContactInput = z.strictObject({
  name: contactName,
  address: addressInput,
  vatNumber: vatInput.optional(),
  invoiceEmail,
  currency: z.enum(['EUR', 'USD']),
});
export type BillingContactInput = z.infer<typeof billingContactInput>;

export const paymentMethodInput = z.strictObject({ token: z.string().min(1).max(200) });

/** Cross-field check the schema cannot do: the VAT number matches the country. */
export function checkVat(vatNumber: string | undefined | null, country: string, path = 'vatNumber'): string | null {
  if (vatNumber === undefined || vatNumber === null || vatNumber === '') return null;
  const problem = vatProblem(vatNumber, country);
  if (problem) throw new AppError('validation_failed', problem, [{ path, message: problem }]);
  return vatNumber;
}
