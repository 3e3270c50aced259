import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/server/shared/clock.js';
import {
  chargesForMonth, daysBetween, daysInMonth, nextMonth, planInWords, previousMonth, type PeriodInput,
} from '../../../src/server/modules/billing/charges.js';
import { divideRoundHalfUp, formatMoney, prorate, taxOf } from '../../../src/server/modules/billing/money.js';

/** Issue 12: the pure charge computation of SPEC 4.8 (monthly price × days / days in month, half up per line). */
const PLAN = { php: 'php-s', database: 'db-s', storage: 'storage-10' };
const period = (over: Partial<PeriodInput>): PeriodInput => ({
  appId: 'app_1', appName: 'shop', billingContactId: 'bc_1', plan: PLAN, monthlyPriceCents: 2600, currency: 'EUR',
  fromDay: '2026-12-13', toDay: null, ...over,
});

describe('money rules (issue 12)', () => {
  it('rounds half up, exactly, in integer cents', () => {
    expect(divideRoundHalfUp(5, 2)).toBe(3);
    expect(divideRoundHalfUp(7, 2)).toBe(4);
    expect(divideRoundHalfUp(4, 3)).toBe(1);
    expect(divideRoundHalfUp(5, 3)).toBe(2);
    expect(divideRoundHalfUp(-5, 2)).toBe(-3);
    expect(divideRoundHalfUp(0, 7)).toBe(0);
    expect(() => divideRoundHalfUp(1.5, 2)).toThrow();
    expect(() => divideRoundHalfUp(1, 0)).toThrow();
  });

  it('prorates a month: the issue\'s example, €26 from 13 to 31 December is €15.10', () => {
    // Accepted on 13 December: the client pays 14–31 December, 18 days (the handover day is the old payer's).
    expect(prorate(2600, 18, 31)).toBe(1510);
    expect(prorate(2600, 19, 31)).toBe(1594);
    expect(prorate(1600, 31, 31)).toBe(1600);
    expect(prorate(1000, 15, 30)).toBe(500);
    expect(prorate(999, 1, 2)).toBe(500); // 499.5 → 500
    expect(prorate(2900, 14, 28)).toBe(1450);
  });

  it('computes VAT once on a net total, half up', () => {
    expect(taxOf(1510, 1900)).toBe(287); // 286.9
    expect(taxOf(1550, 1900)).toBe(295); // 294.5 → 295
    expect(taxOf(10000, 2550)).toBe(2550);
    expect(taxOf(1234, 0)).toBe(0);
  });

  it('formats money for people', () => {
    expect(formatMoney(1510, 'EUR')).toBe('€15.10');
    expect(formatMoney(123456, 'USD')).toBe('$1,234.56');
    expect(formatMoney(-320, 'EUR')).toBe('-€3.20');
  });
});

describe('calendar months (issue 12)', () => {
  it('knows 28–31 day months and leap years', () => {
    expect(daysInMonth('2026-02')).toBe(28);
    expect(daysInMonth('2028-02')).toBe(29);
    expect(daysInMonth('2100-02')).toBe(28);
    expect(daysInMonth('2000-02')).toBe(29);
    expect(daysInMonth('2026-04')).toBe(30);
    expect(daysInMonth('2026-12')).toBe(31);
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(daysBetween('2026-12-13', '2026-12-31')).toBe(19);
  });
});

describe('charges for a month (issue 12)', () => {
  it('cuts a period into calendar-month segments, one line each', () => {
    const p = period({ fromDay: '2026-01-20', toDay: '2026-03-10', monthlyPriceCents: 3100 });
    expect(chargesForMonth([p], '2025-12')).toEqual([]);
    const jan = chargesForMonth([p], '2026-01');
    expect(jan).toMatchObject([{ fromDay: '2026-01-20', toDay: '2026-01-31', days: 12, amountCents: 1200, unitPriceCents: 3100 }]);
    expect(chargesForMonth([p], '2026-02')).toMatchObject([{ fromDay: '2026-02-01', toDay: '2026-02-28', days: 28, amountCents: 3100 }]);
    expect(chargesForMonth([p], '2026-03')).toMatchObject([{ fromDay: '2026-03-01', toDay: '2026-03-10', days: 10, amountCents: 1000 }]);
    expect(chargesForMonth([p], '2026-04')).toEqual([]);
  });

  it('gives several lines for an App scaled in the month, and cuts "so far" at a day', () => {
    const before = period({ fromDay: '2026-11-01', toDay: '2026-12-10', monthlyPriceCents: 1600 });
    const after = period({ fromDay: '2026-12-11', toDay: null, monthlyPriceCents: 4200, plan: { php: 'php-m', database: 'db-m', storage: 'storage-50' } });
    const lines = chargesForMonth([after, before], '2026-12');
    expect(lines.map((l) => [l.fromDay, l.toDay, l.days, l.amountCents])).toEqual([
      ['2026-12-01', '2026-12-10', 10, 516], // 1600 × 10 / 31 = 516.1
      ['2026-12-11', '2026-12-31', 21, 2845], // 4200 × 21 / 31 = 2845.16
    ]);
    expect(lines[1].description).toBe('PHP Medium (1 vCPU, 1 GB), Database Medium (5 GB), Storage 50 GB');
    const soFar = chargesForMonth([after, before], '2026-12', '2026-12-05');
    expect(soFar.map((l) => [l.fromDay, l.toDay, l.days])).toEqual([['2026-12-01', '2026-12-05', 5]]);
  });

  it('bills the old contact through the handover day and the new one from the next day (the issue\'s €15.10 example)', () => {
    const old = period({ billingContactId: 'bc_old', fromDay: '2026-11-01', toDay: '2026-12-13' });
    const fresh = period({ billingContactId: 'bc_new', fromDay: '2026-12-14' });
    const lines = chargesForMonth([old, fresh], '2026-12');
    expect(lines.find((l) => l.billingContactId === 'bc_new')).toMatchObject({ fromDay: '2026-12-14', toDay: '2026-12-31', days: 18, amountCents: 1510 });
    expect(lines.find((l) => l.billingContactId === 'bc_old')).toMatchObject({ fromDay: '2026-12-01', toDay: '2026-12-13', days: 13, amountCents: 1090 });
  });

  it('names the plan in words', () => {
    expect(planInWords(PLAN)).toBe('PHP Small (0.5 vCPU, 512 MB), Database Small (1 GB), Storage 10 GB');
  });
});

