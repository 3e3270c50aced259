import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldProblem } from '../api/client';
import type { BillingContactInput, Currency } from '../api/models';
import { countryOptions } from '../countries';
import { i18n } from '../i18n';
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
  const t = i18n.t;
  const required: [string, string, string][] = [
    ['name', draft.name, t('billingContact.missing.name')],
    ['address.line1', draft.line1, t('billingContact.missing.line1')],
    ['address.postalCode', draft.postalCode, t('billingContact.missing.postalCode')],
    ['address.city', draft.city, t('billingContact.missing.city')],
    ['address.country', draft.country, t('billingContact.missing.country')],
    ['invoiceEmail', draft.invoiceEmail, t('billingContact.missing.invoiceEmail')],
  ];
  const problems = required.filter(([, value]) => !value.trim()).map(([path, , message]) => ({ path: `${prefix}.${path}`, message }));
  // The shape of an address, in the page's language (the server checks it too, in English words).
  const email = draft.invoiceEmail.trim();
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push({ path: `${prefix}.invoiceEmail`, message: t('billingContact.invalid.invoiceEmail') });
  return problems;
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
  const { t } = useTranslation();
  const set = <K extends keyof BillingContactDraft>(key: K) => (v: BillingContactDraft[K]) => onChange({ ...value, [key]: v });
  const bc = (path: string) => fieldError(`${prefix}.${path}`);
  return (
    <>
      <TextField label={t('billingContact.name')} name="contactName" value={value.name} onChange={set('name')} isRequired
        autoComplete="name" error={bc('name')} description={t('billingContact.nameHint')} />
      <TextField label={t('billingContact.line1')} name="line1" value={value.line1} onChange={set('line1')} isRequired autoComplete="address-line1"
        error={bc('address.line1')} />
      <TextField label={t('billingContact.line2')} name="line2" value={value.line2} onChange={set('line2')} autoComplete="address-line2"
        error={bc('address.line2')} />
      <div className="field-row">
        <TextField label={t('billingContact.postalCode')} name="postalCode" value={value.postalCode} onChange={set('postalCode')} isRequired
          autoComplete="postal-code" error={bc('address.postalCode')} />
        <TextField label={t('billingContact.city')} name="city" value={value.city} onChange={set('city')} isRequired autoComplete="address-level2"
          error={bc('address.city')} />
      </div>
      <SelectField label={t('billingContact.country')} name="country" value={value.country} onChange={set('country')} isRequired autoComplete="country"
        placeholder={t('billingContact.countryPlaceholder')} options={countryOptions()} error={bc('address.country')} />
      <TextField label={t('billingContact.vatNumber')} name="vatNumber" value={value.vatNumber} onChange={set('vatNumber')} spellCheck={false}
        description={t('billingContact.vatHint')}
        error={bc('vatNumber')} />
      <TextField label={t('billingContact.invoiceEmail')} name="invoiceEmail" type="email" value={value.invoiceEmail} onChange={set('invoiceEmail')}
        isRequired autoComplete="email" error={bc('invoiceEmail')}
        description={t('billingContact.invoiceEmailHint')} />
      <RadioGroup legend={t('billingContact.currency')} name="currency" value={value.currency} onChange={(v) => set('currency')(v as Currency)}
        description={currencyHint ?? t('billingContact.currencyHint')} error={bc('currency')}
        options={[{ value: 'EUR', label: t('billingContact.eur') }, { value: 'USD', label: t('billingContact.usd') }]} />
    </>
  );
}
