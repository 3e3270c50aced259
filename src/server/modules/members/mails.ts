import type { Config } from '../../config.js';
import { builderOf, type WriteTarget } from '../../db/writeBatch.js';
import { createTranslator, type Language } from '../../../shared/i18n/index.js';
import { accountsRepo } from '../accounts/repo.js';
import { personName } from '../invitations/wording.js';
import { enqueueMail } from '../mail/outbox.js';

type Person = { firstName: string; lastName: string; email: string };

/** What happened to the team; the words come from the shared catalogue (`mail.team.*`). */
export type TeamChange =
  | { kind: 'role'; actor: Person; member: Person; before: string; after: string; appNames: string[] }
  | { kind: 'removed'; actor: Person; member: Person; role: string }
  | { kind: 'left'; member: Person; role: string };

const ROLES = ['owner', 'admin', 'collaborator', 'accountant'] as const;

function words(change: TeamChange, company: string, language: Language) {
  const t = createTranslator(language);
  const role = (r: string) => ((ROLES as readonly string[]).includes(r) ? t(`rolesInSentence.${r as (typeof ROLES)[number]}`) : r);
  const member = personName(change.member, language);
  if (change.kind === 'left') {
    return {
      subject: t('mail.team.leftSubject', { member, company }),
      toOthers: t('mail.team.leftOthers', { member, role: role(change.role), company }),
      toAffected: t('mail.team.leftAffected', { company }),
    };
  }
  const actor = personName(change.actor, language);
  if (change.kind === 'removed') {
    return {
      subject: t('mail.team.removedSubject', { member, company }),
      toOthers: t('mail.team.removedOthers', { actor, member, role: role(change.role), company }),
      toAffected: t('mail.team.removedAffected', { actor, company }),
    };
  }
  const what = change.before !== change.after
    ? t('mail.team.fromTo', { before: role(change.before), after: role(change.after) })
    : change.appNames.length ? t('mail.team.apps', { apps: change.appNames.join(', ') }) : t('mail.team.appsNone');
  return {
    subject: t('mail.team.roleSubject', { company }),
    toOthers: t('mail.team.roleOthers', { actor, member, company, what }),
    toAffected: t('mail.team.roleAffected', { actor, company, what }),
  };
}

/**
 * Leaving, dismissing and role changes are told to all owners, the actor and the person
 * affected (SPEC 4.3), once each, each in their Account's language (ADR 0050, 0070; one query for
 * all of them), or all in `language` when the caller gives one.
 */
export async function mailTeamChange(tx: WriteTarget, config: Config, at: Date, m: {
  recipients: string[]; affectedEmail: string; companyName: string; companyId: string | null; change: TeamChange; language?: Language;
}) {
  const recipients = [...new Set(m.recipients)];
  const prefsOf = m.language ? null : await accountsRepo.mailPrefsFor(builderOf(tx), recipients);
  for (const to of recipients) {
    const language = m.language ?? prefsOf!(to).language;
    const text = words(m.change, m.companyName, language);
    const affected = to === m.affectedEmail;
    await enqueueMail(tx, {
      kind: 'team-change', to, subject: text.subject, language,
      paragraphs: [affected ? text.toAffected : text.toOthers],
      ...(m.companyId && !affected ? { action: { label: createTranslator(language)('mail.team.action'), url: `${config.publicUrl}/companies/${m.companyId}` } } : {}),
    }, at);
  }
}
