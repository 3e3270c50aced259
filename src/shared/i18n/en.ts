/**
 * The English catalogue: the source language. Keys are grouped by page or flow; values use
 * i18next's {{name}} placeholders and _one/_other plural forms. The web (react-i18next) and
 * the server (createTranslator, for mails) read the same objects.
 */
export const en = {
  common: {
    loading: 'Loading…',
    retry: 'Try again',
    somethingWrong: 'Something went wrong. Please try again.',
    none: '—',
    yourDeveloper: 'Your developer',
    perMonthExVat: 'a month, excluding VAT',
    currency: { EUR: 'euros', USD: 'US dollars' },
  },
  time: {
    left: '{{duration}} left',
    ended: 'ended',
    expiresIn: 'expires in {{duration}}',
    expired: 'expired',
  },
  language: {
    label: 'Language',
    en: 'English',
    de: 'Deutsch',
  },
} as const;
