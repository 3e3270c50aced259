import { useState } from 'react';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/Dialog';
import { FormAlert, useSubmit } from '../../components/Form';
import { Page, Section } from '../../components/Layout';
import { roleLabel } from '../../permissions';
import { navigate } from '../../router';
import { useSession } from '../../session';
import { invitee } from '../../api/endpoints';
import { personName } from '../../format';
import type { InvitationLookup } from '../../api/models';
import { Identity, WrongAccount } from './Identity';
import { signedInAsInvited, untilText } from './shared';

const ROLE_TEXT: Record<string, string> = {
  owner: 'Owners decide everything, including billing and who belongs to the company.',
  admin: 'Admins work on all the company’s websites and invite others. They never see payment details.',
  collaborator: 'Collaborators work on the websites assigned to them.',
  accountant: 'Accountants see and manage billing details and invoices.',
};

/** A team invitation on the same page: company and role, sign in or up, then one "Join" button. */
export function TeamInvitation({ info, onDeclined }: { info: InvitationLookup; onDeclined: () => void }) {
  const { me, refresh } = useSession();
  const [declining, setDeclining] = useState(false);
  const { busy, error, run } = useSubmit();
  const inviter = personName(info.inviter);
  const company = info.company?.name ?? 'the company';
  const role = roleLabel(info.role ?? '');
  const join = () => run(async () => {
    const result = await invitee.accept({});
    await refresh();
    navigate(`/companies/${encodeURIComponent(result.company.id)}`, { flash: `You joined ${result.company.name} as ${role.toLowerCase()}.` });
  });
  return (
    <Page title={`${inviter} invites you to join ${company}`} width="narrow" lead={`You would join as ${role.toLowerCase()}. ${ROLE_TEXT[info.role ?? ''] ?? ''}`}>
      {info.appNames?.length ? (
        <Section title="Websites you will work on">
          <ul className="plain-list">{info.appNames.map((n) => <li key={n}><strong>{n}</strong></li>)}</ul>
        </Section>
      ) : null}
      <p className="hint">This invitation is for <strong>{info.email}</strong> and works until {untilText(info.expiresAt)}.</p>
      {signedInAsInvited(me, info) ? (
        <>
          <FormAlert error={error} focus />
          <div className="form-actions offer-actions">
            <Button variant="primary" busy={busy} onPress={() => void join()}>Join {company}</Button>
            <Button onPress={() => setDeclining(true)}>Decline</Button>
          </div>
        </>
      ) : me ? <WrongAccount info={info} signedInAs={me.email} /> : me === null ? (
        <Section title="Who are you?">
          <Identity info={info} onSignedIn={() => undefined} />
          <div className="form-actions decline-row">
            <Button variant="quiet" onPress={() => setDeclining(true)}>Decline the invitation</Button>
          </div>
        </Section>
      ) : null}
      <ConfirmDialog isOpen={declining} onClose={() => setDeclining(false)} title="Decline this invitation?" confirmLabel="Decline"
        onConfirm={async () => { await invitee.decline(); onDeclined(); }}>
        <p>{inviter} will be told that you said no. The link stops working.</p>
      </ConfirmDialog>
    </Page>
  );
}
