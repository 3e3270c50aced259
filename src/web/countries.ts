import { countryName as name, countryOptions as options } from '../shared/format';
import { currentLanguage } from './i18n';

/** The shared country list (src/shared/countries.ts) as picker options, named in the current language. */
const cached = new Map<string, { value: string; label: string }[]>();

export function countryOptions(): { value: string; label: string }[] {
  const locale = currentLanguage();
  let list = cached.get(locale);
  if (!list) { list = options(locale); cached.set(locale, list); }
  return list;
}

/** "Germany (DE)". */
export function countryName(code: string): string {
  return `${name(code, currentLanguage())} (${code})`;
}
