import type { Strings } from './types.js';
import type { billingEn } from './billing.en.js';

/** Deutsche Texte des Reiters „Abrechnung“ auf der Firmenseite (Issue 12). */
export const billingDe: Strings<typeof billingEn> = {
  billing: {
    title: 'Abrechnung',
    suspended: 'Diese App ist gesperrt, weil Rechnung {{number}} noch nicht bezahlt ist (seit {{date}}). Einstellungen, Code und Daten bleiben erhalten; Pushes werden abgelehnt, bis sie bezahlt ist. Ein Eigentümer kann sie im Reiter „Abrechnung“ der Firma bezahlen.',
    lead: 'Was dieser Monat bisher kostet, und alle Rechnungen und Gutschriften. Beträge ohne Mehrwertsteuer, wenn nicht anders angegeben.',
    upcoming: {
      title: 'Dieser Monat ({{month}})',
      none: 'In diesem Monat fallen keine Kosten an.',
      soFar: 'Bisher: {{amount}} zzgl. MwSt.',
      projected: 'Wenn sich nichts ändert, beträgt die Rechnung am {{date}} {{amount}} zzgl. MwSt.',
      line: '{{app}}: {{plan}}',
      period: '{{from}} – {{to}} ({{count}} Tage)',
      period_one: '{{from}} ({{count}} Tag)',
      period_other: '{{from}} – {{to}} ({{count}} Tage)',
      perMonth: '{{price}} pro Monat',
      contact: 'Bezahlt von {{name}}',
    },
    invoices: {
      title: 'Rechnungen und Gutschriften',
      none: 'Noch keine Rechnungen. Die erste kommt am 1. des Monats, nachdem Ihre erste App begonnen hat.',
      invoice: 'Rechnung {{number}}',
      creditNote: 'Gutschrift {{number}}',
      forMonth: 'für {{month}}',
      total: 'Gesamt {{amount}}',
      view: 'Öffnen',
      pdf: 'PDF herunterladen',
      payNow: 'Jetzt bezahlen',
      paid: 'Danke: Rechnung {{number}} ist bezahlt.',
      pending: 'Die Lastschrift für Rechnung {{number}} ist veranlasst. Banken brauchen dafür einige Tage; danach wird die Rechnung als bezahlt angezeigt.',
      pendingHint: 'Eine Zahlung in Bearbeitung ist eine Lastschrift, die die Bank noch nicht abgeschlossen hat. Nichts wird doppelt abgebucht, und Ihre Apps laufen in der Zeit weiter.',
      confirm: 'Zahlung bestätigen',
      failedHint: 'Die letzte Zahlung ist nicht durchgegangen. Ändern Sie unten die Karte und drücken Sie dann „Jetzt bezahlen“.',
      list: 'Rechnungen und Gutschriften',
    },
    state: {
      open: 'Offen', paid: 'Bezahlt', payment_failed: 'Zahlung fehlgeschlagen', action_required: 'Bestätigung nötig', payment_pending: 'Zahlung in Bearbeitung', void: 'Storniert (gutgeschrieben)', issued: 'Gutschrift',
    },
    contact: {
      add: 'Rechnungskontakt hinzufügen',
      title: 'Ein neuer Rechnungskontakt',
      hint: 'Eine weitere Rechnungsadresse: Sie bekommt jeden Monat eine eigene Rechnung, bezahlt mit einer eigenen Karte. Apps werden ihr beim Anlegen oder Verschieben zugeordnet.',
      save: 'Rechnungskontakt hinzufügen',
      added: 'Der Rechnungskontakt {{name}} ist hinzugefügt. Apps können ihm jetzt zugeordnet werden.',
    },
    card: {
      title: 'Karte von {{name}} ändern',
      change: 'Karte ändern',
      save: 'Neue Karte speichern',
      cancel: 'Abbrechen',
      saved: 'Die neue Karte ist gespeichert. Offene Rechnungen können jetzt damit bezahlt werden.',
      current: 'Aktuelle Karte: {{card}}',
      currentMethod: 'Aktuelle Zahlungsart: {{card}}',
    },
  },
};
