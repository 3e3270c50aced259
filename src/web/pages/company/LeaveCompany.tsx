import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
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
    <Section title="Leave this Company" id="leave">
      <p>You lose access to {company.name} and its Apps at once. To come back, someone in the Company has to invite you again.
        {owner ? ' As an owner you can leave only while another owner remains.' : ''}</p>
      {check.error ? <ErrorMessage>{check.error.detail}</ErrorMessage> : null}
      <Button variant="danger" busy={check.busy} onPress={() => void start()}>Leave company…</Button>

      <ConfirmDialog isOpen={open === 'confirm'} onClose={() => setOpen(null)} title={`Leave ${company.name}?`}
        confirmLabel="Leave company" typedConfirmation={company.name}
        onConfirm={async () => {
          await team.leave(company.id, company.name);
          client.removeQueries({ queryKey: keys.company(company.id) });
          void client.invalidateQueries({ queryKey: keys.companies });
          void client.invalidateQueries({ queryKey: keys.apps });
          navigate('/', { flash: `You left ${company.name}.` });
        }}>
        <ul className="plain-list">
          <li>You can no longer open {company.name} or any of its Apps, and your code access to them ends.</li>
          <li>The owners get an e-mail that you left.</li>
          <li>To come back, someone in the Company has to invite you again.</li>
        </ul>
      </ConfirmDialog>
      <InfoDialog isOpen={open === 'last-owner'} onClose={() => setOpen(null)} title="You are the only owner">
        <p>Every Company needs an owner, so you cannot leave {company.name} yet. To hand it on:</p>
        <ol className="plain-list">
          <li>Under Members, choose “Change role” next to the person who should take over and make them owner (or invite someone as owner and wait until they join).</li>
          <li>Then come back here and leave.</li>
        </ol>
        <p>If nobody needs {company.name} any more, delete it instead (under “Delete this Company”).</p>
      </InfoDialog>
    </Section>
  );
}
