import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { apps } from '../../api/endpoints';
import type { App, BillingContact, CompanySummary, PlanCatalogue } from '../../api/models';
import { queries } from '../../api/queries';
import { Button } from '../../components/Button';
import { Callout, EmptyState, ErrorMessage, Loading, Notice } from '../../components/Feedback';
import { SelectField } from '../../components/fields';
import { Form, FormActions, invalid, toApiError, useSubmit } from '../../components/Form';
import { Section } from '../../components/Layout';
import { planPrice } from '../../components/PlanPicker';
import { formatCents } from '../../format';
import { Link } from '../../router';
import { FormDialog } from '../company/FormDialog';
import '../company/team.css';
import '../invitation/invitation.css';

/** Billing cuts over by UTC day on the server: the old contact pays through today, the new one from tomorrow. */
function utcDay(offsetDays: number): string {
  const date = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

function MoveDialog({ app, targets, catalogue, isOpen, onClose, onMoved }: {
  app: App; targets: CompanySummary[]; catalogue: PlanCatalogue | null; isOpen: boolean; onClose: () => void; onMoved: (app: App) => void;
}) {
  const [targetId, setTargetId] = useState('');
  const [chosenContactId, setContactId] = useState('');
  const { busy, error, setError, run, fieldError } = useSubmit();
  const close = () => { setError(null); onClose(); };
  const contactsQuery = useQuery({ ...queries.billingContacts(targetId), enabled: !!targetId });
  const contacts: BillingContact[] | null = targetId ? contactsQuery.data?.items ?? null : null;
  // A Company with one billing contact needs no choice.
  const contactId = contacts?.length === 1 ? contacts[0].id : chosenContactId;

  const target = targets.find((c) => c.id === targetId);
  const contact = contacts?.find((c) => c.id === contactId);
  const from = app.company?.name ?? '';
  const submit = () => run(async () => {
    const problems = [];
    if (!targetId) problems.push({ path: 'toCompanyId', message: 'Choose the Company the App moves to.' });
    else if (!contactId) problems.push({ path: 'billingContactId', message: 'Choose who pays for the App from tomorrow.' });
    if (problems.length) throw invalid(problems);
    const moved = await apps.transfer(app.name, { toCompanyId: targetId, billingContactId: contactId });
    setTargetId('');
    onMoved(moved);
    onClose();
  });

  return (
    <FormDialog isOpen={isOpen} onClose={close} title={`Move ${app.name} to another Company`} wide focusSelector="select">
      <Form onSubmit={submit} error={error} busy={busy} label="Move to another Company">
        <SelectField label="Move to" name="toCompanyId" value={targetId} onChange={(id) => { setError(null); setTargetId(id); setContactId(''); }} isRequired placeholder="Choose a Company"
          options={targets.map((c) => ({ value: c.id, label: c.name }))} error={fieldError('toCompanyId')}
          description="Only Companies you own are listed." />
        {targetId ? (contactsQuery.isError ? <ErrorMessage>{toApiError(contactsQuery.error).detail}</ErrorMessage> : contacts === null ? <Loading label="Loading billing contacts…" /> : contacts.length === 0 ? (
          <p className="hint">{target?.name} has no billing contact yet. <Link to={`/companies/${encodeURIComponent(targetId)}`}>Open {target?.name}</Link> to add one, then move the App.</p>
        ) : (
          <SelectField label="Who pays for it" name="billingContactId" value={contactId} onChange={setContactId} isRequired
            placeholder={contacts.length > 1 ? 'Choose a billing contact' : undefined} error={fieldError('billingContactId')}
            options={contacts.map((c) => ({ value: c.id, label: contacts.length > 1 && c.currency ? `${c.name} (${c.currency})` : c.name }))} />
        )) : null}
        <div className="notice notice-info">
          <p className="notice-title">What will happen</p>
          <ul className="plain-list move-summary">
            <li>{from} pays for {app.name} through today ({utcDay(0)}).</li>
            <li>{target ? target.name : 'The Company you choose'} pays from tomorrow ({utcDay(1)}){contact ? `, billed to ${contact.name}` : ''}
              {contact?.currency && catalogue ? `: ${formatCents(planPrice(catalogue, app.plan, contact.currency), contact.currency)} a month, excluding VAT` : ''}. The plan stays the same.</li>
            <li>People who are only in {from} no longer see {app.name}; its collaborators there lose access. Open client invitations for it are withdrawn.</li>
            <li>The owners of both Companies get an e-mail.</li>
          </ul>
        </div>
        <FormActions>
          <Button type="submit" variant="primary" busy={busy} isDisabled={contacts !== null && contacts.length === 0}>
            {target ? `Move to ${target.name}` : 'Move App'}
          </Button>
          <Button onPress={close}>Cancel</Button>
        </FormActions>
      </Form>
    </FormDialog>
  );
}

/**
 * "Move to another Company" on the App page (SPEC 4.5): only for an owner of the App's
 * Company, for Apps that are not trials, into another Company the viewer owns.
 */
export function MoveAppPanel({ app, onMoved }: { app: App; onMoved?: (app: App) => void }) {
  const fromId = app.company?.id;
  const owner = app.access === 'owner' && !!fromId && app.status !== 'trial';
  const sourceQuery = useQuery({ ...queries.company(fromId ?? ''), enabled: owner });
  const mine = useQuery({ ...queries.myCompanies(), enabled: owner });
  const catalogue = useQuery({ ...queries.plans(), enabled: owner }).data ?? null;
  const source = sourceQuery.data ?? null;
  const targets = mine.data?.filter((c) => c.role === 'owner' && c.id !== fromId) ?? null;
  const loadError = sourceQuery.error ?? mine.error;
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState('');

  if (app.status === 'trial' && app.access === 'trial') {
    return (
      <Section title="Move to another Company" id="move-app">
        <p className="hint">A free trial App belongs to you, not to a Company, so there is nothing to move yet. Hand it over to your client instead: it then moves into their Company.</p>
      </Section>
    );
  }
  if (!owner || !app.company) return null;
  const ready = source && targets;
  return (
    <Section title="Move to another Company" id="move-app"
      actions={ready && !source.blockTransfersOut && targets.length ? <Button onPress={() => { setNotice(''); setOpen(true); }}>Move to another Company…</Button> : null}>
      <p>Move {app.name} to another Company you own, for example when a client sets up a Company of their own. Everything in the App stays as it is; only who pays for it and who sees it change.</p>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {loadError ? <ErrorMessage>{toApiError(loadError).detail}</ErrorMessage> : !ready ? <Loading /> : source.blockTransfersOut ? (
        <Callout title="Transfers out are blocked">
          <p>{source.name} does not let Apps move out. An owner can switch “Block transfers out” off on the{' '}
            <Link to={`/companies/${encodeURIComponent(source.id)}`}>{source.name} page</Link>, under Transfers.</p>
        </Callout>
      ) : targets.length === 0 ? (
        <EmptyState title="You own no other Company" action={{ to: '/companies/new', label: 'Set up a new Company' }}>
          An App can only move to a Company you own as well. Set one up, then come back here.
        </EmptyState>
      ) : null}
      {ready && targets.length ? (
        <MoveDialog app={app} targets={targets} catalogue={catalogue} isOpen={open} onClose={() => setOpen(false)}
          onMoved={(moved) => {
            setNotice(`${moved.name} now belongs to ${moved.company?.name ?? 'the other Company'}. ${app.company?.name} pays through today.`);
            onMoved?.(moved);
          }} />
      ) : null}
    </Section>
  );
}
