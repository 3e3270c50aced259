/**
 * The message catalogues and a translator for code outside React (the server's mails).
 * The web wires the same resources into react-i18next in src/web/i18n.ts.
 */
import i18next, { type TFunction } from 'i18next';
import { de } from './de.js';
import { en } from './en.js';

export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

export const resources = {
  en: { translation: en },
  de: { translation: de },
} as const;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** i18next options both sides share: English as the fallback, React escapes, keys with dots. */
export const i18nOptions = {
  resources,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
} as const;

const translators = new Map<Language, TFunction>();

/** A translator for one language, e.g. `createTranslator('de')('common.retry')`. Synchronous; one instance per language. */
export function createTranslator(language: Language): TFunction {
  let t = translators.get(language);
  if (!t) {
    const instance = i18next.createInstance();
    void instance.init({ ...i18nOptions, lng: language });
    t = instance.t;
    translators.set(language, t);
  }
  return t;
}

export { de, en };
export type { Messages } from './types.js';
