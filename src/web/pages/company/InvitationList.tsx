import { useState } from 'react';
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

const STATE_LABEL: Record<string, string> = { pending: 'Waiting for an answer', expired: 'Expired', declined: 'Declined', revoked: 'Revoked' };
const STATE_BADGE: Record<string, string> = { pending: 'badge-trial', expired: 'badge-suspended' };

function InvitationItem({ company, invitation, onChanged, onNotice }: {
  company: Company; invitation: TeamInvitation; onChanged: () => Promise<void>; onNotice: (text: string) => void;
}) {
  const [revoking, setRevoking] = useState(false);
  const { busy, error, run } = useSubmit();
  const open = invitation.state === 'pending' || invitation.state === 'expired';
  const manage = open && canManageInvitation(company.role, invitation.role);
  const left = expiresIn(invitation.expiresAt);
  const resend = () => run(async () => {
    const next = await team.resend(company.id, invitation.id);
    await onChanged();
    onNotice(`A new link was sent to ${next.email}. It ${expiresIn(next.expiresAt)}; the previous link no longer works.`);
  });
  return (
    <li className="item">
      <div className="item-main">
        <p className="item-title">{invitation.email}</p>
        <p className="item-meta">
          <span className="badge">{roleLabel(invitation.role)}</span>
          <span className={`badge ${STATE_BADGE[invitation.state] ?? ''}`}>{STATE_LABEL[invitation.state] ?? invitation.state}</span>
          {invitation.state === 'pending' ? <span title={formatDateTime(invitation.expiresAt)}>Link {left}</span> : null}
          {invitation.state === 'expired' ? <span>Expired {formatDateTime(invitation.expiresAt)}</span> : null}
          {invitation.appNames?.length ? <span>Apps: {invitation.appNames.join(', ')}</span> : null}
          <span>Invited by {personName(invitation.invitedBy)}</span>
        </p>
        {error ? <ErrorMessage>{error.detail}</ErrorMessage> : null}
      </div>
      {manage ? (
        <div className="team-actions">
          <Button onPress={() => void resend()} busy={busy} aria-label={`Resend the invitation to ${invitation.email}`}>Resend</Button>
          <Button variant="quiet" onPress={() => setRevoking(true)} aria-label={`Revoke the invitation to ${invitation.email}`}>Revoke</Button>
        </div>
      ) : null}
      <ConfirmDialog isOpen={revoking} onClose={() => setRevoking(false)} title="Revoke this invitation?" confirmLabel="Revoke invitation"
        onConfirm={async () => {
          await team.revoke(company.id, invitation.id);
          await onChanged();
          onNotice(`The invitation to ${invitation.email} is revoked. Its link no longer works.`);
        }}>
        <p>The link sent to <strong>{invitation.email}</strong> stops working at once. You can invite them again later.</p>
      </ConfirmDialog>
    </li>
  );
}

/** Open, expired and declined team invitations (revoked ones were the team's own doing and are left out). */
export function InvitationList({ company, items, onChanged, onNotice }: {
  company: Company; items: TeamInvitation[]; onChanged: () => Promise<void>; onNotice: (text: string) => void;
}) {
  const shown = items.filter((i) => i.state === 'pending' || i.state === 'expired' || i.state === 'declined');
  if (!shown.length) return null;
  return (
    <>
      <h3 className="subheading" id="team-invitations-heading">Invitations</h3>
      <ul className="item-list" aria-labelledby="team-invitations-heading">
        {shown.map((invitation) => (
          <InvitationItem key={invitation.id} company={company} invitation={invitation} onChanged={onChanged} onNotice={onNotice} />
        ))}
      </ul>
    </>
  );
}
