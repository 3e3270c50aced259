import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Company, Role } from '../../api/models';
import { Button } from '../../components/Button';
import { RadioGroup, TextField } from '../../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../../components/Form';
import { roleHint, roleLabel } from '../../permissions';
import { team } from '../../api/endpoints';
import type { TeamInvitation } from '../../api/models';
import { AppChecklist } from './AppChecklist';
import { FormDialog } from './FormDialog';
import { invitableRoles } from './roles';

/**
 * "Invite someone" (SPEC 4.6): e-mail, role (only those the viewer may invite, each
 * explained), and for collaborators the Apps they work on.
 */
export function InviteDialog({ company, appNames, isOpen, onClose, onSent }: {
  company: Company; appNames: string[] | null; isOpen: boolean; onClose: () => void; onSent: (invitation: TeamInvitation) => void;
}) {
  const { t } = useTranslation();
  const roles = invitableRoles(company.role);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>(roles.includes('admin') ? 'admin' : roles[0]);
  const [apps, setApps] = useState<string[]>([]);
  const { busy, error, setError, run, fieldError } = useSubmit();
  const close = () => { setError(null); onClose(); };

  const submit = () => run(async () => {
    const problems = [];
    if (!email.trim()) problems.push({ path: 'email', message: t('team.missingEmail') });
    if (role === 'collaborator' && apps.length === 0) problems.push({ path: 'appNames', message: t('team.missingApps') });
    if (problems.length) throw invalid(problems);
    const sent = await team.invite(company.id, { email: email.trim(), role, ...(role === 'collaborator' ? { appNames: apps } : {}) });
    setEmail(''); setApps([]);
    onSent(sent);
    onClose();
  });

  return (
    <FormDialog isOpen={isOpen} onClose={close} title={t('team.inviteTitle', { company: company.name })} wide>
      <Form onSubmit={submit} error={error} busy={busy} label={t('team.inviteForm')}>
        <TextField label={t('team.email')} name="email" type="email" autoComplete="off" value={email} onChange={setEmail} isRequired
          error={fieldError('email')} description={t('team.emailHint')} />
        <RadioGroup legend={t('team.role')} name="role" value={role} onChange={(v) => setRole(v as Role)} error={fieldError('role')}
          options={roles.map((r) => ({ value: r, label: roleLabel(r), hint: roleHint(r) }))}
          description={company.role === 'admin' ? t('team.adminInvites') : undefined} />
        {role === 'collaborator' ? (
          <AppChecklist appNames={appNames} value={apps} onChange={setApps} error={fieldError('appNames')} />
        ) : null}
        <FormActions>
          <Button type="submit" variant="primary" busy={busy}>{t('team.sendInvitation')}</Button>
          <Button onPress={close}>{t('team.cancel')}</Button>
        </FormActions>
      </Form>
    </FormDialog>
  );
}
