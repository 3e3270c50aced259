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
    confirm: {
      title: 'Zahlung einer Rechnung bestätigen',
      lead: 'Ihre Bank bittet den Karteninhaber, diese Zahlung zu bestätigen (3-D Secure).',
      loading: 'Die Rechnung wird geladen …',
      button: 'Zahlung bestätigen',
      done: 'Danke: Die Zahlung ist bestätigt. Die Rechnung wird gleich als bezahlt angezeigt.',
      failed: 'Die Zahlung wurde nicht bestätigt. Bitte versuchen Sie es erneut, oder ändern Sie die Karte im Bereich Abrechnung und bezahlen Sie dort.',
      nothing: 'Diese Rechnung muss gerade nicht bestätigt werden.',
      paid: 'Diese Rechnung ist bereits bezahlt. Danke: Es ist nichts mehr zu tun.',
      pending: 'Diese Rechnung wird per Lastschrift bezahlt. Banken brauchen dafür einige Tage; danach wird die Rechnung als bezahlt angezeigt. Hier ist nichts zu bestätigen.',
      processing: 'Danke: Die Zahlung ist bestätigt. Die Bank bearbeitet sie noch; die Rechnung wird als bezahlt angezeigt, sobald sie fertig ist.',
      again: 'Erneut versuchen',
      sandbox: 'Mit den Testzahlungen (Sandbox) lässt sich hier nichts bestätigen: Ändern Sie die Karte im Bereich Abrechnung und wählen Sie „Jetzt bezahlen“.',
      back: 'Zurück zur Abrechnung',
    },
  },
};
