import type { Strings } from './types.js';
import type { costEn } from './cost.en.js';

/** Deutsche Texte zu Kostenänderungen und Freigaben (Issue 17, SPEC 4.12). */
export const costDe: Strings<typeof costEn> = {
  cost: {
    mail: {
      hello: 'Guten Tag {{name}},',
      action: 'Ihre Firma öffnen',
      amounts: 'Monatliche Kosten von „{{app}}“ bisher: {{beforeNet}} zzgl. MwSt., {{beforeGross}} inkl. MwSt.\nMonatliche Kosten von „{{app}}“ jetzt: {{afterNet}} zzgl. MwSt., {{afterGross}} inkl. MwSt.',
      amountsAsked: 'Monatliche Kosten von „{{app}}“ jetzt: {{beforeNet}} zzgl. MwSt., {{beforeGross}} inkl. MwSt.\nMonatliche Kosten von „{{app}}“ nach der Änderung: {{afterNet}} zzgl. MwSt., {{afterGross}} inkl. MwSt.',
      increase: {
        subjectScale: 'Die monatlichen Kosten von „{{app}}“ sind gestiegen',
        subjectBook: '{{actor}} hat „{{app}}“ für „{{company}}“ gebucht',
        scale: '{{actor}} hat den Tarif von „{{app}}“ in „{{company}}“ geändert. Er wird ab {{day}} berechnet.',
        book: '{{actor}} hat die neue App „{{app}}“ für „{{company}}“ gebucht. Sie wird ab {{day}} berechnet.',
        approved: '{{actor}} hat diese Änderung beantragt; {{approver}} hat sie freigegeben.',
        hint: 'Wenn Sie das nicht erwartet haben, fragen Sie bitte {{actor}}. Als Inhaber können Sie auf Ihrer Firmenseite „Mich fragen, bevor die monatlichen Kosten steigen“ einschalten: Dann warten solche Änderungen auf Ihre Freigabe.',
      },
      request: {
        subject: '{{actor}} bittet Sie, höhere monatliche Kosten für „{{app}}“ freizugeben',
        scale: '{{actor}} möchte den Tarif von „{{app}}“ in „{{company}}“ ändern.',
        book: '{{actor}} möchte die neue App „{{app}}“ für „{{company}}“ buchen.',
        wait: 'Es ändert sich nichts, bis ein Inhaber zustimmt. Die Anfrage läuft am {{until}} ab.',
        action: 'Freigeben oder ablehnen',
      },
      outcome: {
        subjectApproved: 'Freigegeben: Ihre Änderung an „{{app}}“',
        subjectDeclined: 'Abgelehnt: Ihre Änderung an „{{app}}“',
        subjectExpired: 'Abgelaufen: Ihre Änderung an „{{app}}“',
        approvedScale: '{{owner}} hat Ihre Anfrage freigegeben: „{{app}}“ läuft jetzt im neuen Tarif.',
        approvedBook: '{{owner}} hat Ihre Anfrage freigegeben: „{{app}}“ ist für „{{company}}“ gebucht.',
        declined: '{{owner}} hat Ihre Anfrage abgelehnt, „{{app}}“ in „{{company}}“ zu ändern. Es wurde nichts geändert.',
        expired: 'Niemand hat Ihre Anfrage, „{{app}}“ in „{{company}}“ zu ändern, innerhalb von 7 Tagen freigegeben; sie ist abgelaufen. Es wurde nichts geändert.',
        action: 'Firma öffnen',
      },
    },
    web: {
      sentForApproval: 'Zur Freigabe an den Inhaber gesendet. Es ändert sich nichts, bis ein Inhaber zustimmt.',
      switch: {
        title: 'Kostensteigerungen',
        label: 'Mich fragen, bevor die monatlichen Kosten steigen',
        help: 'Wenn ein Admin eine App hochstuft oder eine neue bucht, wartet die Änderung, bis ein Inhaber zustimmt. Inhaber erhalten in jedem Fall eine E-Mail.',
        on: 'Ab jetzt warten Änderungen von Admins, die die monatlichen Kosten erhöhen, auf die Freigabe eines Inhabers.',
        off: 'Änderungen von Admins gelten jetzt sofort; Inhaber erhalten weiterhin zu jeder Erhöhung eine E-Mail.',
      },
      activity: {
        amounts: '{{before}} → {{after}} im Monat, zzgl. MwSt.',
      },
      panel: {
        title: 'Anfragen für höhere monatliche Kosten',
        titleOwn: 'Ihre Anfragen, die auf Freigabe warten',
        none: 'Es warten keine Anfragen.',
        kind: { scale: 'Tarif von {{app}} ändern', book: 'Neue App {{app}} buchen' },
        requestedBy: 'Angefragt von {{name}} am {{date}}',
        amounts: 'Von {{before}} auf {{after}} im Monat, zzgl. MwSt.',
        amountsGross: 'Von {{before}} auf {{after}} im Monat, inkl. MwSt.',
        expires: 'Läuft am {{date}} ab',
        list: 'Anfragen',
        approve: 'Freigeben',
        approveLabel: 'Freigeben: {{what}}',
        declineLabel: 'Ablehnen: {{what}}',
        decline: 'Ablehnen',
        approved: 'Freigegeben: Die Änderung ist erfolgt.',
        declined: 'Abgelehnt: Es wurde nichts geändert.',
        state: { pending: 'Wartet auf einen Inhaber', approved: 'Freigegeben', declined: 'Abgelehnt', expired: 'Abgelaufen' },
      },
    },
  },
};
