import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { Trans, useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import type { App, Plan, PlanCatalogue } from '../../api/models';
import { keys, queries } from '../../api/queries';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/Dialog';
import { ErrorMessage, Notice } from '../../components/Feedback';
import { SelectField, TextAreaField, TextField } from '../../components/fields';
import { currentLanguage } from '../../i18n';
import { isLanguage, LANGUAGES, type Language } from '../../../shared/i18n/index';
import { Form, FormActions, invalid, useSubmit } from '../../components/Form';
import { QueryState } from '../../components/QueryState';
import { Section } from '../../components/Layout';
import { planPrice, PlanPicker } from '../../components/PlanPicker';
import { formatCents, formatDateTime, formatMoney, personName } from '../../format';
import { canOnApp } from '../../permissions';
import { Link } from '../../router';
import { clientInvitations } from '../../api/endpoints';
import { expiresIn } from '../../format';
import type { ClientInvitation } from '../../api/models';
import '../invitation/invitation.css';

const STATES = ['pending', 'expired', 'accepted', 'revoked', 'declined'] as const;
type State = (typeof STATES)[number];
const isState = (value: string): value is State => (STATES as readonly string[]).includes(value);
const STATE_BADGE: Record<string, string> = { pending: 'badge-trial', accepted: 'badge-active', expired: 'badge-suspended' };

function HandoverDialog({ app, catalogue, isOpen, onClose, onSent }: {
  app: App; catalogue: PlanCatalogue; isOpen: boolean; onClose: () => void; onSent: (invitation: ClientInvitation) => void;
}) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [message, setMessage] = useState('');
  // The client's mails in the language the client reads; the developer's own to start with (ADR 0092).
  const [language, setLanguage] = useState<Language>(() => currentLanguage());
  const [plan, setPlan] = useState<Plan>(app.plan);
  const { t } = useTranslation();
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
    if (!email.trim()) throw invalid([{ path: 'email', message: t('handover.dialog.missingEmail') }]);
    const sent = await clientInvitations.create(app.name, {
      email: email.trim(), plan, language, ...(name.trim() ? { name: name.trim() } : {}), ...(message.trim() ? { message: message.trim() } : {}),
    });
    setEmail(''); setName(''); setMessage('');
    onSent(sent);
    onClose();
  });

  return (
    <ModalOverlay isOpen={isOpen} onOpenChange={(open) => { if (!open) close(); }} isDismissable className="modal-overlay">
      <Modal className="modal modal-wide">
        <Dialog className="dialog">
          <Heading slot="title" className="dialog-title">{t('handover.dialog.title', { app: app.name })}</Heading>
          <div ref={body}>
            <Form onSubmit={submit} error={error} busy={busy} label={t('handover.dialog.form')}>
              {isApiError(error, 'name_required') ? (
                <p><Trans i18nKey="handover.dialog.nameRequired" components={{ anchor: <Link to="/profile" /> }} /></p>
              ) : null}
              <TextField label={t('handover.dialog.email')} name="email" type="email" autoComplete="off" value={email} onChange={setEmail}
                isRequired error={fieldError('email')} description={t('handover.dialog.emailHint')} />
              <TextField label={t('handover.dialog.name')} name="clientName" value={name} onChange={setName} autoComplete="off"
                error={fieldError('name')} description={t('handover.dialog.nameHint')} />
              <TextAreaField label={t('handover.dialog.message')} name="message" value={message} onChange={setMessage} rows={3}
                error={fieldError('message')} description={t('handover.dialog.messageHint')} />
              <SelectField label={t('handover.dialog.language')} name="language" value={language} isRequired
                onChange={(value) => { if (isLanguage(value)) setLanguage(value); }} error={fieldError('language')}
                description={t('handover.dialog.languageHint')}
                options={LANGUAGES.map((code) => ({ value: code, label: t(`language.${code}`) }))} />
              <PlanPicker catalogue={catalogue} value={plan} onChange={setPlan} currency={null} error={fieldError('plan')}
                legend={t('handover.dialog.plan')} />
              <div className="notice notice-info">
                <p className="notice-title">{t('handover.dialog.whatHappens')}</p>
                <ul className="plain-list">
                  <li>{t('handover.dialog.mail')}</li>
                  <li>{t('handover.dialog.moves', { app: app.name })}</li>
                  <li>{t('handover.dialog.pays', { eur: formatCents(planPrice(catalogue, plan, 'EUR'), 'EUR'), usd: formatCents(planPrice(catalogue, plan, 'USD'), 'USD') })}{trial ? t('handover.dialog.trialEnds') : ''}</li>
                  {app.company && !trial ? <li>{t('handover.dialog.previous', { company: app.company.name, app: app.name })}</li> : null}
                  <li>{t('handover.dialog.admin', { app: app.name })}</li>
                </ul>
              </div>
              <FormActions>
                <Button type="submit" variant="primary" busy={busy}>{t('handover.dialog.send')}</Button>
                <Button onPress={close}>{t('handover.dialog.cancel')}</Button>
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
  const { t } = useTranslation();
  const [revoking, setRevoking] = useState(false);
  const { busy, error, run } = useSubmit();
  const open = invitation.state === 'pending' || invitation.state === 'expired';
  const resend = () => run(async () => {
    const next = await clientInvitations.resend(appName, invitation.id);
    await onChanged();
    onNotice(t('handover.resent', { email: next.email }));
  });
  return (
    <li className="item">
      <div className="item-main">
        <p className="item-title">{[invitation.name, invitation.email].filter(Boolean).join(' · ')}</p>
        <p className="item-meta">
          <span className={`badge ${STATE_BADGE[invitation.state] ?? ''}`}>{isState(invitation.state) ? t(`handover.state.${invitation.state}`) : invitation.state}</span>
          {open ? <span title={formatDateTime(invitation.expiresAt)}>{expiresIn(invitation.expiresAt) === t('time.expired') ? t('handover.expired') : t('handover.link', { expires: expiresIn(invitation.expiresAt) })}</span> : null}
          <span>{t('handover.perMonth', { price: formatMoney(invitation.monthlyPrice) })}</span>
          <span>{t('handover.sentBy', { name: personName(invitation.invitedBy) })}</span>
        </p>
        {error ? <ErrorMessage>{error.detail}</ErrorMessage> : null}
      </div>
      {open ? (
        <div className="card-actions">
          <Button onPress={() => void resend()} busy={busy} aria-label={t('handover.resendLabel', { email: invitation.email })}>{t('handover.resend')}</Button>
          {invitation.state === 'pending' ? (
            <Button variant="quiet" onPress={() => setRevoking(true)} aria-label={t('handover.revokeLabel', { email: invitation.email })}>{t('handover.revoke')}</Button>
          ) : null}
        </div>
      ) : null}
      <ConfirmDialog isOpen={revoking} onClose={() => setRevoking(false)} title={t('handover.revokeTitle')} confirmLabel={t('handover.revokeConfirm')}
        onConfirm={async () => {
          await clientInvitations.revoke(appName, invitation.id);
          await onChanged();
          onNotice(t('handover.revoked', { email: invitation.email }));
        }}>
        <p><Trans i18nKey="handover.revokeBody" values={{ email: invitation.email }} components={{ strong: <strong /> }} /></p>
      </ConfirmDialog>
    </li>
  );
}

