import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { i18n } from '../../i18n';
import type { Company } from '../../api/models';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/Feedback';
import { useSubmit } from '../../components/Form';
import { formatDateTime } from '../../format';
import { roleLabel } from '../../permissions';
import { expiresIn, personName } from '../../format';
import { team } from '../../api/endpoints';
import type { TeamInvitation } from '../../api/models';
import { canManageInvitation } from './roles';

const STATES = ['pending', 'expired', 'declined', 'revoked', 'accepted'] as const;
const stateLabel = (state: string) => (STATES as readonly string[]).includes(state) ? i18n.t(`team.states.${state as (typeof STATES)[number]}`) : state;
const STATE_BADGE: Record<string, string> = { pending: 'badge-trial', expired: 'badge-suspended' };

function InvitationItem({ company, invitation, onChanged, onNotice }: {
  company: Company; invitation: TeamInvitation; onChanged: () => Promise<void>; onNotice: (text: string) => void;
}) {
  const { t } = useTranslation();
  const [revoking, setRevoking] = useState(false);
  const { busy, error, run } = useSubmit();
  const open = invitation.state === 'pending' || invitation.state === 'expired';
  const manage = open && canManageInvitation(company.role, invitation.role);
  const left = expiresIn(invitation.expiresAt);
  const resend = () => run(async () => {
    const next = await team.resend(company.id, invitation.id);
    await onChanged();
    onNotice(t('team.resent', { email: next.email, expires: expiresIn(next.expiresAt) }));
  });
  return (
    <li className="item">
      <div className="item-main">
        <p className="item-title">{invitation.email}</p>
        <p className="item-meta">
          <span className="badge">{roleLabel(invitation.role)}</span>
          <span className={`badge ${STATE_BADGE[invitation.state] ?? ''}`}>{stateLabel(invitation.state)}</span>
          {invitation.state === 'pending' ? <span title={formatDateTime(invitation.expiresAt)}>{t('team.link', { expires: left })}</span> : null}
          {invitation.state === 'expired' ? <span>{t('team.expiredAt', { at: formatDateTime(invitation.expiresAt) })}</span> : null}
          {invitation.appNames?.length ? <span>{t('team.apps', { apps: invitation.appNames.join(', ') })}</span> : null}
          <span>{t('team.invitedBy', { name: personName(invitation.invitedBy) })}</span>
        </p>
        {error ? <ErrorMessage>{error.detail}</ErrorMessage> : null}
      </div>
      {manage ? (
        <div className="team-actions">
          <Button onPress={() => void resend()} busy={busy} aria-label={t('team.resendLabel', { email: invitation.email })}>{t('team.resend')}</Button>
          <Button variant="quiet" onPress={() => setRevoking(true)} aria-label={t('team.revokeLabel', { email: invitation.email })}>{t('team.revoke')}</Button>
        </div>
      ) : null}
      <ConfirmDialog isOpen={revoking} onClose={() => setRevoking(false)} title={t('team.revokeTitle')} confirmLabel={t('team.revokeConfirm')}
        onConfirm={async () => {
          await team.revoke(company.id, invitation.id);
          await onChanged();
          onNotice(t('team.revoked', { email: invitation.email }));
        }}>
        <p><Trans i18nKey="team.revokeBody" values={{ email: invitation.email }} components={{ strong: <strong /> }} /></p>
      </ConfirmDialog>
    </li>
  );
}

/** Open, expired and declined team invitations (revoked ones were the team's own doing and are left out). */
export function InvitationList({ company, items, onChanged, onNotice }: {
  company: Company; items: TeamInvitation[]; onChanged: () => Promise<void>; onNotice: (text: string) => void;
}) {
  const { t } = useTranslation();
  const shown = items.filter((i) => i.state === 'pending' || i.state === 'expired' || i.state === 'declined');
  if (!shown.length) return null;
  return (
    <>
      <h3 className="subheading" id="team-invitations-heading">{t('team.invitations')}</h3>
      <ul className="item-list" aria-labelledby="team-invitations-heading">
        {shown.map((invitation) => (
          <InvitationItem key={invitation.id} company={company} invitation={invitation} onChanged={onChanged} onNotice={onNotice} />
        ))}
      </ul>
    </>
  );
}
