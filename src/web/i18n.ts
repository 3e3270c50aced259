/**
 * i18next + react-i18next for the web app, on the shared catalogues (src/shared/i18n).
 * The language is English unless the person chose another one (stored in localStorage):
 * until every page is translated, following the browser's language would mix German and
 * English on one screen (ADR 0029).
 */
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { DEFAULT_LANGUAGE, i18nOptions, isLanguage, type Language } from '../shared/i18n/index';
import * as shared from '../shared/format';

const STORAGE_KEY = 'dashboard.language';

function storedLanguage(): Language {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

void i18next.use(initReactI18next).init({ ...i18nOptions, lng: storedLanguage() });

function syncDocument(language: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}
syncDocument(i18next.language);
i18next.on('languageChanged', syncDocument);

export const i18n = i18next;

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : DEFAULT_LANGUAGE;
}

export async function setLanguage(language: Language) {
  try { globalThis.localStorage?.setItem(STORAGE_KEY, language); } catch { /* private mode: this tab only */ }
  await i18next.changeLanguage(language);
}

/** Formatters bound to the current language; re-renders when it changes. */
export function useFormat() {
  const { i18n: instance } = useTranslation();
  const locale = isLanguage(instance.language) ? instance.language : DEFAULT_LANGUAGE;
  return {
    locale,
    money: (money: shared.MoneyValue | null | undefined) => shared.formatMoney(money, locale),
    date: (value: string | Date | null | undefined) => shared.formatDate(value, locale),
    longDate: (value: string | Date | null | undefined) => shared.formatDate(value, locale, 'long'),
    dateTime: (value: string | Date | null | undefined) => shared.formatDateTime(value, locale),
    longDateTime: (value: string | Date | null | undefined) => shared.formatDateTime(value, locale, 'long'),
    weekday: (value: string | Date | null | undefined) => shared.formatWeekday(value, locale),
    duration: (value: string | Date, now = Date.now()) => shared.formatDuration(value, locale, now),
    country: (code: string) => shared.countryName(code, locale),
    list: (items: string[]) => shared.formatList(items, locale),
  };
}
