import { formatMailMoment, formatMoney as formatMoneyIn, formatUtcDay } from '../../../shared/format.js';
import { createTranslator, DEFAULT_LANGUAGE, type Language } from '../../../shared/i18n/index.js';
import type { Money } from '../plans/pricing.js';

/**
 * Plain words for people who are not technical: money and moments as they read them, in
 * the mail's language (ADR 0050). English keeps the British date order the mails always had.
 */
const DATE_LOCALE: Record<Language, string> = { en: 'en-GB', de: 'de-DE' };

export function formatMoney(money: Money, language: Language = DEFAULT_LANGUAGE): string {
  return formatMoneyIn(money, language);
}

/**
 * The zone a mail shows times in (ADR 0070): the recipient's own (sent by their browser with
 * the language), else Europe/Berlin for German, else UTC; the zone's name is always written.
 */
export function mailTimeZone(language: Language = DEFAULT_LANGUAGE, timeZone?: string | null): string {
  return timeZone ?? (language === 'de' ? 'Europe/Berlin' : 'UTC');
}

/** "Thursday, 5 March 2026 at 14:30 UTC" / "Donnerstag, 5. März 2026 um 15:30 MEZ". */
export function formatMoment(at: Date, language: Language = DEFAULT_LANGUAGE, timeZone?: string | null): string {
  return formatMailMoment(at, DATE_LOCALE[language], mailTimeZone(language, timeZone));
}

/** "4 December 2026" / "4. Dezember 2026" (a cached formatter: accept writes several per request). */
export function formatDay(at: Date, language: Language = DEFAULT_LANGUAGE): string {
  return formatUtcDay(at, DATE_LOCALE[language]);
}

export function personName(p: { firstName: string; lastName: string; email?: string }, language: Language = DEFAULT_LANGUAGE): string {
  return `${p.firstName} ${p.lastName}`.trim() || p.email || createTranslator(language)('mail.someone');
}
