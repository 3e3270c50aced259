import { createTranslator, type Language } from '../../../shared/i18n/index.js';
import type { OutboxMail } from '../mail/outbox.js';
import { formatMoment } from '../invitations/wording.js';
import type { MailPrefs } from './repo.js';

/**
 * The identity mails (verification, password reset, sign-up with a known address, new
 * browser, paused sign-in) in the recipient's language, from the shared catalogue (`mail.*`,
 * ADR 0050); times in the recipient's zone with its name (ADR 0070).
 */
function hello(language: Language, name: string | null | undefined): string {
  const t = createTranslator(language);
  return name ? t('mail.helloNamed', { name }) : t('mail.hello');
}

export function verifyEmailMail(to: string, name: string, url: string, prefs: MailPrefs): OutboxMail {
  const t = createTranslator(prefs.language);
  return {
    kind: 'verify-email', to, language: prefs.language,
    subject: t('mail.verifyEmail.subject'),
    paragraphs: [hello(prefs.language, name), t('mail.verifyEmail.body')],
    action: { label: t('mail.verifyEmail.action'), url },
    footer: t('mail.verifyEmail.footer'),
  };
}

export function resetPasswordMail(to: string, name: string, url: string, prefs: MailPrefs): OutboxMail {
  const t = createTranslator(prefs.language);
  return {
    kind: 'reset-password', to, language: prefs.language,
    subject: t('mail.resetPassword.subject'),
    paragraphs: [hello(prefs.language, name), t('mail.resetPassword.body')],
    action: { label: t('mail.resetPassword.action'), url },
    footer: t('mail.resetPassword.footer'),
  };
}

export function signUpExistingMail(to: string, url: string, prefs: MailPrefs): OutboxMail {
  const t = createTranslator(prefs.language);
  return {
    kind: 'sign-up-existing', to, language: prefs.language,
    subject: t('mail.signUpExisting.subject'),
    paragraphs: [t('mail.signUpExisting.body'), t('mail.signUpExisting.hint')],
    action: { label: t('mail.signUpExisting.action'), url },
  };
}

export function newDeviceMail(m: { to: string; name: string; device: string; ip: string | null; at: Date; url: string }, prefs: MailPrefs): OutboxMail {
  const t = createTranslator(prefs.language);
  return {
    kind: 'new-device-sign-in', to: m.to, language: prefs.language,
    subject: t('mail.newDevice.subject'),
    paragraphs: [
      hello(prefs.language, m.name),
      t('mail.newDevice.body', { device: m.device, ip: m.ip ?? t('mail.newDevice.unknownIp'), moment: formatMoment(m.at, prefs.language, prefs.timeZone) }),
      t('mail.newDevice.hint'),
    ],
    action: { label: t('mail.newDevice.action'), url: m.url },
    footer: t('mail.newDevice.footer'),
  };
}

export function lockedMail(m: { to: string; name: string; minutes: number; url: string }, prefs: MailPrefs): OutboxMail {
  const t = createTranslator(prefs.language);
  return {
    kind: 'sign-in-locked', to: m.to, language: prefs.language,
    subject: t('mail.locked.subject'),
    paragraphs: [hello(prefs.language, m.name), t('mail.locked.body', { minutes: m.minutes }), t('mail.locked.hint')],
    action: { label: t('mail.locked.action'), url: m.url },
  };
}
