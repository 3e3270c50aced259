import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Company, Member, Role } from '../../api/models';
import { Button } from '../../components/Button';
import { RadioGroup } from '../../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../../components/Form';
import { roleHint, roleInSentence, roleLabel } from '../../permissions';
import { team } from '../../api/endpoints';
import { AppChecklist } from './AppChecklist';
import { FormDialog } from './FormDialog';
import { memberName } from './roles';

/** "Change role" for one member: the roles the viewer may give, and the App checklist for collaborators. */
export function ChangeRoleDialog({ company, member, roles, appNames, onClose, onChanged }: {
  company: Company; member: Member | null; roles: Role[]; appNames: string[] | null;
  onClose: () => void; onChanged: (member: Member) => void;
}) {
  const [role, setRole] = useState<Role>(member?.role ?? 'admin');
  const [apps, setApps] = useState<string[]>(member?.appNames ?? []);
  // The parent gives each member's dialog its own key, so this state starts from that member.
  const { busy, error, run, fieldError } = useSubmit();

  const { t } = useTranslation();
  const name = member ? memberName(member) : '';
  const unchanged = member !== null && role === member.role && (role !== 'collaborator' || apps.join() === (member.appNames ?? []).join());
  const submit = () => run(async () => {
    if (!member) return;
    if (role === 'collaborator' && apps.length === 0) throw invalid([{ path: 'appNames', message: t('team.tickOne') }]);
    const changed = await team.changeRole(company.id, member.accountId, { role, ...(role === 'collaborator' ? { appNames: apps } : {}) });
    onChanged(changed);
    onClose();
  });

  return (
    <FormDialog isOpen={member !== null} onClose={onClose} title={t('team.changeRoleOf', { name })} wide focusSelector="input:checked">
      <Form onSubmit={submit} error={error} busy={busy} label={t('team.changeForm')}>
        <p>{t('team.currentRole', { name, role: member ? roleInSentence(member.role) : '', company: company.name })}</p>
        <RadioGroup legend={t('team.newRole')} name="role" value={role} onChange={(v) => setRole(v as Role)} error={fieldError('role')}
          options={roles.map((r) => ({ value: r, label: roleLabel(r), hint: roleHint(r) }))}
          description={company.role === 'admin' ? t('team.adminChanges') : undefined} />
        {role === 'collaborator' ? <AppChecklist appNames={appNames} value={apps} onChange={setApps} error={fieldError('appNames')} /> : null}
        <FormActions>
          <Button type="submit" variant="primary" busy={busy} isDisabled={unchanged}>{t('team.saveRole')}</Button>
          <Button onPress={onClose}>{t('team.cancel')}</Button>
        </FormActions>
      </Form>
    </FormDialog>
  );
}
