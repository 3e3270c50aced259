/**
 * The charge computation of SPEC 4.8, pure: billing periods in, invoice lines out.
 * A period charges `monthly price × days / days in that calendar month` for every calendar
 * month it touches; one line per (period, month) segment, rounded half up once per line
 * (money.ts). Days are inclusive UTC calendar days (YYYY-MM-DD), as the day rule of ADR 0012
 * records them. See docs/decisions/0032-charges-and-rounding.md.
 */
import { PLAN_COMPONENTS, type Currency, type Plan } from '../plans/catalogue.js';
import { prorate } from './money.js';

export interface PeriodInput {
  appId: string;
  appName: string;
  billingContactId: string;
  plan: Plan;
  monthlyPriceCents: number;
  currency: Currency;
  fromDay: string;
  /** Inclusive; null while the period is open. */
  toDay: string | null;
}

export interface ChargeLine {
  appId: string;
  appName: string;
  billingContactId: string;
  plan: Plan;
  description: string;
  fromDay: string;
  toDay: string;
  days: number;
  unitPriceCents: number;
  amountCents: number;
  currency: Currency;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function firstDayOf(month: string): string {
  return `${month}-01`;
}

export function lastDayOf(month: string): string {
  return `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
}

export function monthOfDay(day: string): string {
  return day.slice(0, 7);
}

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Inclusive number of days from a to b (both YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000) + 1;
}

const SIZE_NAMES = new Map(PLAN_COMPONENTS.flatMap((c) => c.sizes.map((s) => [`${c.id}:${s.id}`, `${c.name} ${s.name}`] as const)));

/** The plan in plain words: "PHP Small (0.5 vCPU, 512 MB), Database Small (1 GB), Storage 10 GB". */
export function planInWords(plan: Plan): string {
  return PLAN_COMPONENTS.map((c) => SIZE_NAMES.get(`${c.id}:${plan[c.id]}`) ?? `${c.name} ${plan[c.id] ?? '?'}`).join(', ');
}

/**
 * The lines of one calendar month. `throughDay` cuts every period at that day (upcoming
 * charges "so far"); without it an open period runs to the month's end (the projection,
 * and the invoice of a month that is over). Lines are ordered by App name, then day.
 */
export function chargesForMonth(periods: PeriodInput[], month: string, throughDay?: string): ChargeLine[] {
  if (!isMonth(month)) throw new Error(`not a month: ${month}`);
  const monthStart = firstDayOf(month);
  let monthEnd = lastDayOf(month);
  if (throughDay !== undefined && throughDay < monthEnd) monthEnd = throughDay;
  const dim = daysInMonth(month);
  const lines: ChargeLine[] = [];
  for (const p of periods) {
    const from = p.fromDay > monthStart ? p.fromDay : monthStart;
    const to = p.toDay === null || p.toDay > monthEnd ? monthEnd : p.toDay;
    if (from > to) continue;
    const days = daysBetween(from, to);
    lines.push({
      appId: p.appId, appName: p.appName, billingContactId: p.billingContactId, plan: p.plan,
      description: planInWords(p.plan), fromDay: from, toDay: to, days,
      unitPriceCents: p.monthlyPriceCents, amountCents: prorate(p.monthlyPriceCents, days, dim), currency: p.currency,
    });
  }
  return lines.sort((a, b) => (a.appName < b.appName ? -1 : a.appName > b.appName ? 1 : a.fromDay < b.fromDay ? -1 : a.fromDay > b.fromDay ? 1 : 0));
}

/** Lines grouped by billing contact (a contact with no line has no entry). */
export function groupByContact(lines: ChargeLine[]): Map<string, ChargeLine[]> {
  const byContact = new Map<string, ChargeLine[]>();
  for (const line of lines) {
    const list = byContact.get(line.billingContactId) ?? [];
    list.push(line);
    byContact.set(line.billingContactId, list);
  }
  return byContact;
}

export function sumLines(lines: Pick<ChargeLine, 'amountCents'>[]): number {
  return lines.reduce((sum, l) => sum + l.amountCents, 0);
}
