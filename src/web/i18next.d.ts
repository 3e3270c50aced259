import type { en } from '../shared/i18n/en';

// Keys are checked at compile time: t('common.retry') compiles, t('common.typo') does not.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
