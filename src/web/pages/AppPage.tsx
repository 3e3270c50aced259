import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
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
import { formatDate, formatMoney, timeLeft } from '../format';
import { canOnApp } from '../permissions';
import { Link, navigate, useLocation } from '../router';
import { EnvEditor } from './EnvEditor';
import { CodeAccessPanel } from './app/CodeAccessPanel';
import { HandoverPanel } from './app/HandoverPanel';
import { MoveAppPanel } from './app/MoveAppPanel';
import { REGION_LABEL } from './appShared';
import { accessLabel, STATUS_LABEL } from './lists';
import { NotFoundPage } from './NotFound';

function NotesForm({ app, onSaved }: { app: App; onSaved: (app: App) => void }) {
  const [notes, setNotes] = useState(app.notes ?? '');
  const [saved, setSaved] = useState(false);
  const { busy, error, run, fieldError } = useSubmit();
  const submit = () => run(async () => {
    setSaved(false);
    onSaved(await apps.update(app.name, { notes }));
    setSaved(true);
  });
  return (
    <Form onSubmit={submit} error={error} busy={busy} label="Notes">
      {saved ? <Notice tone="success">The notes are saved.</Notice> : null}
      <TextAreaField label="Notes" name="notes" value={notes} onChange={setNotes} error={fieldError('notes')}
        description="Anything your team should know about this App. Only people with access to the App see it." />
      <FormActions><Button type="submit" busy={busy}>Save notes</Button></FormActions>
    </Form>
  );
}

function ScaleForm({ app, catalogue, onSaved }: { app: App; catalogue: PlanCatalogue; onSaved: (app: App) => void }) {
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
    <Form onSubmit={submit} error={error} busy={busy} label="Change the plan">
      {saved ? <Notice tone="success">The new plan is active. The price changes from today.</Notice> : null}
      <PlanPicker catalogue={catalogue} value={plan} onChange={setPlan} currency={app.monthlyPrice.currency} error={fieldError('plan')} />
      <FormActions><Button type="submit" variant="primary" busy={busy} isDisabled={!changed}>Change plan</Button></FormActions>
    </Form>
  );
}

export function AppPage({ name }: { name: string }) {
  const query = useQuery(queries.app(name));
  return (
    <QueryState query={query} loadingLabel="Loading the App…"
      error={(problem) => problem.code === 'not_found' ? <NotFoundPage what="App" /> : undefined}
      frame={(body) => <Page title={name}>{body}</Page>}>
      {(app) => <AppView app={app} />}
    </QueryState>
  );
}

function AppView({ app }: { app: App }) {
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
  return (
    <Page title={app.name} lead={app.company
      ? <>Belongs to <Link to={`/companies/${encodeURIComponent(app.company.id)}`}>{app.company.name}</Link></>
      : 'Your free trial App. It belongs to you until you hand it over or book it for a Company.'}>
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      <Section title="Overview">
        <dl className="facts">
          <div><dt>Status</dt><dd><span className={`badge badge-${app.status}`}>{STATUS_LABEL[app.status] ?? app.status}</span></dd></div>
          <div><dt>Monthly price</dt><dd>{trial ? 'Free during the trial' : formatMoney(app.monthlyPrice)}</dd></div>
          {trial ? <div><dt>Trial time left</dt><dd>{timeLeft(app.trialEndsAt)}{app.trialEndsAt ? ` (until ${formatDate(app.trialEndsAt)})` : ''}</dd></div> : null}
          <div><dt>Plan</dt><dd>{describePlan(catalogue, app.plan)}</dd></div>
          <div><dt>Region</dt><dd>{REGION_LABEL[app.region] ?? app.region}</dd></div>
          {app.billingContact ? <div><dt>Billed to</dt><dd>{app.billingContact.name}</dd></div> : null}
          <div><dt>Your access</dt><dd>{accessLabel(app.access)}</dd></div>
          <div><dt>Created</dt><dd>{formatDate(app.createdAt)}</dd></div>
        </dl>
        {trial ? (
          <p className="hint">When the trial ends, the App is deleted unless it has been handed over to a client or booked for a Company.</p>
        ) : null}
      </Section>

      {canOnApp(app.access, 'app.settings') ? (
        <>
          <Section title="Environment variables"><EnvEditor appName={app.name} /></Section>
          <Section title="Notes"><NotesForm app={app} onSaved={setApp} /></Section>
        </>
      ) : null}

      {!trial && canOnApp(app.access, 'app.scale') && catalogue ? (
        <Section title="Scale"><ScaleForm app={app} catalogue={catalogue} onSaved={setApp} /></Section>
      ) : null}

      <CodeAccessPanel app={app} />
      <HandoverPanel app={app} />
      <MoveAppPanel app={app} onMoved={(moved) => {
        setApp(moved);
        // Both Companies' Apps, billing and activity change.
        for (const id of [app.company?.id, moved.company?.id]) if (id) void client.invalidateQueries({ queryKey: keys.company(id) });
      }} />

      {canOnApp(app.access, 'app.delete') ? (
        <Section title="Delete this App">
          <p>The website goes offline and its files and database are removed. The name stays reserved for 7 days.</p>
          <Button variant="danger" onPress={() => setDeleting(true)}>Delete App…</Button>
        </Section>
      ) : null}

      <ConfirmDialog isOpen={deleting} onClose={() => setDeleting(false)} title={`Delete ${app.name}?`} confirmLabel="Delete App for good"
        typedConfirmation={app.name}
        onConfirm={async () => {
          await apps.remove(app.name);
          client.removeQueries({ queryKey: keys.app(app.name) });
          void client.invalidateQueries({ queryKey: keys.apps });
          if (app.company) void client.invalidateQueries({ queryKey: keys.company(app.company.id) });
          navigate('/', { flash: `The App “${app.name}” was deleted.` });
        }}>
        <p>This deletes the website <strong>{app.name}</strong> with its files, database and settings. It cannot be undone.</p>
      </ConfirmDialog>
    </Page>
  );
}
