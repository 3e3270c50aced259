/**
 * Intl formatters for dates, money, durations and country names, in one place for the web
 * and for the server's mails. Every function takes the locale ("en", "de"): no date or
 * amount is ever put together by hand. Money is integer cents.
 */
import { COUNTRY_CODES } from './countries.js';
import { createTranslator, en, type Language } from './i18n/index.js';

export interface MoneyValue { amount: number; currency: string }

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.DisplayNames>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.DisplayNames>(key: string, make: () => T): T {
  let value = cache.get(key) as T | undefined;
  if (!value) { value = make(); cache.set(key, value); }
  return value;
}

function toDate(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "€14.00" / "14,00 €". */
export function formatMoney(money: MoneyValue | null | undefined, locale: string): string {
  if (!money) return '—';
  return cached(`money:${locale}:${money.currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }))
    .format(money.amount / 100);
}

/** "Dec 1, 2026" / "01.12.2026". A bad or missing value shows as "—". */
export function formatDate(value: string | Date | null | undefined, locale: string, style: 'medium' | 'long' | 'full' = 'medium'): string {
  const date = toDate(value);
  if (!date) return typeof value === 'string' && value ? value : '—';
  return cached(`date:${locale}:${style}`, () => new Intl.DateTimeFormat(locale, { dateStyle: style })).format(date);
}

/** "4 December 2026" (en-GB) / "4. Dezember 2026": a calendar day, read in UTC (billing days are UTC days). */
export function formatUtcDay(date: Date, locale: string): string {
  return cached(`utcday:${locale}`, () => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })).format(date);
}

/** "November 2026" / "November 2026": a billing month written YYYY-MM, read in UTC. */
export function formatUtcMonth(month: string, locale: string): string {
  return cached(`utcmonth:${locale}`, () => new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' })).format(new Date(`${month}-01T00:00:00Z`));
}

/** "Dec 1, 2026" / "01.12.2026": a day read in UTC, medium style (billing cuts over by UTC day). */
export function formatUtcDate(date: Date, locale: string): string {
  return cached(`utcdate:${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })).format(date);
}

/** "19" / "25.5" / "25,5": a plain number such as a VAT rate. */
export function formatNumber(value: number, locale: string): string {
  return cached(`number:${locale}`, () => new Intl.NumberFormat(locale)).format(value);
}

/** Options for a moment: the zone it is shown in (default: the runtime's own, the browser's on the web). */
export interface MomentOptions { timeZone?: string }

/**
 * A moment with its zone's short name, in the reader's zone: "Dec 4, 2026, 5:31 PM EST" /
 * "4. Dez. 2026, 17:31 MEZ"; "long": "December 4, 2026, 5:31 PM EST" / "4. Dezember 2026,
 * 17:31 MEZ" (SPEC 4.12). A bad or missing value shows as "—".
 */
export function formatDateTime(value: string | Date | null | undefined, locale: string, style: 'medium' | 'long' = 'medium', options: MomentOptions = {}): string {
  const date = toDate(value);
  if (!date) return typeof value === 'string' && value ? value : '—';
  const zone = options.timeZone ?? '';
  if (style === 'medium') {
    return cached(`datetime:${locale}:${zone}`, () => new Intl.DateTimeFormat(locale, {
      year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short', timeZone: options.timeZone,
    })).format(date);
  }
  // Intl joins a long date and a time with "at" / "um"; SPEC 4.12 writes "4. Dezember 2026, 17:31 MEZ".
  const day = cached(`longdate:${locale}:${zone}`, () => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: options.timeZone })).format(date);
  return `${day}, ${formatTime(date, locale, options)}`;
}

/** "5:31 PM EST" / "17:31 MEZ". */
export function formatTime(value: string | Date, locale: string, options: MomentOptions = {}): string {
  const date = toDate(value);
  if (!date) return '—';
  return cached(`time:${locale}:${options.timeZone ?? ''}`, () => new Intl.DateTimeFormat(locale, {
    hour: 'numeric', minute: '2-digit', timeZoneName: 'short', timeZone: options.timeZone,
  })).format(date);
}

