import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { apps } from '../api/endpoints';
import type { BillingContact, Company, Plan, PlanCatalogue, Region } from '../api/models';
import { keys, queries } from '../api/queries';
import { Button } from '../components/Button';
import { EmptyState, ErrorMessage } from '../components/Feedback';
import { RadioGroup, SelectField, TextField } from '../components/fields';
import { Form, FormActions, invalid, useSubmit } from '../components/Form';
import { Page, Section } from '../components/Layout';
import { allOf, QueryState } from '../components/QueryState';
import { describePlan, PlanPicker, priceText } from '../components/PlanPicker';
import { can } from '../permissions';
import { Link, navigate } from '../router';
import { appNameProblem, regionOptions } from './appShared';
import { NotFoundPage } from './NotFound';
import { costKeys, isCostRequestAnswer } from './company/costsApi';

interface Loaded { company: Company; contacts: BillingContact[]; catalogue: PlanCatalogue }

export function BookAppPage({ companyId }: { companyId: string }) {
  const { t } = useTranslation();
  const company = useQuery(queries.company(companyId));
  const contacts = useQuery(queries.billingContacts(companyId));
  const catalogue = useQuery(queries.plans());
  // One state for the three reads: the form needs all of them.
  const all = allOf([company, contacts, catalogue], ([c, b, p]): Loaded => ({ company: c, contacts: b.items, catalogue: p }));
  return (
    <QueryState query={all} error={(problem) => problem.code === 'not_found' ? <NotFoundPage what="company" /> : undefined}
      frame={(body) => <Page title={t('book.title')}>{body}</Page>}>
      {(data) => <BookForm {...data} />}
    </QueryState>
  );
}

function BookForm({ company, contacts, catalogue }: Loaded) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [region, setRegion] = useState<Region>('eu1');
  const [contactId, setContactId] = useState(contacts.length === 1 ? contacts[0].id : '');
  // Start from the smallest size of every component.
  const [plan, setPlan] = useState<Plan>(() => Object.fromEntries(catalogue.components.map((c) => [c.id, c.sizes[0]?.id ?? ''])));
  const { busy, error, run, fieldError } = useSubmit();
  const companyLink = <Link to={`/companies/${encodeURIComponent(company.id)}`} />;
  if (!can(company.role, 'app.book')) {
    return (
      <Page title={t('book.title')} lead={<Trans i18nKey="book.forCompany" values={{ company: company.name }} components={{ anchor: companyLink }} />}>
        <ErrorMessage>{t('book.notAllowed')}</ErrorMessage>
      </Page>
    );
  }
  const contact = contacts.find((c) => c.id === contactId) ?? null;
  const currency = contact?.currency ?? null;

  const submit = () => run(async () => {
    const problems = [
      appNameProblem(name.trim()) && { path: 'name', message: appNameProblem(name.trim())! },
      !contactId && { path: 'billingContactId', message: t('book.missingContact') },
    ].filter((e): e is { path: string; message: string } => !!e);
    if (problems.length) throw invalid(problems);
    const answer = await apps.book({ name: name.trim(), region, companyId: company.id, billingContactId: contactId, plan });
    if (isCostRequestAnswer(answer)) {
      // Issue 17: the Company asks its owners first; nothing is booked yet.
      void client.invalidateQueries({ queryKey: costKeys.requests(company.id) });
      void client.invalidateQueries({ queryKey: keys.activity(company.id) });
      navigate(`/companies/${encodeURIComponent(company.id)}`, { flash: t('cost.web.sentForApproval') });
      return;
    }
    const app = answer;
    client.setQueryData(keys.app(app.name), app);
    void client.invalidateQueries({ queryKey: keys.apps });
    void client.invalidateQueries({ queryKey: keys.companyAppNames(company.id) });
    void client.invalidateQueries({ queryKey: keys.activity(company.id) });
    navigate(`/apps/${encodeURIComponent(app.name)}`, { flash: t('book.booked', { app: app.name, company: company.name }) });
  });

  return (
    <Page title={t('book.title')} lead={<Trans i18nKey="book.lead" values={{ company: company.name }} components={{ anchor: companyLink }} />}>
      {contacts.length === 0 ? (
        <EmptyState title={t('book.noContactTitle')}>
          <Trans i18nKey="book.noContact" values={{ company: company.name }} components={{ anchor: companyLink }} />
        </EmptyState>
      ) : (
        <Form onSubmit={submit} error={error} busy={busy} label={t('book.title')}>
          <Section title={t('book.app')}>
            <div className="form">
              <TextField label={t('book.name')} name="name" value={name} onChange={(v) => setName(v.toLowerCase())} isRequired autoComplete="off"
                spellCheck={false} error={fieldError('name') ?? (error?.code === 'app_name_taken' ? error.detail : undefined)}
                description={t('book.nameHint')} />
              <RadioGroup legend={t('book.region')} name="region" value={region} onChange={(v) => setRegion(v as Region)} options={regionOptions()} />
            </div>
          </Section>
          <Section title={t('book.billing')}>
            <SelectField label={t('book.contact')} name="billingContactId" value={contactId} onChange={setContactId} isRequired
              placeholder={t('book.contactPlaceholder')}
              options={contacts.map((c) => ({ value: c.id, label: c.currency ? t('book.contactWithCurrency', { name: c.name, currency: c.currency }) : c.name }))}
              error={fieldError('billingContactId')} description={t('book.contactHint')} />
          </Section>
          <Section title={t('book.plan')}>
            <PlanPicker catalogue={catalogue} value={plan} onChange={setPlan} currency={currency} error={fieldError('plan')} />
          </Section>
          <section className="card summary" aria-labelledby="book-summary">
            <h2 id="book-summary">{t('book.summary')}</h2>
            <p>
              <Trans i18nKey="book.summaryLine" components={{ app: <strong className="mono" /> }}
                values={{ app: name.trim() || t('book.yourNewApp'), company: company.name, contact: contact?.name ?? t('book.chosenContact') }} />
            </p>
            <p>{describePlan(catalogue, plan)}</p>
            <p><Trans i18nKey="book.summaryPrice" values={{ price: priceText(catalogue, plan, currency) }} components={{ strong: <strong className="price" /> }} /></p>
          </section>
          <FormActions><Button type="submit" variant="primary" busy={busy}>{t('book.submit')}</Button></FormActions>
        </Form>
      )}
    </Page>
  );
}
