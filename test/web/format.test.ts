import { describe, expect, it } from 'vitest';
import { formatCents, timeLeft } from '../../src/web/format';
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
