import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Company } from '../../api/models';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/Feedback';
import { useSubmit } from '../../components/Form';
import { Section } from '../../components/Layout';
import { can } from '../../permissions';
import { navigate } from '../../router';
import { team } from '../../api/endpoints';
import { keys, queries } from '../../api/queries';
import { InfoDialog } from './FormDialog';
import './team.css';

/**
 * "Leave company" (SPEC 4.3): a confirmation that names the consequences and asks for the
 * Company's name. The last owner cannot leave: before the dialog opens, an owner's team is
 * read afresh, and a sole owner is told how to hand the Company on instead.
 */
export function LeaveCompany({ company }: { company: Company }) {
  const [open, setOpen] = useState<'confirm' | 'last-owner' | null>(null);
  const { t } = useTranslation();
  const check = useSubmit();
  const client = useQueryClient();
  if (!can(company.role, 'company.leave')) return null;
  const owner = company.role === 'owner';

  const start = () => check.run(async () => {
    if (owner) {
      // Read afresh: another owner may have left since the page was drawn.
      const owners = (await client.fetchQuery({ ...queries.members(company.id), staleTime: 0 })).filter((m) => m.role === 'owner').length;
      if (owners <= 1) { setOpen('last-owner'); return; }
    }
    setOpen('confirm');
  });

  return (
    <Section title={t('leave.title')} id="leave">
      <p>{t(owner ? 'leave.bodyOwner' : 'leave.body', { company: company.name })}</p>
      {check.error ? <ErrorMessage>{check.error.detail}</ErrorMessage> : null}
      <Button variant="danger" busy={check.busy} onPress={() => void start()}>{t('leave.button')}</Button>

      <ConfirmDialog isOpen={open === 'confirm'} onClose={() => setOpen(null)} title={t('leave.confirmTitle', { company: company.name })}
        confirmLabel={t('leave.confirm')} typedConfirmation={company.name}
        onConfirm={async () => {
          await team.leave(company.id, company.name);
          client.removeQueries({ queryKey: keys.company(company.id) });
          void client.invalidateQueries({ queryKey: keys.companies });
          void client.invalidateQueries({ queryKey: keys.apps });
          navigate('/', { flash: t('leave.left', { company: company.name }) });
        }}>
        <ul className="plain-list">
          <li>{t('leave.noAccess', { company: company.name })}</li>
          <li>{t('leave.ownersTold')}</li>
          <li>{t('leave.comeBack')}</li>
        </ul>
      </ConfirmDialog>
      <InfoDialog isOpen={open === 'last-owner'} onClose={() => setOpen(null)} title={t('leave.lastOwnerTitle')}>
        <p>{t('leave.lastOwner', { company: company.name })}</p>
        <ol className="plain-list">
          <li>{t('leave.lastOwnerStep1')}</li>
          <li>{t('leave.lastOwnerStep2')}</li>
        </ol>
        <p>{t('leave.lastOwnerDelete', { company: company.name })}</p>
      </InfoDialog>
    </Section>
  );
}
