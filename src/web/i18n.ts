/**
 * i18next + react-i18next for the web app, on the shared catalogues (src/shared/i18n).
 * The language (ADR 0070): the signed-in Account's setting, else the one picked on this
 * device while signed out (localStorage), else the browser's (the first of
 * navigator.languages that we have), else English. `<html lang>` follows.
 */
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { DEFAULT_LANGUAGE, i18nOptions, isLanguage, LANGUAGES, type Language } from '../shared/i18n/index';
import * as shared from '../shared/format';

const STORAGE_KEY = 'dashboard.language';

/** The language picked on this device, if any. */
export function storedLanguage(): Language | null {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

/** The first of the browser's languages we have ("de-AT" counts as German), else English. */
export function browserLanguage(languages: readonly string[] | undefined = globalThis.navigator?.languages): Language {
  for (const tag of languages ?? []) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return DEFAULT_LANGUAGE;
}

/** Which language to show: the Account's, else this device's choice, else the browser's. */
export function chooseLanguage(account: Language | null | undefined, stored: Language | null, browser: Language): Language {
  return account ?? stored ?? browser;
}

void i18next.use(initReactI18next).init({ ...i18nOptions, lng: chooseLanguage(null, storedLanguage(), browserLanguage()) });

function syncDocument(language: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}
syncDocument(i18next.language);
i18next.on('languageChanged', syncDocument);

export const i18n = i18next;

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : DEFAULT_LANGUAGE;
}

/** Saves a choice on the Account while someone is signed in (set by LanguageSync in session.tsx). */
let saveOnAccount: ((language: Language) => Promise<void>) | null = null;
export function setAccountLanguageSaver(save: ((language: Language) => Promise<void>) | null) {
  saveOnAccount = save;
}

function remember(language: Language) {
  try { globalThis.localStorage?.setItem(STORAGE_KEY, language); } catch { /* private mode: this tab only */ }
}

/** The person picked a language: shown at once, kept on this device and, signed in, on the Account. */
export async function setLanguage(language: Language) {
  remember(language);
  await i18next.changeLanguage(language);
  await saveOnAccount?.(language);
}

/** The Account's language arrived with the session: it wins over the device's and the browser's. */
export async function applyAccountLanguage(language: Language | null | undefined) {
  const next = chooseLanguage(language, storedLanguage(), browserLanguage());
  if (language) remember(language);
  if (next !== i18next.language) await i18next.changeLanguage(next);
}

export { LANGUAGES };

/** Formatters bound to the current language; re-renders when it changes. Times are in the browser's zone, with its name. */
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
