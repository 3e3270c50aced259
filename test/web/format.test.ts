import { describe, expect, it } from 'vitest';
import { formatCents, timeLeft } from '../../src/web/format';
import * as shared from '../../src/shared/format';
import { browserLanguage, chooseLanguage } from '../../src/web/i18n';
import { appNameProblem, describeAction, ENV_KEY } from '../../src/web/pages/appShared';
import { parseExpiry } from '../../src/web/card';
import { planPrice, priceText } from '../../src/web/pricing';
import { ApiError } from '../../src/web/api/client';
import { can, canOnApp } from '../../src/web/permissions';
import type { PlanCatalogue } from '../../src/web/api/models';

const catalogue: PlanCatalogue = {
  components: [
    { id: 'php', name: 'PHP', sizes: [{ id: 'php-s', name: 'Small', monthlyPrice: { EUR: 900, USD: 1000 } }, { id: 'php-m', name: 'Medium', monthlyPrice: { EUR: 1900, USD: 2100 } }] },
    { id: 'database', name: 'Database', sizes: [{ id: 'db-s', name: 'Small', monthlyPrice: { EUR: 500, USD: 600 } }] },
  ],
  trial: { php: 'php-s', database: 'db-s' },
};

describe('web helpers', () => {
  it('adds the monthly price of every component in the chosen currency', () => {
    expect(planPrice(catalogue, { php: 'php-m', database: 'db-s' }, 'EUR')).toBe(2400);
    expect(planPrice(catalogue, { php: 'php-m', database: 'db-s' }, 'USD')).toBe(2700);
    expect(priceText(catalogue, { php: 'php-s', database: 'db-s' }, 'EUR')).toBe(formatCents(1400, 'EUR'));
    expect(priceText(catalogue, { php: 'php-s', database: 'db-s' }, null)).toContain('or');
  });

  it('checks App names like the server does', () => {
    expect(appNameProblem('bakery-shop')).toBeNull();
    expect(appNameProblem('ab')).not.toBeNull();
    expect(appNameProblem('Bakery')).not.toBeNull();
    expect(appNameProblem('-bakery')).not.toBeNull();
    expect(appNameProblem('bak--ery')).not.toBeNull();
    expect(appNameProblem('a'.repeat(31))).not.toBeNull();
  });

  it('accepts environment variable names in capitals, digits and underscores only', () => {
    expect(ENV_KEY.test('API_KEY')).toBe(true);
    expect(ENV_KEY.test('_X1')).toBe(true);
    expect(ENV_KEY.test('1BAD')).toBe(false);
    expect(ENV_KEY.test('bad')).toBe(false);
    expect(ENV_KEY.test('A-B')).toBe(false);
  });

  it('reads card expiry dates as MM/YY or MM/YYYY', () => {
    expect(parseExpiry('08/29')).toEqual({ expMonth: 8, expYear: 2029 });
    expect(parseExpiry(' 12 / 2034 ')).toEqual({ expMonth: 12, expYear: 2034 });
    expect(parseExpiry('13/29')).toBeNull();
    expect(parseExpiry('0829')).toBeNull();
  });

  it('says how long a trial has left in plain words', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(timeLeft('2026-01-08T00:00:00Z', now)).toBe('7 days left');
    expect(timeLeft('2026-01-01T05:30:00Z', now)).toBe('5 hours left');
    expect(timeLeft('2025-12-31T00:00:00Z', now)).toBe('ended');
  });

  it('describes activity in plain words and falls back to the code', () => {
    expect(describeAction('app.scaled')).toBe('changed the plan');
    expect(describeAction('something.new_thing')).toBe('something new thing');
  });

  it('carries problem+json codes and field errors in ApiError', () => {
    const error = new ApiError({ status: 400, code: 'validation_failed', detail: 'Bad', errors: [{ path: 'billingContact.address.city', message: 'Enter the city.' }] });
    expect(error.code).toBe('validation_failed');
    expect(error.fieldError('billingContact.address.city')).toBe('Enter the city.');
    expect(error.fieldError('name')).toBeUndefined();
  });

  it('hides actions by role with the shared permission matrix', () => {
    expect(can('owner', 'company.rename')).toBe(true);
    expect(can('admin', 'company.rename')).toBe(false);
    expect(can('admin', 'app.book')).toBe(true);
    expect(can('accountant', 'app.book')).toBe(false);
    expect(canOnApp('trial', 'app.delete')).toBe(true);
    expect(canOnApp('collaborator', 'app.settings')).toBe(true);
    expect(canOnApp('collaborator', 'app.scale')).toBe(false);
  });
});

