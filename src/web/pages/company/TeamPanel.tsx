import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { grantOf } from '../../../server/authz/permissions';
import type { Company, Member } from '../../api/models';
import { keys, queries } from '../../api/queries';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/Dialog';
import { EmptyState, ErrorMessage, Notice } from '../../components/Feedback';
import { toApiError } from '../../components/Form';
import { Section } from '../../components/Layout';
import { QueryState } from '../../components/QueryState';
import { roleInSentence, roleLabel } from '../../permissions';
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
  const { t } = useTranslation();
  const name = memberName(member);
  return (
    <li className="item">
      <div className="item-main">
        <p className="item-title">{name}{isYou ? <span className="member-you">{t('team.you')}</span> : null}</p>
        <p className="item-meta">
          <span className={`badge badge-role-${member.role}`}>{roleLabel(member.role)}</span>
          {name !== member.email ? <span>{member.email}</span> : null}
          {member.role === 'collaborator' ? <span>{member.appNames?.length ? t('team.apps', { apps: member.appNames.join(', ') }) : t('team.appsNone')}</span> : null}
        </p>
      </div>
      {canChange || removable ? (
        <div className="team-actions">
          {canChange ? <Button onPress={onChangeRole} aria-label={t('team.changeRoleOf', { name })}>{t('team.changeRole')}</Button> : null}
          {removable ? <Button variant="quiet" onPress={onRemove} aria-label={t('team.removeLabel', { name })}>{t('team.remove')}</Button> : null}
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

  const { t } = useTranslation();
  const owners = members?.filter((m) => m.role === 'owner').length ?? 0;
  const say = (text: string) => setNotice(text);
  return (
    <Section title={t('team.title')} id="team"
      actions={mayEdit ? <Button variant="primary" onPress={() => { setNotice(''); setInviting(true); }}>{t('team.invite')}</Button> : null}>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <QueryState query={membersQuery}>{(list) => list.length === 0 ? (
        <EmptyState title={t('team.emptyTitle')}>{t('team.empty')}</EmptyState>
      ) : (
        <ul className="item-list" aria-label={t('team.label')}>
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
        <p className="hint">{t('team.onlyYou')}</p>
      ) : null}
      {seesInvitations ? <InvitationList company={company} items={invitations} onChanged={load} onNotice={say} /> : null}

      {mayEdit ? (
        <InviteDialog company={company} appNames={appNames} isOpen={inviting} onClose={() => setInviting(false)}
          onSent={(sent) => { say(t('team.sent', { email: sent.email, role: roleInSentence(sent.role), expires: expiresIn(sent.expiresAt) })); void load(); }} />
      ) : null}
      <ChangeRoleDialog key={changing?.accountId ?? ''} company={company} member={changing} roles={changing ? assignableRoles(company.role, me?.id, changing) : []}
        appNames={appNames} onClose={() => setChanging(null)}
        onChanged={(m) => { say(t('team.changed', { name: memberName(m), role: roleInSentence(m.role) })); void load(); }} />
      <ConfirmDialog isOpen={removing !== null} onClose={() => setRemoving(null)} confirmLabel={t('team.removeConfirm')}
        title={removing ? t('team.removeTitle', { name: memberName(removing), company: company.name }) : ''}
        onConfirm={async () => {
          if (!removing) return;
          await team.remove(company.id, removing.accountId);
          say(t('team.removed', { name: memberName(removing), company: company.name }));
          await load();
        }}>
        {removing ? (
          <ul className="plain-list">
            <li>{t('team.removeAccess', { name: memberName(removing), company: company.name })}</li>
            <li>{t('team.removeAccount')}</li>
            <li>{t('team.removeAgain')}</li>
          </ul>
        ) : null}
      </ConfirmDialog>
    </Section>
  );
}
