import type { ReactNode } from 'react';
import type { FieldProblem } from '../api/client';
import type { BillingContactInput, Currency } from '../api/models';
import { countryOptions } from '../countries';
import { RadioGroup, SelectField, TextField } from './fields';
import { invalid } from './Form';

/** What a billing-contact form holds while being filled in. */
export interface BillingContactDraft {
  name: string; line1: string; line2: string; postalCode: string; city: string; country: string;
  vatNumber: string; invoiceEmail: string; currency: Currency;
}

export function emptyBillingContact(defaults: Partial<BillingContactDraft> = {}): BillingContactDraft {
  return { name: '', line1: '', line2: '', postalCode: '', city: '', country: '', vatNumber: '', invoiceEmail: '', currency: 'EUR', ...defaults };
}

/** The required fields left empty, as field problems with the server's paths ("billingContact.address.city"). */
export function billingContactProblems(draft: BillingContactDraft, prefix = 'billingContact'): FieldProblem[] {
  const required: [string, string, string][] = [
    ['name', draft.name, 'Enter who receives the invoices.'],
    ['address.line1', draft.line1, 'Enter the street and number.'],
    ['address.postalCode', draft.postalCode, 'Enter the postal code.'],
    ['address.city', draft.city, 'Enter the city.'],
    ['address.country', draft.country, 'Choose the country.'],
    ['invoiceEmail', draft.invoiceEmail, 'Enter the e-mail address for invoices.'],
  ];
  return required.filter(([, value]) => !value.trim()).map(([path, , message]) => ({ path: `${prefix}.${path}`, message }));
}

/** Builds the API's BillingContactInput; throws validation_failed for empty required fields. */
export function billingContactInput(draft: BillingContactDraft, prefix = 'billingContact'): BillingContactInput {
  const missing = billingContactProblems(draft, prefix);
  if (missing.length) throw invalid(missing);
  return {
    name: draft.name.trim(),
    address: {
      line1: draft.line1.trim(), ...(draft.line2.trim() ? { line2: draft.line2.trim() } : {}),
      postalCode: draft.postalCode.trim(), city: draft.city.trim(), country: draft.country,
    },
    ...(draft.vatNumber.trim() ? { vatNumber: draft.vatNumber.trim() } : {}),
    invoiceEmail: draft.invoiceEmail.trim(),
    currency: draft.currency,
  };
}

/**
 * The billing contact's fields, with the same labels and hints as "Set up a new Company".
 * `fieldError` receives paths below `prefix` (e.g. "billingContact.address.city").
 */
export function BillingContactFields({ value, onChange, fieldError, prefix = 'billingContact', currencyHint }: {
  value: BillingContactDraft; onChange: (value: BillingContactDraft) => void;
  fieldError: (path: string) => string | undefined; prefix?: string; currencyHint?: ReactNode;
}) {
  const set = <K extends keyof BillingContactDraft>(key: K) => (v: BillingContactDraft[K]) => onChange({ ...value, [key]: v });
  const bc = (path: string) => fieldError(`${prefix}.${path}`);
  return (
    <>
      <TextField label="Name on invoices" name="contactName" value={value.name} onChange={set('name')} isRequired
        autoComplete="name" error={bc('name')} description="A person or the business, as it should appear on invoices." />
      <TextField label="Street and number" name="line1" value={value.line1} onChange={set('line1')} isRequired autoComplete="address-line1"
        error={bc('address.line1')} />
      <TextField label="Address line 2" name="line2" value={value.line2} onChange={set('line2')} autoComplete="address-line2"
        error={bc('address.line2')} />
      <div className="field-row">
        <TextField label="Postal code" name="postalCode" value={value.postalCode} onChange={set('postalCode')} isRequired
          autoComplete="postal-code" error={bc('address.postalCode')} />
        <TextField label="City" name="city" value={value.city} onChange={set('city')} isRequired autoComplete="address-level2"
          error={bc('address.city')} />
      </div>
      <SelectField label="Country" name="country" value={value.country} onChange={set('country')} isRequired autoComplete="country"
        placeholder="Choose a country" options={countryOptions()} error={bc('address.country')} />
      <TextField label="VAT number" name="vatNumber" value={value.vatNumber} onChange={set('vatNumber')} spellCheck={false}
        description="For businesses in the EU and a few other countries. It starts with the country code, like DE123456789."
        error={bc('vatNumber')} />
      <TextField label="E-mail for invoices" name="invoiceEmail" type="email" value={value.invoiceEmail} onChange={set('invoiceEmail')}
        isRequired autoComplete="email" error={bc('invoiceEmail')}
        description="Invoices are sent here. It can be a different address from anyone’s login, like billing@example.com." />
      <RadioGroup legend="Currency" name="currency" value={value.currency} onChange={(v) => set('currency')(v as Currency)}
        description={currencyHint ?? 'The currency cannot be changed later.'} error={bc('currency')}
        options={[{ value: 'EUR', label: 'Euro (EUR)' }, { value: 'USD', label: 'US dollar (USD)' }]} />
    </>
  );
}