describe('dates, money and countries in the reader\'s language (issue 17)', () => {
  const at = '2026-12-04T16:31:00Z';
  it('writes German moments like SPEC 4.12, with the zone\'s short name', () => {
    expect(shared.formatDateTime(at, 'de-DE', 'long', { timeZone: 'Europe/Berlin' })).toBe('4. Dezember 2026, 17:31 MEZ');
    expect(shared.formatDateTime(at, 'de', 'long', { timeZone: 'Europe/Berlin' })).toBe('4. Dezember 2026, 17:31 MEZ');
    expect(shared.formatDateTime(at, 'de', 'medium', { timeZone: 'Europe/Berlin' })).toBe('4. Dez. 2026, 17:31 MEZ');
    expect(shared.formatDateTime('2026-07-04T16:31:00Z', 'de', 'long', { timeZone: 'Europe/Berlin' })).toBe('4. Juli 2026, 18:31 MESZ');
    expect(shared.formatTime(at, 'de', { timeZone: 'Europe/Berlin' })).toBe('17:31 MEZ');
  });

  it('writes English moments with the zone too, never unzoned', () => {
    expect(shared.formatDateTime(at, 'en', 'long', { timeZone: 'America/New_York' })).toBe('December 4, 2026, 11:31 AM EST');
    expect(shared.formatDateTime(at, 'en', 'medium', { timeZone: 'UTC' })).toBe('Dec 4, 2026, 4:31 PM UTC');
    // Without a zone: the runtime's (the browser's on the web), still named.
    expect(shared.formatDateTime(at, 'en')).toMatch(/(AM|PM) \S+$/);
    expect(shared.formatDateTime(null, 'de')).toBe('—');
  });

  it('writes billing days in UTC, whatever the zone, and rates as numbers of the language', () => {
    expect(shared.formatUtcDay(new Date('2026-12-31T23:30:00Z'), 'en-GB')).toBe('31 December 2026');
    expect(shared.formatUtcDay(new Date('2027-01-01T00:30:00Z'), 'de-DE')).toBe('1. Januar 2027');
    expect(shared.formatNumber(25.5, 'de')).toBe('25,5');
    expect(shared.formatNumber(25.5, 'en')).toBe('25.5');
    expect(shared.formatUtcMonth('2026-12', 'de')).toBe('Dezember 2026');
    expect(shared.formatUtcMonth('2027-01', 'en')).toBe('January 2027');
    expect(shared.formatUtcDate(new Date('2026-12-31T23:30:00Z'), 'en')).toBe('Dec 31, 2026');
    expect(shared.formatUtcDate(new Date('2027-01-01T00:30:00Z'), 'de')).toBe('01.01.2027');
  });

  it('writes mail moments with the zone the mail uses', () => {
    expect(shared.formatMailMoment(new Date('2026-03-05T14:30:00Z'), 'en-GB', 'UTC')).toBe('Thursday, 5 March 2026 at 14:30 UTC');
    expect(shared.formatMailMoment(new Date('2026-03-05T14:30:00Z'), 'de-DE', 'Europe/Berlin')).toBe('Donnerstag, 5. März 2026 um 15:30 MEZ');
  });

  it('writes money and countries for the language', () => {
    expect(shared.formatMoney({ amount: 2600, currency: 'EUR' }, 'de-DE')).toBe('26,00\u00a0€');
    expect(shared.formatMoney({ amount: 2600, currency: 'EUR' }, 'en')).toBe('€26.00');
    expect(shared.formatMoney({ amount: 3094, currency: 'USD' }, 'de')).toBe('30,94\u00a0$');
    expect(shared.countryName('DE', 'de')).toBe('Deutschland');
    expect(shared.countryName('AT', 'en')).toBe('Austria');
    expect(shared.countryOptions('de')[0].label).toBe('Afghanistan (AF)');
    expect(shared.countryOptions('de').find((o) => o.value === 'CH')?.label).toBe('Schweiz (CH)');
  });

  it('knows IANA time zones and refuses the rest', () => {
    expect(shared.isTimeZone('Europe/Berlin')).toBe(true);
    expect(shared.isTimeZone('UTC')).toBe(true);
    for (const bad of ['Mars/Olympus', '', '../x', 'Europe/Berlin\n', 'x'.repeat(65)]) expect(shared.isTimeZone(bad), bad).toBe(false);
  });
});

describe('which language the web shows (ADR 0070)', () => {
  it('follows the first supported browser language, else English', () => {
    expect(browserLanguage(['de-DE', 'en'])).toBe('de');
    expect(browserLanguage(['fr-FR', 'de-AT', 'en'])).toBe('de');
    expect(browserLanguage(['en-GB', 'de'])).toBe('en');
    expect(browserLanguage(['fr', 'it'])).toBe('en');
    expect(browserLanguage([])).toBe('en');
    expect(browserLanguage(undefined)).toBe('en');
  });

  it('puts the Account\'s setting first, then the device\'s choice, then the browser', () => {
    expect(chooseLanguage('en', 'de', 'de')).toBe('en');
    expect(chooseLanguage(null, 'de', 'en')).toBe('de');
    expect(chooseLanguage(null, null, 'de')).toBe('de');
    expect(chooseLanguage(undefined, null, 'en')).toBe('en');
  });
});

// Issue 17 (ADR 0092): the plan on the done page and in the confirmation mail, as an owner reads it.
describe('clientPlanWords', () => {
  it('names the parts in plain words, without processor sizes, in both languages', () => {
    const plan = { php: 'php-m', database: 'db-s', storage: 'storage-10' };
    expect(shared.clientPlanWords(plan, 'en')).toBe('Website: Medium · Database: Small (1 GB) · Storage: 10 GB');
    expect(shared.clientPlanWords(plan, 'de')).toBe('Website: Mittel · Datenbank: Klein (1 GB) · Speicherplatz: 10 GB');
  });

  it('keeps an unknown size as it is and leaves out a part the plan does not have', () => {
    expect(shared.clientPlanWords({ php: 'php-xxl', storage: 'storage-200' }, 'en')).toBe('Website: php-xxl · Storage: 200 GB');
  });
});
