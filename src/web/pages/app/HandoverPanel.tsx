import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { isApiError } from '../../api/client';
import type { App, Plan, PlanCatalogue } from '../../api/models';
import { keys, queries } from '../../api/queries';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/Dialog';
import { ErrorMessage, Notice } from '../../components/Feedback';
import { TextAreaField, TextField } from '../../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../../components/Form';
import { QueryState } from '../../components/QueryState';
import { Section } from '../../components/Layout';
import { planPrice, PlanPicker } from '../../components/PlanPicker';
import { formatCents, formatDateTime, formatMoney } from '../../format';
import { i18n } from '../../i18n';
import { canOnApp } from '../../permissions';
import { Link } from '../../router';
import { clientInvitations } from '../../api/endpoints';
import { expiresIn } from '../../format';
import type { ClientInvitation } from '../../api/models';
import '../invitation/invitation.css';

const STATE_LABEL: Record<string, string> = {
  pending: 'Waiting for the client', expired: 'Expired', accepted: 'Accepted', revoked: 'Revoked', declined: 'Declined',
};
const STATE_BADGE: Record<string, string> = { pending: 'badge-trial', accepted: 'badge-active', expired: 'badge-suspended' };

function HandoverDialog({ app, catalogue, isOpen, onClose, onSent }: {
  app: App; catalogue: PlanCatalogue; isOpen: boolean; onClose: () => void; onSent: (invitation: ClientInvitation) => void;
}) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [message, setMessage] = useState('');
  const [plan, setPlan] = useState<Plan>(app.plan);
  const { busy, error, setError, run, fieldError } = useSubmit();
  const trial = app.status === 'trial';
  const close = () => { setError(null); onClose(); };
  // Start where the person types: the client's e-mail (React Aria first focuses the dialog itself).
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!isOpen) return;
    const frame = requestAnimationFrame(() => body.current?.querySelector<HTMLInputElement>('input[name="email"]')?.focus());
    return () => cancelAnimationFrame(frame);
  }, [isOpen]);

  const submit = () => run(async () => {
    if (!email.trim()) throw invalid([{ path: 'email', message: 'Enter your client’s e-mail address.' }]);
    const sent = await clientInvitations.create(app.name, {
      email: email.trim(), plan, ...(name.trim() ? { name: name.trim() } : {}), ...(message.trim() ? { message: message.trim() } : {}),
    });
    setEmail(''); setName(''); setMessage('');
    onSent(sent);
    onClose();
  });

  return (
    <ModalOverlay isOpen={isOpen} onOpenChange={(open) => { if (!open) close(); }} isDismissable className="modal-overlay">
      <Modal className="modal modal-wide">
        <Dialog className="dialog">
          <Heading slot="title" className="dialog-title">Hand {app.name} over to your client</Heading>
          <div ref={body}>
            <Form onSubmit={submit} error={error} busy={busy} label="Hand over to client">
              {isApiError(error, 'name_required') ? (
                <p><Link to="/profile">Open your profile</Link> to add them, then come back here.</p>
              ) : null}
              <TextField label="Client’s e-mail address" name="email" type="email" autoComplete="off" value={email} onChange={setEmail}
                isRequired error={fieldError('email')} description="The invitation goes to this address. Only this address can accept it." />
              <TextField label="Client’s name" name="clientName" value={name} onChange={setName} autoComplete="off"
                error={fieldError('name')} description="Used to greet them in the mail." />
              <TextAreaField label="Personal message" name="message" value={message} onChange={setMessage} rows={3}
                error={fieldError('message')} description="Shown in the mail and on the invitation page." />
              <PlanPicker catalogue={catalogue} value={plan} onChange={setPlan} currency={null} error={fieldError('plan')}
                legend="The plan your client pays for" />
              <div className="notice notice-info">
                <p className="notice-title">What will happen</p>
                <ul className="plain-list">
                  <li>We e-mail your client a link to accept. It works for a limited time; you can send a new one here.</li>
                  <li>When they accept, {app.name} moves to their own Company (a new one with their billing details, or one they already own) and they become its owner.</li>
                  <li>They pay {formatCents(planPrice(catalogue, plan, 'EUR'), 'EUR')} a month ({formatCents(planPrice(catalogue, plan, 'USD'), 'USD')} if they pay in US dollars), excluding VAT, from the day after they accept.{trial ? ' The free trial ends then.' : ''}</li>
                  {app.company && !trial ? <li>{app.company.name} pays for {app.name} up to and including that day.</li> : null}
                  <li>You become admin of their Company and keep working on {app.name}. You never see their payment details.</li>
                </ul>
              </div>
              <FormActions>
                <Button type="submit" variant="primary" busy={busy}>Send invitation</Button>
                <Button onPress={close}>Cancel</Button>
              </FormActions>
            </Form>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

function InvitationItem({ appName, invitation, onChanged, onNotice }: {
  appName: string; invitation: ClientInvitation; onChanged: () => Promise<void>; onNotice: (text: string) => void;
}) {
  const [revoking, setRevoking] = useState(false);
  const { busy, error, run } = useSubmit();
  const open = invitation.state === 'pending' || invitation.state === 'expired';
  const resend = () => run(async () => {
    const next = await clientInvitations.resend(appName, invitation.id);
    await onChanged();
    onNotice(`A new link was sent to ${next.email}. The previous link no longer works.`);
  });
  return (
    <li className="item">
      <div className="item-main">
        <p className="item-title">{invitation.name ? `${invitation.name} · ` : ''}{invitation.email}</p>
        <p className="item-meta">
          <span className={`badge ${STATE_BADGE[invitation.state] ?? ''}`}>{STATE_LABEL[invitation.state] ?? invitation.state}</span>
          {open ? <span title={formatDateTime(invitation.expiresAt)}>{expiresIn(invitation.expiresAt) === i18n.t('time.expired') ? 'Expired' : `Link ${expiresIn(invitation.expiresAt)}`}</span> : null}
          <span>{formatMoney(invitation.monthlyPrice)} a month</span>
          <span>Sent by {invitation.invitedBy.firstName} {invitation.invitedBy.lastName}</span>
        </p>
        {error ? <ErrorMessage>{error.detail}</ErrorMessage> : null}
      </div>
      {open ? (
        <div className="card-actions">
          <Button onPress={() => void resend()} busy={busy} aria-label={`Resend the invitation to ${invitation.email}`}>Resend</Button>
          {invitation.state === 'pending' ? (
            <Button variant="quiet" onPress={() => setRevoking(true)} aria-label={`Revoke the invitation to ${invitation.email}`}>Revoke</Button>
          ) : null}
        </div>
      ) : null}
      <ConfirmDialog isOpen={revoking} onClose={() => setRevoking(false)} title="Revoke this invitation?" confirmLabel="Revoke invitation"
        onConfirm={async () => {
          await clientInvitations.revoke(appName, invitation.id);
          await onChanged();
          onNotice(`The invitation to ${invitation.email} is revoked. Its link no longer works.`);
        }}>
        <p>The link sent to <strong>{invitation.email}</strong> stops working at once. You can invite them again later.</p>
      </ConfirmDialog>
    </li>
  );
}

/**
 * "Hand over to client" on the App page (SPEC 4.1): the invitation dialog and the App's
 * client invitations with resend and revoke. Shown to the trial creator and the owners.
 */
export function HandoverPanel({ app }: { app: App }) {
  const allowed = canOnApp(app.access, 'app.handover');
  const client = useQueryClient();
  const invitations = useQuery({ ...queries.clientInvitations(app.name), enabled: allowed });
  const catalogue = useQuery({ ...queries.plans(), enabled: allowed }).data ?? null;
  const [dialogOpen, setDialogOpen] = useState(false);
  const [notice, setNotice] = useState('');
  const load = () => client.invalidateQueries({ queryKey: keys.clientInvitations(app.name) });

  if (!allowed) return null;
  const hasOpen = invitations.data?.items.some((i) => i.state === 'pending') ?? false;
  return (
    <Section title="Hand over to a client" id="handover"
      actions={catalogue ? <Button variant="primary" onPress={() => setDialogOpen(true)}>Hand over to client</Button> : null}>
      <p>Your client becomes the owner of {app.name} and pays for it with their own billing details. You stay on as admin.</p>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {hasOpen ? <p className="hint">An invitation is open. Resend or revoke it before inviting someone else.</p> : null}
      <QueryState query={invitations}>{({ items }) => items.length ? (
        <>
          <h3 className="subheading">Client invitations</h3>
          <ul className="item-list" aria-label="Client invitations">
            {items.map((invitation) => (
              <InvitationItem key={invitation.id} appName={app.name} invitation={invitation} onChanged={load} onNotice={setNotice} />
            ))}
          </ul>
        </>
      ) : null}</QueryState>
      {catalogue ? (
        <HandoverDialog app={app} catalogue={catalogue} isOpen={dialogOpen} onClose={() => setDialogOpen(false)}
          onSent={(sent) => {
            setNotice(`Invitation sent to ${sent.email}. The link ${expiresIn(sent.expiresAt)} (${formatDateTime(sent.expiresAt)}).`);
            void load();
          }} />
      ) : null}
    </Section>
  );
}
