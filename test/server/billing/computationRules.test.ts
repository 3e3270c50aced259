import { describe, expect, it } from 'vitest';
import {
  chargesForMonth, groupByContact, monthOfDay, nextMonth, planInWords, previousMonth, sumLines, type PeriodInput,
} from '../../../src/server/modules/billing/charges.js';
import { formatMoney } from '../../../src/server/modules/billing/money.js';

/**
 * Issue 10 (Stryker on the billing computation, SPEC 4.8): the month arithmetic inside a
 * year (charges.test.ts checks the turn of the year), the order of invoice lines, the
 * grouping per billing contact and the sums, pure.
 */
const PLAN = { php: 'php-s', database: 'db-s', storage: 'storage-10' };
const period = (over: Partial<PeriodInput>): PeriodInput => ({
  appId: 'app_1', appName: 'shop', billingContactId: 'bc_1', plan: PLAN, monthlyPriceCents: 3100, currency: 'EUR',
  fromDay: '2026-03-01', toDay: null, ...over,
});

describe('months inside a year', () => {
  it('the month before and after, with the leading zero', () => {
    expect(previousMonth('2026-03')).toBe('2026-02');
    expect(previousMonth('2026-11')).toBe('2026-10');
    expect(nextMonth('2026-01')).toBe('2026-02');
    expect(nextMonth('2026-09')).toBe('2026-10');
    expect(monthOfDay('2026-12-13')).toBe('2026-12');
  });

  it('refuses what is not a month', () => {
    expect(() => chargesForMonth([], '2026-13')).toThrow('not a month: 2026-13');
  });
});

describe('invoice lines', () => {
  it('are ordered by App name, then by day, whatever order the periods come in', () => {
    const lines = chargesForMonth([
      period({ appId: 'b', appName: 'shop-b', fromDay: '2026-03-20' }),
      period({ appId: 'a', appName: 'shop-a', fromDay: '2026-03-16' }),
      period({ appId: 'a', appName: 'shop-a', fromDay: '2026-03-01', toDay: '2026-03-15' }),
      period({ appId: 'c', appName: 'shop-c', fromDay: '2026-03-10' }),
    ], '2026-03');
    expect(lines.map((l) => `${l.appName} ${l.fromDay}`)).toEqual(['shop-a 2026-03-01', 'shop-a 2026-03-16', 'shop-b 2026-03-20', 'shop-c 2026-03-10']);
  });

  it('are grouped per billing contact in their order, and summed in cents', () => {
    const lines = chargesForMonth([
      period({ appId: 'a', appName: 'shop-a', billingContactId: 'bc_1', toDay: '2026-03-10' }),
      period({ appId: 'b', appName: 'shop-b', billingContactId: 'bc_2' }),
      period({ appId: 'c', appName: 'shop-c', billingContactId: 'bc_1', fromDay: '2026-03-21' }),
    ], '2026-03');
    const byContact = groupByContact(lines);
    expect([...byContact.keys()]).toEqual(['bc_1', 'bc_2']);
    expect(byContact.get('bc_1')!.map((l) => [l.appName, l.days, l.amountCents])).toEqual([['shop-a', 10, 1000], ['shop-c', 11, 1100]]);
    expect(byContact.get('bc_2')!.map((l) => l.amountCents)).toEqual([3100]);
    expect(sumLines(byContact.get('bc_1')!)).toBe(2100);
    expect(sumLines([])).toBe(0);
    expect(groupByContact([]).size).toBe(0);
  });

  it('name a size the catalogue no longer knows by its id, and a missing one with "?"', () => {
    expect(planInWords({ php: 'php-huge', database: 'db-s' } as unknown as typeof PLAN)).toBe('PHP php-huge, Database Small (1 GB), Storage ?');
  });
});

describe('money for people', () => {
  it('a currency without a symbol is written with its code', () => {
    expect(formatMoney(123456, 'CHF')).toBe('CHF 1,234.56');
    expect(formatMoney(-5, 'CHF')).toBe('-CHF 0.05');
  });
});
