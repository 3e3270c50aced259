import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
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
import { formatUtcDate } from '../../../shared/format';
import { currentLanguage } from '../../i18n';
import { Link } from '../../router';
import { FormDialog } from '../company/FormDialog';
import '../company/team.css';
import '../invitation/invitation.css';

/** Billing cuts over by UTC day on the server: the old contact pays through today, the new one from tomorrow. */
function utcDay(offsetDays: number): string {
  const date = new Date(Date.now() + offsetDays * 86_400_000);
  return formatUtcDate(date, currentLanguage());
}

function MoveDialog({ app, targets, catalogue, isOpen, onClose, onMoved }: {
  app: App; targets: CompanySummary[]; catalogue: PlanCatalogue | null; isOpen: boolean; onClose: () => void; onMoved: (app: App) => void;
}) {
  const { t } = useTranslation();
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
  const to = target ? target.name : t('move.chosenCompany');
  const tomorrow = utcDay(1);
  const paysFrom = contact?.currency && catalogue
    ? t('move.paysTomorrowPrice', { to, tomorrow, contact: contact.name, price: formatCents(planPrice(catalogue, app.plan, contact.currency), contact.currency) })
    : contact ? t('move.paysTomorrowContact', { to, tomorrow, contact: contact.name }) : t('move.paysTomorrow', { to, tomorrow });
  const submit = () => run(async () => {
    const problems = [];
    if (!targetId) problems.push({ path: 'toCompanyId', message: t('move.missingTarget') });
    else if (!contactId) problems.push({ path: 'billingContactId', message: t('move.missingPayer') });
    if (problems.length) throw invalid(problems);
    const moved = await apps.transfer(app.name, { toCompanyId: targetId, billingContactId: contactId });
    setTargetId('');
    onMoved(moved);
    onClose();
  });

  return (
    <FormDialog isOpen={isOpen} onClose={close} title={t('move.dialogTitle', { app: app.name })} wide focusSelector="select">
      <Form onSubmit={submit} error={error} busy={busy} label={t('move.form')}>
        <SelectField label={t('move.to')} name="toCompanyId" value={targetId} onChange={(id) => { setError(null); setTargetId(id); setContactId(''); }} isRequired placeholder={t('move.toPlaceholder')}
          options={targets.map((c) => ({ value: c.id, label: c.name }))} error={fieldError('toCompanyId')}
          description={t('move.toHint')} />
        {targetId ? (contactsQuery.isError ? <ErrorMessage>{toApiError(contactsQuery.error).detail}</ErrorMessage> : contacts === null ? <Loading label={t('move.loadingContacts')} /> : contacts.length === 0 ? (
          <p className="hint"><Trans i18nKey="move.noContact" values={{ company: target?.name ?? '' }} components={{ anchor: <Link to={`/companies/${encodeURIComponent(targetId)}`} /> }} /></p>
        ) : (
          <SelectField label={t('move.payer')} name="billingContactId" value={contactId} onChange={setContactId} isRequired
            placeholder={contacts.length > 1 ? t('move.payerPlaceholder') : undefined} error={fieldError('billingContactId')}
            options={contacts.map((c) => ({ value: c.id, label: contacts.length > 1 && c.currency ? t('book.contactWithCurrency', { name: c.name, currency: c.currency }) : c.name }))} />
        )) : null}
        <div className="notice notice-info">
          <p className="notice-title">{t('move.whatHappens')}</p>
          <ul className="plain-list move-summary">
            <li>{t('move.paysToday', { from, app: app.name, today: utcDay(0) })}</li>
            <li>{paysFrom}</li>
            <li>{t('move.access', { from, app: app.name })}</li>
            <li>{t('move.mails')}</li>
          </ul>
        </div>
        <FormActions>
          <Button type="submit" variant="primary" busy={busy} isDisabled={contacts !== null && contacts.length === 0}>
            {target ? t('move.submitTo', { company: target.name }) : t('move.submit')}
          </Button>
          <Button onPress={close}>{t('move.cancel')}</Button>
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
  const { t } = useTranslation();

  if (app.status === 'trial' && app.access === 'trial') {
    return (
      <Section title={t('move.title')} id="move-app">
        <p className="hint">{t('move.trialHint')}</p>
      </Section>
    );
  }
  if (!owner || !app.company) return null;
  const ready = source && targets;
  return (
    <Section title={t('move.title')} id="move-app"
      actions={ready && !source.blockTransfersOut && targets.length ? <Button onPress={() => { setNotice(''); setOpen(true); }}>{t('move.open')}</Button> : null}>
      <p>{t('move.intro', { app: app.name })}</p>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {loadError ? <ErrorMessage>{toApiError(loadError).detail}</ErrorMessage> : !ready ? <Loading /> : source.blockTransfersOut ? (
        <Callout title={t('move.blockedTitle')}>
          <p><Trans i18nKey="move.blocked" values={{ company: source.name }} components={{ anchor: <Link to={`/companies/${encodeURIComponent(source.id)}`} /> }} /></p>
        </Callout>
      ) : targets.length === 0 ? (
        <EmptyState title={t('move.noTargetTitle')} action={{ to: '/companies/new', label: t('move.newCompany') }}>{t('move.noTarget')}</EmptyState>
      ) : null}
      {ready && targets.length ? (
        <MoveDialog app={app} targets={targets} catalogue={catalogue} isOpen={open} onClose={() => setOpen(false)}
          onMoved={(moved) => {
            setNotice(t('move.moved', { app: moved.name, company: moved.company?.name ?? t('move.otherCompany'), from: app.company?.name ?? '' }));
            onMoved?.(moved);
          }} />
      ) : null}
    </Section>
  );
}
