import { useState } from 'react';
import type { Company, Role } from '../../api/models';
import { Button } from '../../components/Button';
import { RadioGroup, TextField } from '../../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../../components/Form';
import { roleLabel } from '../../permissions';
import { team } from '../../api/endpoints';
import type { TeamInvitation } from '../../api/models';
import { AppChecklist } from './AppChecklist';
import { FormDialog } from './FormDialog';
import { invitableRoles, ROLE_HINT } from './roles';

/**
 * "Invite someone" (SPEC 4.6): e-mail, role (only those the viewer may invite, each
 * explained), and for collaborators the Apps they work on.
 */
export function InviteDialog({ company, appNames, isOpen, onClose, onSent }: {
  company: Company; appNames: string[] | null; isOpen: boolean; onClose: () => void; onSent: (invitation: TeamInvitation) => void;
}) {
  const roles = invitableRoles(company.role);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>(roles.includes('admin') ? 'admin' : roles[0]);
  const [apps, setApps] = useState<string[]>([]);
  const { busy, error, setError, run, fieldError } = useSubmit();
  const close = () => { setError(null); onClose(); };

  const submit = () => run(async () => {
    const problems = [];
    if (!email.trim()) problems.push({ path: 'email', message: 'Enter the e-mail address of the person you invite.' });
    if (role === 'collaborator' && apps.length === 0) problems.push({ path: 'appNames', message: 'Tick at least one App the collaborator will work on.' });
    if (problems.length) throw invalid(problems);
    const sent = await team.invite(company.id, { email: email.trim(), role, ...(role === 'collaborator' ? { appNames: apps } : {}) });
    setEmail(''); setApps([]);
    onSent(sent);
    onClose();
  });

  return (
    <FormDialog isOpen={isOpen} onClose={close} title={`Invite someone to ${company.name}`} wide>
      <Form onSubmit={submit} error={error} busy={busy} label="Invite someone">
        <TextField label="E-mail address" name="email" type="email" autoComplete="off" value={email} onChange={setEmail} isRequired
          error={fieldError('email')} description="We e-mail them a link to join. Only this address can accept it." />
        <RadioGroup legend="Role" name="role" value={role} onChange={(v) => setRole(v as Role)} error={fieldError('role')}
          options={roles.map((r) => ({ value: r, label: roleLabel(r), hint: ROLE_HINT[r] }))}
          description={company.role === 'admin' ? 'As an admin you can invite admins and collaborators.' : undefined} />
        {role === 'collaborator' ? (
          <AppChecklist appNames={appNames} value={apps} onChange={setApps} error={fieldError('appNames')} />
        ) : null}
        <FormActions>
          <Button type="submit" variant="primary" busy={busy}>Send invitation</Button>
          <Button onPress={close}>Cancel</Button>
        </FormActions>
      </Form>
    </FormDialog>
  );
}
