import type { Messages } from './types.js';

/** Deutsch. Every key of the English catalogue is here (test/web/i18n.test.ts checks it). */
export const de: Messages = {
  common: {
    loading: 'Wird geladen…',
    retry: 'Noch einmal versuchen',
    somethingWrong: 'Etwas ist schiefgegangen. Bitte versuchen Sie es noch einmal.',
    none: '—',
    yourDeveloper: 'Ihr Entwickler',
    perMonthExVat: 'im Monat, zzgl. MwSt.',
    currency: { EUR: 'Euro', USD: 'US-Dollar' },
  },
  time: {
    left: 'noch {{duration}}',
    ended: 'abgelaufen',
    expiresIn: 'läuft noch {{duration}}',
    expired: 'abgelaufen',
  },
  language: {
    label: 'Sprache',
    en: 'English',
    de: 'Deutsch',
  },
};
