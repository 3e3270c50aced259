import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/server/shared/errors.js';
import { billingContactInput, checkVat, isCountry, normalizeVat, paymentMethodInput, vatIssue, vatProblem } from '../../../src/server/modules/billing/contactInput.js';
import { checkVatNumber, vatNumberPasses } from '../../../src/server/modules/billing/vatCheck.js';
import { buyerTreatment, quoteMonthly, withVat } from '../../../src/server/modules/billing/quote.js';

/**
 * Issue 10 (Stryker on modules/billing, the rest): the rules of a billing contact's input
 * (SPEC 5: bad input gets a clear 4xx with a machine-readable code), the VAT ID check an
 * invoice stores (SPEC 4.8: reverse charge only for an EU buyer with a VAT ID) and the
 * handover's payment request (SPEC 4.8: what the App costs a month, from which day, and the
 * first invoice). Pure: no database.
 */
const SELLER = { country: 'DE' };
const EUR = (amount: number) => ({ amount, currency: 'EUR' as const });

const contact = (overrides: Record<string, unknown> = {}) => ({
  name: 'Bakery Müller GmbH',
  address: { line1: 'Hauptstraße 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
  invoiceEmail: 'invoices@bakery.example',
  currency: 'EUR',
  ...overrides,
});
/** The field problems of a refused contact, as `path: message`. */
function problems(input: unknown): string[] {
  const result = billingContactInput.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('a billing contact\'s fields', () => {
  it('are trimmed, the country upper-cased, the e-mail lower-cased and the VAT number normalised', () => {
    const parsed = billingContactInput.parse(contact({
      name: '  Bakery Müller GmbH  ',
      address: { line1: ' Hauptstraße 1 ', line2: ' Hinterhaus ', postalCode: ' 10115 ', city: ' Berlin ', country: ' de ' },
      invoiceEmail: '  Invoices@Bakery.Example ',
      vatNumber: 'de 136.695-976',
    }));
    expect(parsed).toEqual({
      name: 'Bakery Müller GmbH',
      address: { line1: 'Hauptstraße 1', line2: 'Hinterhaus', postalCode: '10115', city: 'Berlin', country: 'DE' },
      invoiceEmail: 'invoices@bakery.example', vatNumber: 'DE136695976', currency: 'EUR',
    });
  });

  it('refuse empty and too long values with a message per field', () => {
    expect(problems(contact({ name: '   ' }))).toEqual(['name: Enter a name.']);
    expect(problems(contact({ name: 'x'.repeat(201) }))).toEqual(['name: Use at most 200 characters.']);
    expect(billingContactInput.parse(contact({ name: 'x'.repeat(200) })).name).toHaveLength(200);
    expect(problems(contact({ address: { line1: ' ', postalCode: '', city: '', country: 'DE' } }))).toEqual([
      'address.line1: Enter the street and number.', 'address.postalCode: Enter the postal code.', 'address.city: Enter the city.',
    ]);
    expect(problems(contact({ address: { line1: 'x'.repeat(201), line2: 'x'.repeat(201), postalCode: '1'.repeat(21), city: 'x'.repeat(101), country: 'DE' } }))).toEqual([
      'address.line1: Use at most 200 characters.', 'address.line2: Use at most 200 characters.',
      'address.postalCode: Use at most 20 characters.', 'address.city: Use at most 100 characters.',
    ]);
    expect(billingContactInput.parse(contact({ address: { line1: 'x'.repeat(200), line2: 'x'.repeat(200), postalCode: '1'.repeat(20), city: 'x'.repeat(100), country: 'DE' } })).address.city).toHaveLength(100);
  });

  it('need a two-letter code of a real country, a valid e-mail, EUR or USD, and nothing else', () => {
    expect(problems(contact({ address: { line1: 'a', postalCode: '1', city: 'b', country: 'D1' } }))).toEqual(['address.country: Use a two-letter country code, like DE or US.', 'address.country: This is not a country code.']);
    expect(problems(contact({ address: { line1: 'a', postalCode: '1', city: 'b', country: 'ZZ' } }))).toEqual(['address.country: This is not a country code.']);
    for (const country of ['XDE', 'DEX']) {
      expect(problems(contact({ address: { line1: 'a', postalCode: '1', city: 'b', country } })), country)
        .toEqual(['address.country: Use a two-letter country code, like DE or US.', 'address.country: This is not a country code.']);
    }
    expect(isCountry('DE')).toBe(true);
    expect(isCountry('ZZ')).toBe(false);
    expect(problems(contact({ invoiceEmail: 'billing at bakery' }))).toEqual(['invoiceEmail: Enter a valid e-mail address, like billing@example.com.']);
    expect(problems(contact({ invoiceEmail: `${'a'.repeat(250)}@b.de` }))).toHaveLength(1);
    expect(problems(contact({ currency: 'GBP' }))).toHaveLength(1);
    expect(billingContactInput.parse(contact({ currency: 'USD' })).currency).toBe('USD');
    expect(problems(contact({ vatNumber: 'DE'.padEnd(31, '1') }))).toHaveLength(1);
    expect(problems(contact({ iban: 'DE02…' }))).toHaveLength(1);
    expect(paymentMethodInput.safeParse({ token: '' }).success).toBe(false);
    expect(paymentMethodInput.safeParse({ token: 't'.repeat(201) }).success).toBe(false);
    expect(paymentMethodInput.safeParse({ token: 't'.repeat(200) }).success).toBe(true);
  });
});

describe('a VAT number at the form (issue 12)', () => {
  it('is written without spaces, dots or dashes, in capitals', () => {
    expect(normalizeVat(' fr 40-303.265 045 ')).toBe('FR40303265045');
  });

  it('starts with its country\'s prefix, EL for Greece', () => {
    expect(vatIssue('EL094259216', 'GR')).toBeNull();
    expect(vatIssue('GR094259216', 'GR')).toEqual({ reason: 'vat_prefix', message: 'A VAT number for GR starts with EL.' });
    expect(vatIssue('DE136695976', 'AT')).toEqual({ reason: 'vat_prefix', message: 'A VAT number for AT starts with AT.' });
    expect(vatProblem('DE136695976', 'AT')).toBe('A VAT number for AT starts with AT.');
    expect(vatProblem('DE136695976', 'DE')).toBeNull();
  });

  it('has the digits and the check digit of its country where they are known', () => {
    expect(vatIssue('DE13669597', 'DE')).toEqual({ reason: 'vat_format', message: 'This is not a valid DE VAT number: check the number of digits.' });
    expect(vatIssue('DE136695977', 'DE')).toEqual({
      reason: 'vat_check_digit',
      message: 'This DE VAT number has a typing error: its check digit does not match. Copy it from an invoice or your tax office\'s letter.',
    });
    expect(vatIssue('EL094259217', 'GR')?.reason).toBe('vat_check_digit');
    expect(vatIssue('ATU13585627', 'AT')).toBeNull();
  });

  it('elsewhere is 2 letters and 2 to 13 letters or digits', () => {
    const bad = { reason: 'vat_format', message: 'This is not a valid US VAT number.' };
    for (const ok of ['US12', 'USAB', 'US1234567890123']) expect(vatIssue(ok, 'US'), ok).toBeNull();
    for (const wrong of ['US1', 'US12345678901234', 'US-AB12', 'US12-', 'USab']) expect(vatIssue(wrong, 'US'), wrong).toEqual(bad);
  });

  it('refused is a validation_failed on the named field with the reason; none at all is fine', () => {
    expect(checkVat(undefined, 'DE')).toBeNull();
    expect(checkVat(null, 'DE')).toBeNull();
    expect(checkVat('', 'DE')).toBeNull();
    expect(checkVat('DE136695976', 'DE')).toBe('DE136695976');
    const refusal = (fn: () => unknown) => { try { fn(); } catch (e) { return e; } throw new Error('not refused'); };
    const e = refusal(() => checkVat('DE136695977', 'DE')) as AppError;
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('validation_failed');
    expect(e.detail).toBe(vatProblem('DE136695977', 'DE'));
    expect(e.errors).toEqual([{ path: 'vatNumber', message: e.detail, reason: 'vat_check_digit' }]);
    expect((refusal(() => checkVat('FR40303265045', 'DE', 'billingContact.vatNumber')) as AppError).errors)
      .toEqual([{ path: 'billingContact.vatNumber', message: 'A VAT number for DE starts with DE.', reason: 'vat_prefix' }]);
  });
});

describe('the VAT ID check an invoice stores (SPEC 4.8, ADR 0034)', () => {
  it('passes a number with the right checksum of the buyer\'s own country only', () => {
    expect(vatNumberPasses('FR40303265045', 'FR')).toBe(true);
    expect(vatNumberPasses('EL094259216', 'GR')).toBe(true);
    expect(vatNumberPasses('FR40303265046', 'FR')).toBe(false);
    expect(vatNumberPasses('DE136695976', 'FR')).toBe(false);
    expect(vatNumberPasses('GR094259216', 'GR')).toBe(false);
    expect(vatNumberPasses('DE136695976', 'GR')).toBe(false);
  });

  it('records what was checked, how, and that VIES was not asked', () => {
    const at = new Date('2026-12-01T00:10:00Z');
    expect(checkVatNumber('FR40303265045', 'FR', at)).toEqual({ vatNumber: 'FR40303265045', valid: true, method: 'jsvat-format-and-checksum', vies: 'not_reachable', checkedAt: '2026-12-01T00:10:00.000Z' });
    expect(checkVatNumber('FR40303265046', 'FR', at).valid).toBe(false);
  });
});

describe('the payment request of a handover (SPEC 4.8, issue 17)', () => {
  it('a German buyer: 19 % on the net; the first invoice from the start day to the month end, issued on the 1st', () => {
    // €26.00 a month from 13 December: 19 of 31 days = 1593.548… → €15.94; VAT 19 % of it 302.86 → €3.03.
    expect(quoteMonthly(SELLER, { country: 'DE', vatNumber: 'DE136695976' }, EUR(2600), '2026-12-13')).toEqual({
      vatRate: 19, treatment: 'domestic',
      monthly: { net: EUR(2600), vat: EUR(494), gross: EUR(3094) },
      firstInvoice: { issuedOn: '2027-01-01', fromDay: '2026-12-13', toDay: '2026-12-31', days: 19, net: EUR(1594), vat: EUR(303), gross: EUR(1897) },
      vatNumberProblem: null,
    });
  });

  it('reverse charge only with a VAT ID that passes; a typing error is said and charged as none (OSS)', () => {
    const good = quoteMonthly(SELLER, { country: 'FR', vatNumber: 'FR40303265045' }, EUR(1600), '2027-02-27');
    expect(good).toMatchObject({ vatRate: 0, treatment: 'eu_reverse_charge', vatNumberProblem: null, monthly: { vat: EUR(0), gross: EUR(1600) } });
    expect(good.firstInvoice).toMatchObject({ issuedOn: '2027-03-01', toDay: '2027-02-28', days: 2, net: EUR(114) });
    const typo = quoteMonthly(SELLER, { country: 'FR', vatNumber: 'FR40303265046' }, EUR(1600), '2027-02-27');
    expect(typo).toMatchObject({ vatRate: 20, treatment: 'eu_oss', monthly: { vat: EUR(320), gross: EUR(1920) } });
    expect(typo.vatNumberProblem).toBe(vatProblem('FR40303265046', 'FR'));
    expect(typo.vatNumberProblem).toMatch(/check digit/);
    expect(quoteMonthly(SELLER, { country: 'FR' }, EUR(1600), '2027-02-27')).toMatchObject({ treatment: 'eu_oss', vatNumberProblem: null });
    // A valid number of another country does not make a French buyer reverse-charged.
    expect(buyerTreatment(SELLER, { country: 'FR', vatNumber: 'DE136695976' }).reason).toBe('eu_oss');
    expect(buyerTreatment(SELLER, { country: 'FR', vatNumber: 'FR40303265045' }).reason).toBe('eu_reverse_charge');
    expect(buyerTreatment(SELLER, { country: 'FR', vatNumber: '' }).reason).toBe('eu_oss');
  });

  it('a monthly amount with VAT names the rate in percent (25.5 % in Finland)', () => {
    expect(withVat(SELLER, { country: 'FI' }, EUR(1000))).toEqual({ net: EUR(1000), vat: EUR(255), gross: EUR(1255), vatRate: 25.5 });
    expect(withVat(SELLER, { country: 'US', vatNumber: 'US12' }, { amount: 1000, currency: 'USD' }))
      .toEqual({ net: { amount: 1000, currency: 'USD' }, vat: { amount: 0, currency: 'USD' }, gross: { amount: 1000, currency: 'USD' }, vatRate: 0 });
  });
});
