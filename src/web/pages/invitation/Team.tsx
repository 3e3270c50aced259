import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { invitee } from '../../api/endpoints';
import type { InvitationLookup, Role } from '../../api/models';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/Dialog';
import { FormAlert, useSubmit } from '../../components/Form';
import { Page, Section } from '../../components/Layout';
import { personName } from '../../format';
import { useFormat } from '../../i18n';
import { navigate } from '../../router';
import { useSession } from '../../session';
import { Identity, WrongAccount } from './Identity';
import { signedInAsInvited } from './shared';

const ROLES: readonly Role[] = ['owner', 'admin', 'collaborator', 'accountant'];
const isRole = (value: string | undefined): value is Role => ROLES.includes(value as Role);

/** A team invitation on the same page: company and role, sign in or up, then one "Join" button. */
export function TeamInvitation({ info, onDeclined }: { info: InvitationLookup; onDeclined: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { me, refresh } = useSession();
  const [declining, setDeclining] = useState(false);
  const { busy, error, run } = useSubmit();
  const inviter = personName(info.inviter);
  const company = info.company?.name ?? t('invitation.theCompany');
  const role = isRole(info.role) ? t(`rolesInSentence.${info.role}`) : info.role ?? '';
  const roleText = isRole(info.role) ? t(`invitation.team.roleText.${info.role}`) : '';
  const join = () => run(async () => {
    const result = await invitee.accept({});
    await refresh();
    navigate(`/companies/${encodeURIComponent(result.company.id)}`, { flash: t('invitation.team.joined', { company: result.company.name, role }) });
  });
  return (
    <Page title={t('invitation.team.title', { inviter, company })} width="narrow" lead={t('invitation.team.lead', { role, roleText })}>
      {info.appNames?.length ? (
        <Section title={t('invitation.team.websites')}>
          <ul className="plain-list">{info.appNames.map((n) => <li key={n}><strong>{n}</strong></li>)}</ul>
        </Section>
      ) : null}
      <p className="hint"><Trans i18nKey="invitation.validFor" values={{ email: info.email, until: f.longDateTime(info.expiresAt) }} components={{ strong: <strong /> }} /></p>
      {signedInAsInvited(me, info) ? (
        <>
          <FormAlert error={error} focus />
          <div className="form-actions offer-actions">
            <Button variant="primary" busy={busy} onPress={() => void join()}>{t('invitation.team.join', { company })}</Button>
            <Button onPress={() => setDeclining(true)}>{t('invitation.decline')}</Button>
          </div>
        </>
      ) : me ? <WrongAccount info={info} signedInAs={me.email} /> : me === null ? (
        <Section title={t('invitation.team.whoAreYou')}>
          <Identity info={info} onSignedIn={() => undefined} />
          <div className="form-actions decline-row">
            <Button variant="quiet" onPress={() => setDeclining(true)}>{t('invitation.team.declineLink')}</Button>
          </div>
        </Section>
      ) : null}
      <ConfirmDialog isOpen={declining} onClose={() => setDeclining(false)} title={t('invitation.declineTitle')} confirmLabel={t('invitation.decline')}
        onConfirm={async () => { await invitee.decline(); onDeclined(); }}>
        <p>{t('invitation.declineBodyTeam', { inviter })}</p>
      </ConfirmDialog>
    </Page>
  );
}
