import { formatMoney as formatMoneyIn } from '../../../shared/format.js';
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

export function formatMoment(at: Date, language: Language = DEFAULT_LANGUAGE): string {
  const moment = at.toLocaleString(DATE_LOCALE[language], {
    weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC',
  });
  return createTranslator(language)('mail.utc', { moment });
}

export function formatDay(at: Date, language: Language = DEFAULT_LANGUAGE): string {
  return at.toLocaleDateString(DATE_LOCALE[language], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export function personName(p: { firstName: string; lastName: string; email?: string }, language: Language = DEFAULT_LANGUAGE): string {
  return `${p.firstName} ${p.lastName}`.trim() || p.email || createTranslator(language)('mail.someone');
}
