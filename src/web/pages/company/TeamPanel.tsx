import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { grantOf } from '../../../server/authz/permissions';
import type { Company, Member } from '../../api/models';
import { keys, queries } from '../../api/queries';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/Dialog';
import { EmptyState, ErrorMessage, Notice } from '../../components/Feedback';
import { toApiError } from '../../components/Form';
import { Section } from '../../components/Layout';
import { QueryState } from '../../components/QueryState';
import { roleLabel } from '../../permissions';
import { useSession } from '../../session';
import { expiresIn } from '../../format';
import { team } from '../../api/endpoints';
import { ChangeRoleDialog } from './ChangeRoleDialog';
import { InvitationList } from './InvitationList';
import { InviteDialog } from './InviteDialog';
import { assignableRoles, canRemove, invitableRoles, memberName } from './roles';
import '../invitation/invitation.css';
import './team.css';

function MemberItem({ member, isYou, canChange, removable, onChangeRole, onRemove }: {
  member: Member; isYou: boolean; canChange: boolean; removable: boolean; onChangeRole: () => void; onRemove: () => void;
}) {
  const name = memberName(member);
  return (
    <li className="item">
      <div className="item-main">
        <p className="item-title">{name}{isYou ? <span className="member-you"> (you)</span> : null}</p>
        <p className="item-meta">
          <span className={`badge badge-role-${member.role}`}>{roleLabel(member.role)}</span>
          {name !== member.email ? <span>{member.email}</span> : null}
          {member.role === 'collaborator' ? <span>Apps: {member.appNames?.length ? member.appNames.join(', ') : 'none'}</span> : null}
        </p>
      </div>
      {canChange || removable ? (
        <div className="team-actions">
          {canChange ? <Button onPress={onChangeRole} aria-label={`Change the role of ${name}`}>Change role</Button> : null}
          {removable ? <Button variant="quiet" onPress={onRemove} aria-label={`Remove ${name} from the Company`}>Remove</Button> : null}
        </div>
      ) : null}
    </li>
  );
}

/**
 * The Company's team (SPEC 3, 4.3, 4.6): members with their roles, and for those who may,
 * changing roles, removing members, inviting, and the invitations with resend and revoke.
 * Every button follows the permission matrix; the server checks each action again.
 */
export function TeamPanel({ company }: { company: Company }) {
  const { me } = useSession();
  const client = useQueryClient();
  const [notice, setNotice] = useState('');
  const [inviting, setInviting] = useState(false);
  const [changing, setChanging] = useState<Member | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);

  const seesInvitations = grantOf(company.role, 'company.view') !== 'members-only';
  const roles = invitableRoles(company.role);
  const mayEdit = roles.length > 0;

  const membersQuery = useQuery(queries.members(company.id));
  const invitationsQuery = useQuery({ ...queries.teamInvitations(company.id), enabled: seesInvitations });
  const appNames = useQuery({ ...queries.companyAppNames(company.id), enabled: mayEdit }).data ?? null;
  const members = membersQuery.data ?? null;
  const invitations = invitationsQuery.data?.items ?? [];
  // After a change: the team, its invitations and the activity log are read again.
  const load = async () => {
    await Promise.all([keys.members(company.id), keys.teamInvitations(company.id), keys.activity(company.id)]
      .map((queryKey) => client.invalidateQueries({ queryKey })));
  };

  const owners = members?.filter((m) => m.role === 'owner').length ?? 0;
  const say = (text: string) => setNotice(text);
  return (
    <Section title="Members" id="team"
      actions={mayEdit ? <Button variant="primary" onPress={() => { setNotice(''); setInviting(true); }}>Invite someone</Button> : null}>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <QueryState query={membersQuery}>{(list) => list.length === 0 ? (
        <EmptyState title="Nobody to show yet">People who work on the same Apps as you appear here.</EmptyState>
      ) : (
        <ul className="item-list" aria-label="Members">
          {list.map((m) => (
            <MemberItem key={m.accountId} member={m} isYou={m.accountId === me?.id}
              canChange={assignableRoles(company.role, me?.id, m).length > 0}
              removable={canRemove(company.role, me?.id, m, owners)}
              onChangeRole={() => { setNotice(''); setChanging(m); }} onRemove={() => { setNotice(''); setRemoving(m); }} />
          ))}
        </ul>
      )}</QueryState>
      {invitationsQuery.isError ? <ErrorMessage>{toApiError(invitationsQuery.error).detail}</ErrorMessage> : null}
      {members && mayEdit && members.length === 1 && !invitations.some((i) => i.state === 'pending') ? (
        <p className="hint">You are the only member. Invite the people you work with: choose “Invite someone” and their role.</p>
      ) : null}
      {seesInvitations ? <InvitationList company={company} items={invitations} onChanged={load} onNotice={say} /> : null}

      {mayEdit ? (
        <InviteDialog company={company} appNames={appNames} isOpen={inviting} onClose={() => setInviting(false)}
          onSent={(sent) => { say(`Invitation sent to ${sent.email} as ${roleLabel(sent.role).toLowerCase()}. The link ${expiresIn(sent.expiresAt)}.`); void load(); }} />
      ) : null}
      <ChangeRoleDialog key={changing?.accountId ?? ''} company={company} member={changing} roles={changing ? assignableRoles(company.role, me?.id, changing) : []}
        appNames={appNames} onClose={() => setChanging(null)}
        onChanged={(m) => { say(`${memberName(m)} is now ${roleLabel(m.role).toLowerCase()}.`); void load(); }} />
      <ConfirmDialog isOpen={removing !== null} onClose={() => setRemoving(null)} confirmLabel="Remove from company"
        title={removing ? `Remove ${memberName(removing)} from ${company.name}?` : ''}
        onConfirm={async () => {
          if (!removing) return;
          await team.remove(company.id, removing.accountId);
          say(`${memberName(removing)} was removed from ${company.name}.`);
          await load();
        }}>
        {removing ? (
          <ul className="plain-list">
            <li>{memberName(removing)} loses access to {company.name} and all its Apps at once, including code access.</li>
            <li>Their own account stays; they get an e-mail that you removed them.</li>
            <li>You can invite them again later.</li>
          </ul>
        ) : null}
      </ConfirmDialog>
    </Section>
  );
}
