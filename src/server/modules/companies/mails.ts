import { createTranslator } from '../../../shared/i18n/index.js';
import type { MailPrefs } from '../accounts/repo.js';
import type { OutboxMail } from '../mail/outbox.js';
import { personName } from '../invitations/wording.js';

const ROLES = ['owner', 'admin', 'collaborator', 'accountant'] as const;
const isRole = (role: string): role is (typeof ROLES)[number] => (ROLES as readonly string[]).includes(role);

/**
 * "… deleted the Company": one per member, in their language (ADR 0050, 0070). The one who
 * deleted it is named as in every other mail: her names, else her address (names are optional
 * at sign-up; without this fallback the mail began " deleted the Company").
 */
export function companyDeletedMail(m: { to: string; actor: { firstName: string; lastName: string; email: string }; company: string; role: string; apps: string[] }, prefs: MailPrefs): OutboxMail {
  const t = createTranslator(prefs.language);
  return {
    kind: 'company-deleted', to: m.to, language: prefs.language,
    subject: t('mail.companyDeleted.subject', { company: m.company }),
    paragraphs: [
      t('mail.companyDeleted.body', {
        actor: personName(m.actor, prefs.language), company: m.company, role: isRole(m.role) ? t(`rolesInSentence.${m.role}`) : m.role,
      }),
      m.apps.length ? t('mail.companyDeleted.apps', { apps: m.apps.join(', ') }) : t('mail.companyDeleted.noApps'),
      t('mail.companyDeleted.invoices'),
    ],
  };
}
