import type { paymentsEn } from './payments.en.js';
import type { Strings } from './types.js';

/** Deutsch (Sie-Form) for payments.en.ts. */
export const paymentsDe: Strings<typeof paymentsEn> = {
  payments: {
    card: {
      label: 'Karte',
      loading: 'Das sichere Kartenformular wird geladen …',
      notReady: 'Das Kartenformular lädt noch. Bitte warten Sie einen Moment und versuchen Sie es erneut.',
      check: 'Bitte prüfen Sie die Kartendaten.',
      declined: 'Die Karte konnte nicht eingerichtet werden. Bitte prüfen Sie sie oder nehmen Sie eine andere Karte.',
      unavailable: 'Das sichere Kartenformular konnte nicht geladen werden. Bitte prüfen Sie Ihre Verbindung und laden Sie die Seite neu.',
    },
  },
};
