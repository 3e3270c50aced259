import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { invitee } from '../../api/endpoints';
import type { InvitationLookup } from '../../api/models';
import { LinkButton, Button } from '../../components/Button';
import { Notice } from '../../components/Feedback';
import { FormAlert, useSubmit } from '../../components/Form';
import { Page } from '../../components/Layout';
import { personName } from '../../format';
import { useSession } from '../../session';

const DEAD_STATES = ['expired', 'revoked', 'declined', 'accepted'] as const;
const isDead = (state: string): state is (typeof DEAD_STATES)[number] => (DEAD_STATES as readonly string[]).includes(state);

/**
 * A link that no longer works: who invited (when known) and "Ask for a new invitation",
 * which mails the inviter. Unknown links cannot name anyone.
 */
export function LinkProblem({ info, justDeclined, superseded }: { info: InvitationLookup | null; justDeclined?: boolean; superseded?: boolean }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const [asked, setAsked] = useState(false);
  const { busy, error, run } = useSubmit();
  const ask = () => run(async () => { await invitee.requestNew(); setAsked(true); });

  if (!info && superseded) {
    // Replaced by "Resend": the newer mail has the working link (issue 17).
    return (
      <Page title={t('client.linkProblem.supersededTitle')} width="narrow">
        <p>{t('client.linkProblem.supersededBody')}</p>
        {me ? <LinkButton to="/">{t('invitation.problem.goToDashboard')}</LinkButton> : (
          // Most clients have no account yet: "Sign in" alone would be a dead end for them (issue 17).
          <>
            <p className="hint">{t('client.linkProblem.supersededSignedOut')}</p>
            <LinkButton to="/sign-in">{t('client.linkProblem.signIn')}</LinkButton>
          </>
        )}
      </Page>
    );
  }
  if (!info) {
    return (
      <Page title={t('invitation.problem.unknownTitle')} width="narrow">
        <p>{t('invitation.problem.unknownCheck')}</p>
        <p>{t('invitation.problem.unknownAsk')}</p>
        {me ? <LinkButton to="/">{t('invitation.problem.goToDashboard')}</LinkButton> : (
          <>
            <p>{t('client.linkProblem.unknownSignedOut')}</p>
            <LinkButton to="/sign-in" variant="primary">{t('client.linkProblem.signIn')}</LinkButton>
          </>
        )}
      </Page>
    );
  }
  const inviter = personName(info.inviter);
  const what = info.kind === 'client'
    ? t('invitation.problem.whatApp', { app: info.app?.name ?? t('invitation.aWebsite') })
    : t('invitation.problem.whatCompany', { company: info.company?.name ?? t('invitation.aCompany') });
  if (info.state === 'accepted') {
    return (
      <Page title={t('invitation.problem.accepted')} width="narrow">
        <p>{t('invitation.problem.acceptedBody', { inviter, what })}</p>
        <p>{t('invitation.problem.acceptedNext', { inviter })}</p>
        {me
          ? <LinkButton to="/" variant="primary">{t('invitation.problem.goToDashboard')}</LinkButton>
          : <LinkButton to="/sign-in" variant="primary">{t('invitation.problem.signIn')}</LinkButton>}
      </Page>
    );
  }
  const title = justDeclined ? t('invitation.problem.justDeclined') : isDead(info.state) ? t(`invitation.problem.${info.state}`) : t('invitation.problem.other');
  return (
    <Page title={title} width="narrow">
      {justDeclined
        ? <p>{t('invitation.problem.declinedBody', { inviter, what })}</p>
        : <p>{t('invitation.problem.deadBody', { inviter, what })}</p>}
      {asked ? (
        <Notice tone="success" title={t('invitation.problem.requestSent')}>
          {t('invitation.problem.requestSentBody', { inviter, email: info.email })}
        </Notice>
      ) : (
        <>
          <p>{t('invitation.problem.askBody', { inviter, changedMind: justDeclined ? t('invitation.problem.changedMind') : '' })}</p>
          <FormAlert error={error} focus />
          <div className="form-actions">
            <Button variant="primary" busy={busy} onPress={() => void ask()}>{t('invitation.problem.ask')}</Button>
          </div>
        </>
      )}
    </Page>
  );
}