/** A chain of consecutive periods of one App (the day rule: each starts the day after the previous ends). */
const chainArb = fc.record({
  startOffset: fc.integer({ min: 0, max: 400 }),
  lengths: fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 6 }),
  prices: fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 6, maxLength: 6 }),
  contacts: fc.array(fc.constantFrom('bc_a', 'bc_b', 'bc_c'), { minLength: 6, maxLength: 6 }),
  open: fc.boolean(),
  currency: fc.constantFrom('EUR' as const, 'USD' as const),
});

interface Chain { startOffset: number; lengths: number[]; prices: number[]; contacts: string[]; open: boolean; currency: 'EUR' | 'USD' }

function chain(c: Chain): PeriodInput[] {
  let day = addDays('2027-01-01', c.startOffset - 200);
  return c.lengths.map((len, i) => {
    const fromDay = day;
    const toDay = addDays(fromDay, len - 1);
    day = addDays(toDay, 1);
    const last = i === c.lengths.length - 1;
    return period({ fromDay, toDay: last && c.open ? null : toDay, monthlyPriceCents: c.prices[i], billingContactId: c.contacts[i], currency: c.currency });
  });
}

function monthsOf(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
}

describe('charge properties (issue 12)', () => {
  it('lines of a month never overlap, stay inside the month and cover every charged day once', () => {
    fc.assert(fc.property(chainArb, fc.constantFrom(...monthsOf(2026), ...monthsOf(2028)), (c, month) => {
      const lines = chainArbLines(c, month);
      const seen = new Set<string>();
      for (const line of lines) {
        expect(line.fromDay.slice(0, 7)).toBe(month);
        expect(line.toDay.slice(0, 7)).toBe(month);
        expect(line.days).toBe(daysBetween(line.fromDay, line.toDay));
        for (let d = line.fromDay; d <= line.toDay; d = addDays(d, 1)) {
          expect(seen.has(d)).toBe(false);
          seen.add(d);
        }
        expect(Number.isInteger(line.amountCents)).toBe(true);
      }
    }), { numRuns: 300 });
  });

  it('a year of monthly invoices equals the daily sum of the year within one cent per line', () => {
    fc.assert(fc.property(chainArb, fc.constantFrom(2026, 2027, 2028), (c, year) => {
      const periods = chain(c);
      let invoiced = 0;
      let lineCount = 0;
      let exact = 0; // Σ price × days / days in month, unrounded
      for (const month of monthsOf(year)) {
        const lines = chargesForMonth(periods, month);
        lineCount += lines.length;
        for (const l of lines) {
          invoiced += l.amountCents;
          exact += (l.unitPriceCents * l.days) / daysInMonth(month);
        }
      }
      // Daily sum straight from the periods, day by day, independent of the segmenting.
      let daily = 0;
      for (const p of periods) {
        for (let d = p.fromDay; d <= (p.toDay ?? `${year}-12-31`) && d <= `${year}-12-31`; d = addDays(d, 1)) {
          if (d >= `${year}-01-01`) daily += p.monthlyPriceCents / daysInMonth(d.slice(0, 7));
        }
      }
      expect(Math.abs(daily - exact)).toBeLessThan(1e-6 * Math.max(1, daily));
      expect(Math.abs(invoiced - daily)).toBeLessThanOrEqual(lineCount * 0.5 + 1e-6);
    }), { numRuns: 200 });
  });

  it('a change on day D bills the old terms through D and the new from D+1, never both', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 1, max: 500_000 }), fc.integer({ min: 1, max: 500_000 }), (offset, oldPrice, newPrice) => {
      const d = addDays('2026-01-01', offset);
      const periods = [
        period({ billingContactId: 'bc_old', fromDay: '2025-12-15', toDay: d, monthlyPriceCents: oldPrice }),
        period({ billingContactId: 'bc_new', fromDay: addDays(d, 1), monthlyPriceCents: newPrice }),
      ];
      const month = d.slice(0, 7);
      const lines = chargesForMonth(periods, month);
      const old = lines.filter((l) => l.billingContactId === 'bc_old');
      expect(old.at(-1)?.toDay).toBe(d);
      const fresh = lines.filter((l) => l.billingContactId === 'bc_new');
      if (addDays(d, 1).slice(0, 7) === month) expect(fresh[0].fromDay).toBe(addDays(d, 1));
      else expect(fresh).toEqual([]);
    }), { numRuns: 300 });
  });
});

function chainArbLines(c: Chain, month: string) {
  return chargesForMonth(chain(c), month);
}
