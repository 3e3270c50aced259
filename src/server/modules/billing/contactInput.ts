import { checkVAT, countries as jsvatCountries } from 'jsvat';
import { z } from 'zod';
import { isCountryCode } from '../../../shared/countries.js';
import { AppError } from '../../shared/errors.js';

/** ISO 3166-1 alpha-2 codes: the list is shared with the web (src/shared/countries.ts). */
export function isCountry(code: string): boolean {
  return isCountryCode(code);
}

export function normalizeVat(value: string): string {
  return value.toUpperCase().replace(/[\s.-]/g, '');
}

/** The countries jsvat knows the format and check digits of (the EU, GB, CH, NO and a few more), by ISO code. */
const JSVAT_COUNTRIES = new Map(jsvatCountries.map((c) => [c.codes[0], c]));

/**
 * A VAT number must start with the country's prefix (Greece: EL) and, for the countries jsvat
 * 2.5.4 knows, have their format and check digits: a typing error is caught while the person
 * is still at the form (issue 12), not months later on an invoice. Elsewhere: 2 letters and
 * 2 to 13 letters or digits. Returns a message or null. Whether the number is registered needs
 * the EU's VIES service, which this install cannot reach (docs/decisions/0034-invoice-tax.md).
 */
export function vatProblem(vat: string, country: string): string | null {
  return vatIssue(vat, country)?.message ?? null;
}

/** vatProblem with a stable `reason` for the field problem, which the web words in its language (ADR 0090). */
export function vatIssue(vat: string, country: string): { reason: 'vat_prefix' | 'vat_format' | 'vat_check_digit'; message: string } | null {
  const prefix = country === 'GR' ? 'EL' : country;
  if (!vat.startsWith(prefix)) return { reason: 'vat_prefix', message: `A VAT number for ${country} starts with ${prefix}.` };
  const known = JSVAT_COUNTRIES.get(country);
  if (!known) return /^[A-Z]{2}[A-Z0-9]{2,13}$/.test(vat) ? null : { reason: 'vat_format', message: `This is not a valid ${country} VAT number.` };
  const result = checkVAT(vat, [known]);
  if (!result.isValidFormat) return { reason: 'vat_format', message: `This is not a valid ${country} VAT number: check the number of digits.` };
  if (!result.isValid) return { reason: 'vat_check_digit', message: `This ${country} VAT number has a typing error: its check digit does not match. Copy it from an invoice or your tax office's letter.` };
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
  const problem = vatIssue(vatNumber, country);
  if (problem) throw new AppError('validation_failed', problem.message, [{ path, message: problem.message, reason: problem.reason }]);
  return vatNumber;
}