/**
 * "Hand over to client" on the App page (SPEC 4.1): the invitation dialog and the App's
 * client invitations with resend and revoke. Shown to the trial creator and the owners.
 */
export function HandoverPanel({ app }: { app: App }) {
  const { t } = useTranslation();
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
    <Section title={t('handover.title')} id="handover"
      // One open invitation per App: said before the form, not after it (issue 17); the hint below says why.
      actions={catalogue ? <Button variant="primary" isDisabled={hasOpen} onPress={() => setDialogOpen(true)}>{t('handover.open')}</Button> : null}>
      <p>{t('handover.intro', { app: app.name })}</p>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {hasOpen ? <p className="hint">{t('handover.oneOpen')}</p> : null}
      <QueryState query={invitations}>{({ items }) => items.length ? (
        <>
          <h3 className="subheading">{t('handover.list')}</h3>
          <ul className="item-list" aria-label={t('handover.list')}>
            {items.map((invitation) => (
              <InvitationItem key={invitation.id} appName={app.name} invitation={invitation} onChanged={load} onNotice={setNotice} />
            ))}
          </ul>
        </>
      ) : null}</QueryState>
      {catalogue ? (
        <HandoverDialog app={app} catalogue={catalogue} isOpen={dialogOpen} onClose={() => setDialogOpen(false)}
          onSent={(sent) => {
            setNotice(t('handover.sent', { email: sent.email, expires: expiresIn(sent.expiresAt), at: formatDateTime(sent.expiresAt) }));
            void load();
          }} />
      ) : null}
    </Section>
  );
}