/**
 * A moment in a mail, in words, with the zone: "Thursday, 5 March 2026 at 14:30 UTC" (en-GB)
 * / "Donnerstag, 5. März 2026 um 15:30 MEZ" (de-DE). Mails name the zone they use (ADR 0070).
 */
export function formatMailMoment(value: Date, locale: string, timeZone: string): string {
  return cached(`mailmoment:${locale}:${timeZone}`, () => new Intl.DateTimeFormat(locale, {
    weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short',
  })).format(value);
}

/** The zone this runtime runs in ("Europe/Berlin"): the browser's on the web. */
export function localTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "Tuesday, December 1" / "Dienstag, 1. Dezember": a day near today, said in words. */
export function formatWeekday(value: string | Date | null | undefined, locale: string): string {
  const date = toDate(value);
  if (!date) return '—';
  return cached(`weekday:${locale}`, () => new Intl.DateTimeFormat(locale, { weekday: 'long', month: 'long', day: 'numeric' })).format(date);
}

/**
 * How long until a moment, rounded down the way people say it: "2 days", "5 hours",
 * "3 minutes" ("2 Tage", "5 Stunden"). Days from 48 hours on, then hours, then minutes;
 * null once the moment has passed. Sentences around it ("expires in …") are catalogue keys.
 */
export function formatDuration(value: string | Date, locale: string, now: number): string | null {
  const date = toDate(value);
  if (!date) return null;
  const ms = date.getTime() - now;
  if (ms <= 0) return null;
  const hours = Math.floor(ms / 3_600_000);
  // Days allow an hour's slack: a 72-hour link sent a minute ago has "3 days" left, not "2 days" (issue 17).
  const [count, unit] = hours >= 48 ? [Math.floor((ms + 3_600_000) / 86_400_000), 'day'] : hours >= 1 ? [hours, 'hour'] : [Math.max(1, Math.floor(ms / 60_000)), 'minute'];
  return cached(`unit:${locale}:${unit}`, () => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' })).format(count);
}

/** "Germany" / "Deutschland"; the code itself when the runtime has no names. */
export function countryName(code: string, locale: string): string {
  try {
    return cached(`region:${locale}`, () => new Intl.DisplayNames([locale], { type: 'region' })).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Every country as an option "Germany (DE)", sorted by name in the reader's language. */
export function countryOptions(locale: string): { value: string; label: string }[] {
  const collator = new Intl.Collator(locale);
  return COUNTRY_CODES.map((code) => ({ value: code, label: `${countryName(code, locale)} (${code})` }))
    .sort((a, b) => collator.compare(a.label, b.label));
}

/** "A, B and C" / "A, B und C". */
export function formatList(items: string[], locale: string): string {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
}

/** Whether the runtime knows this IANA time zone ("Europe/Berlin", "UTC"). */
export function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** "visa" → "Visa": card brands are names, the same on pages and in mails. */
export function cardBrandName(brand: string | null | undefined): string {
  if (!brand) return '';
  const known: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express' };
  return known[brand.toLowerCase()] ?? brand.charAt(0).toUpperCase() + brand.slice(1);
}

const CLIENT_PLAN_PARTS = ['php', 'database', 'storage'] as const;

/**
 * A plan as a client reads it (issue 17, ADR 0092): "Website: Medium · Database: Small (1 GB) ·
 * Storage: 10 GB" — the parts in plain words, no processor sizes. The done page and the
 * confirmation mail use it; developers' pages keep the technical sizes (`plans.sizes`).
 */
export function clientPlanWords(plan: Record<string, string>, language: Language): string {
  const t = createTranslator(language);
  return CLIENT_PLAN_PARTS.filter((part) => plan[part]).map((part) => {
    const id = plan[part];
    const size = id in en.client.plan.sizes ? t(`client.plan.sizes.${id as keyof typeof en.client.plan.sizes}`) : id;
    return t('client.plan.part', { part: t(`client.plan.parts.${part}`), size });
  }).join(' · ');
}
