import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { apps } from '../api/endpoints';
import type { App, Plan, PlanCatalogue } from '../api/models';
import { keys, queries } from '../api/queries';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/Dialog';
import { Notice } from '../components/Feedback';
import { TextAreaField } from '../components/fields';
import { Form, FormActions, useSubmit } from '../components/Form';
import { Page, Section } from '../components/Layout';
import { QueryState } from '../components/QueryState';
import { describePlan, PlanPicker } from '../components/PlanPicker';
import { timeLeft } from '../format';
import { useFormat } from '../i18n';
import { canOnApp } from '../permissions';
import { Link, navigate, useLocation } from '../router';
import { EnvEditor } from './EnvEditor';
import { CodeAccessPanel } from './app/CodeAccessPanel';
import { HandoverPanel } from './app/HandoverPanel';
import { MoveAppPanel } from './app/MoveAppPanel';
import { regionLabel } from './appShared';
import { accessLabel, statusLabel } from './lists';
import { NotFoundPage } from './NotFound';
import { ClientAppView } from './app/ClientAppView';
import { useSession } from '../session';

function NotesForm({ app, onSaved }: { app: App; onSaved: (app: App) => void }) {
  const { t } = useTranslation();
  const [notes, setNotes] = useState(app.notes ?? '');
  const [saved, setSaved] = useState(false);
  const { busy, error, run, fieldError } = useSubmit();
  const submit = () => run(async () => {
    setSaved(false);
    onSaved(await apps.update(app.name, { notes }));
    setSaved(true);
  });
  return (
    <Form onSubmit={submit} error={error} busy={busy} label={t('app.notes')}>
      {saved ? <Notice tone="success">{t('app.notesSaved')}</Notice> : null}
      <TextAreaField label={t('app.notes')} name="notes" value={notes} onChange={setNotes} error={fieldError('notes')}
        description={t('app.notesHint')} />
      <FormActions><Button type="submit" busy={busy}>{t('app.saveNotes')}</Button></FormActions>
    </Form>
  );
}

function ScaleForm({ app, catalogue, onSaved }: { app: App; catalogue: PlanCatalogue; onSaved: (app: App) => void }) {
  const { t } = useTranslation();
  const [plan, setPlan] = useState<Plan>(app.plan);
  const [saved, setSaved] = useState(false);
  const { busy, error, run, fieldError } = useSubmit();
  const changed = JSON.stringify(plan) !== JSON.stringify(app.plan);
  const submit = () => run(async () => {
    setSaved(false);
    const next = await apps.setPlan(app.name, plan);
    onSaved(next);
    setPlan(next.plan);
    setSaved(true);
  });
  return (
    <Form onSubmit={submit} error={error} busy={busy} label={t('app.changePlanForm')}>
      {saved ? <Notice tone="success">{t('app.planChanged')}</Notice> : null}
      <PlanPicker catalogue={catalogue} value={plan} onChange={setPlan} currency={app.monthlyPrice.currency} error={fieldError('plan')} />
      <FormActions><Button type="submit" variant="primary" busy={busy} isDisabled={!changed}>{t('app.changePlan')}</Button></FormActions>
    </Form>
  );
}

export function AppPage({ name }: { name: string }) {
  const { t } = useTranslation();
  const query = useQuery(queries.app(name));
  return (
    <QueryState query={query} loadingLabel={t('app.loading')}
      error={(problem) => problem.code === 'not_found' ? <NotFoundPage what="app" /> : undefined}
      frame={(body) => <Page title={name}>{body}</Page>}>
      {(app) => <AppView app={app} />}
    </QueryState>
  );
}

