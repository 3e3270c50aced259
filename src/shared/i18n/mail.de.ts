import type { mailEn } from './mail.en.js';
import type { Strings } from './types.js';

/** Deutsch (Sie-Form) for the invitation and team mails of mail.en.ts. */
export const mailDe: Strings<typeof mailEn> = {
  mail: {
    orCopy: 'Oder kopieren Sie diesen Link:',
    hello: 'Guten Tag,',
    helloNamed: 'Guten Tag {{name}},',
    someone: 'Jemand',
    clientInvitation: {
      subject: '{{inviter}} lädt Sie ein, Ihre Website „{{app}}“ zu übernehmen',
      built: '{{inviter}} ({{email}}) hat Ihre Website „{{app}}“ gebaut und lädt Sie ein, sie zu übernehmen.',
      writes: '{{inviter}} schreibt:\n„{{message}}“',
      whatHappens: 'Was passiert: Sie werden Inhaber von „{{app}}“ und bezahlen die Website ab dem Tag nach Ihrer Zusage: {{price}} im Monat (oder {{otherPrice}}, wenn Sie in {{otherCurrency}} bezahlen), zzgl. MwSt., soweit sie anfällt. {{inviter}} arbeitet als Admin Ihres Firmenkontos weiter für Sie daran. Sie können {{inviter}} jederzeit entfernen.',
      needs: 'Sie brauchen ein paar Minuten und eine Zahlungskarte. Dieser Link funktioniert bis {{until}}.',
      action: 'Einladung ansehen',
      footer: 'Wenn Sie {{inviter}} nicht kennen, können Sie diese E-Mail ignorieren; ohne Sie passiert nichts.',
    },
    handoverDone: {
      subject: '„{{app}}“ gehört jetzt Ihnen',
      owned: '„{{app}}“ gehört jetzt Ihnen, über Ihre Firma „{{company}}“. Sie bezahlen ab {{day}} {{price}} im Monat.',
      admin: '{{inviter}} ist Admin von „{{company}}“ und arbeitet weiter an Ihrer Website. Auf der Seite Ihrer Firma sehen und verwalten Sie Abrechnung und Team und können {{inviter}} später entfernen.',
      action: 'Ihre Firma öffnen',
    },
    handoverInviter: {
      subject: '{{client}} hat „{{app}}“ übernommen; Sie sind jetzt Admin von „{{company}}“',
      accepted: '{{client}} hat Ihre Einladung angenommen: „{{app}}“ gehört jetzt zu „{{company}}“, die ab {{day}} dafür bezahlt.',
      admin: 'Sie sind jetzt Admin von „{{company}}“: Sie können weiter an der App arbeiten, sie skalieren und weitere Apps auf die Rechnungskontakte der Firma buchen. Die Zahlungsdaten der Firma sehen Sie nicht.',
      action: 'Firma öffnen',
    },
    handoverPrevious: {
      subject: '„{{app}}“ wurde an {{client}} übergeben',
      body: '„{{app}}“ wurde von {{inviter}} an „{{company}}“ übergeben. Ihre Firma bezahlt die App bis einschließlich {{day}}; „{{company}}“ bezahlt ab dem nächsten Tag.',
    },
    newRequested: {
      subject: '{{email}} bittet um eine neue Einladung',
      body: '{{email}} hat Ihre Einladung zu {{what}} geöffnet, aber der Link funktioniert nicht mehr, und bittet Sie um einen neuen.',
      resend: 'Einen neuen Link senden Sie in der Liste der Einladungen mit „Erneut senden“.',
      action: 'Einladungen öffnen',
    },
    declined: {
      subject: '{{email}} hat Ihre Einladung abgelehnt',
      body: '{{email}} hat Ihre Einladung zu {{what}} abgelehnt.',
    },
    teamInvitation: {
      subject: '{{inviter}} lädt Sie ein, „{{company}}“ im Dashboard beizutreten',
      body: '{{inviter}} ({{email}}) lädt Sie ein, „{{company}}“ als {{role}} beizutreten.',
      apps: 'Apps: {{apps}}',
      until: 'Dieser Link funktioniert bis {{until}}. Melden Sie sich mit dieser E-Mail-Adresse an, um anzunehmen, oder legen Sie über den Link ein Konto an.',
      action: 'Einladung ansehen',
      footer: 'Wenn Sie {{inviter}} nicht kennen, können Sie diese E-Mail ignorieren.',
      roles: {
        owner: 'Inhaber (volle Kontrolle, auch über Abrechnung und Team)',
        admin: 'Admin (arbeitet an allen Apps, bucht Apps, lädt Mitarbeiter ein)',
        collaborator: 'Mitarbeiter (arbeitet an den unten genannten Apps)',
        accountant: 'Buchhaltung (sieht Rechnungsdaten und Rechnungen)',
      },
    },
    teamJoined: {
      subject: '{{member}} ist „{{company}}“ beigetreten',
      body: '{{member}} ({{email}}) hat die Einladung angenommen und ist „{{company}}“ als {{role}} beigetreten.',
    },
    team: {
      action: 'Team ansehen',
      roleSubject: 'Rolle in „{{company}}“ geändert',
      roleOthers: '{{actor}} hat die Rolle von {{member}} in „{{company}}“ geändert: {{what}}.',
      roleAffected: '{{actor}} hat Ihre Rolle in „{{company}}“ geändert: {{what}}.',
      fromTo: 'von {{before}} zu {{after}}',
      apps: 'Apps: {{apps}}',
      appsNone: 'Apps: keine',
      removedSubject: '{{member}} wurde aus „{{company}}“ entfernt',
      removedOthers: '{{actor}} hat {{member}} ({{role}}) aus „{{company}}“ entfernt.',
      removedAffected: '{{actor}} hat Sie aus „{{company}}“ entfernt. Sie haben keinen Zugriff mehr auf ihre Apps.',
      leftSubject: '{{member}} hat „{{company}}“ verlassen',
      leftOthers: '{{member}} ({{role}}) hat „{{company}}“ verlassen.',
      leftAffected: 'Sie haben „{{company}}“ verlassen. Sie haben keinen Zugriff mehr auf ihre Apps.',
    },
  },
};