function AppView({ app }: { app: App }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { flash } = useLocation();
  const client = useQueryClient();
  const catalogue = useQuery(queries.plans()).data ?? null;
  const [deleting, setDeleting] = useState(false);
  // A change's answer is the App's new state; lists showing it are read again.
  const setApp = (next: App) => {
    client.setQueryData(keys.app(app.name), next);
    void client.invalidateQueries({ queryKey: keys.apps });
    if (next.company) void client.invalidateQueries({ queryKey: keys.activity(next.company.id) });
  };

  const trial = app.status === 'trial';
  const { me } = useSession();
  const moved = (next: App) => {
    setApp(next);
    // Both Companies' Apps, billing and activity change.
    for (const id of [app.company?.id, next.company?.id]) if (id) void client.invalidateQueries({ queryKey: keys.company(id) });
  };
  const deletion = canOnApp(app.access, 'app.delete') ? (
    <Section title={t('app.deleteTitle')}>
      <p>{t('app.deleteBody')}</p>
      <Button variant="danger" onPress={() => setDeleting(true)}>{t('app.delete')}</Button>
    </Section>
  ) : null;
  const deleteDialog = (
    <ConfirmDialog isOpen={deleting} onClose={() => setDeleting(false)} title={t('app.deleteConfirmTitle', { app: app.name })} confirmLabel={t('app.deleteConfirm')}
      typedConfirmation={app.name}
      onConfirm={async () => {
        await apps.remove(app.name);
        client.removeQueries({ queryKey: keys.app(app.name) });
        void client.invalidateQueries({ queryKey: keys.apps });
        if (app.company) void client.invalidateQueries({ queryKey: keys.company(app.company.id) });
        navigate('/', { flash: t('app.deleted', { app: app.name }) });
      }}>
      <p><Trans i18nKey="app.deleteWarning" values={{ app: app.name }} components={{ strong: <strong /> }} /></p>
    </ConfirmDialog>
  );
  const webAddress = (app as App & { webAddress?: string }).webAddress;

  // A client Account that owns the App sees it as a business owner does (issue 17): no
  // environment editor at all, the rest behind one "Technical settings" disclosure.
  if (me?.accountType === 'client' && !trial) {
    return (
      <>
        <ClientAppView app={app} webAddress={webAddress} flash={flash} technical={(
          <>
            {canOnApp(app.access, 'app.settings') ? <Section title={t('app.notes')}><NotesForm app={app} onSaved={setApp} /></Section> : null}
            {canOnApp(app.access, 'app.scale') && catalogue ? <Section title={t('app.scale')}><ScaleForm app={app} catalogue={catalogue} onSaved={setApp} /></Section> : null}
            <MoveAppPanel app={app} onMoved={moved} />
            {deletion}
          </>
        )} />
        {deleteDialog}
      </>
    );
  }

  return (
    <Page title={app.name} lead={app.company
      ? <Trans i18nKey="app.belongsTo" values={{ company: app.company.name }} components={{ anchor: <Link to={`/companies/${encodeURIComponent(app.company.id)}`} /> }} />
      : t('app.trialLead')}>
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      <Section title={t('app.overview')}>
        <dl className="facts">
          <div><dt>{t('app.status')}</dt><dd><span className={`badge badge-${app.status}`}>{statusLabel(app.status)}</span></dd></div>
          <div><dt>{t('app.price')}</dt><dd>{trial ? t('app.freeTrial') : f.money(app.monthlyPrice)}</dd></div>
          {trial ? <div><dt>{t('app.trialLeft')}</dt><dd>{app.trialEndsAt ? t('app.trialUntil', { left: timeLeft(app.trialEndsAt), date: f.date(app.trialEndsAt) }) : timeLeft(app.trialEndsAt)}</dd></div> : null}
          <div><dt>{t('app.plan')}</dt><dd>{describePlan(catalogue, app.plan)}</dd></div>
          <div><dt>{t('app.region')}</dt><dd>{regionLabel(app.region)}</dd></div>
          {app.billingContact ? <div><dt>{t('app.billedTo')}</dt><dd>{app.billingContact.name}</dd></div> : null}
          <div><dt>{t('app.access')}</dt><dd>{accessLabel(app.access)}</dd></div>
          <div><dt>{t('app.created')}</dt><dd>{f.date(app.createdAt)}</dd></div>
        </dl>
        {trial ? <p className="hint">{t('app.trialHint')}</p> : null}
        {app.suspension ? <Notice tone="warning">{t('billing.suspended', { number: app.suspension.invoiceNumber, date: f.date(app.suspension.since) })}</Notice> : null}
      </Section>

      {canOnApp(app.access, 'app.settings') ? (
        <>
          <Section title={t('app.env')}><EnvEditor appName={app.name} /></Section>
          <Section title={t('app.notes')}><NotesForm app={app} onSaved={setApp} /></Section>
        </>
      ) : null}

      {!trial && canOnApp(app.access, 'app.scale') && catalogue ? (
        <Section title={t('app.scale')}><ScaleForm app={app} catalogue={catalogue} onSaved={setApp} /></Section>
      ) : null}

      <CodeAccessPanel app={app} />
      <HandoverPanel app={app} />
      <MoveAppPanel app={app} onMoved={moved} />
      {deletion}
      {deleteDialog}
    </Page>
  );
}
