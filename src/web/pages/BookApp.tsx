import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
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
import { appNameProblem, REGION_OPTIONS } from './appShared';
import { NotFoundPage } from './NotFound';

interface Loaded { company: Company; contacts: BillingContact[]; catalogue: PlanCatalogue }

export function BookAppPage({ companyId }: { companyId: string }) {
  const company = useQuery(queries.company(companyId));
  const contacts = useQuery(queries.billingContacts(companyId));
  const catalogue = useQuery(queries.plans());
  // One state for the three reads: the form needs all of them.
  const all = allOf([company, contacts, catalogue], ([c, b, p]): Loaded => ({ company: c, contacts: b.items, catalogue: p }));
  return (
    <QueryState query={all} error={(problem) => problem.code === 'not_found' ? <NotFoundPage what="Company" /> : undefined}
      frame={(body) => <Page title="Book an App">{body}</Page>}>
      {(data) => <BookForm {...data} />}
    </QueryState>
  );
}

function BookForm({ company, contacts, catalogue }: Loaded) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [region, setRegion] = useState<Region>('eu1');
  const [contactId, setContactId] = useState(contacts.length === 1 ? contacts[0].id : '');
  // Start from the smallest size of every component.
  const [plan, setPlan] = useState<Plan>(() => Object.fromEntries(catalogue.components.map((c) => [c.id, c.sizes[0]?.id ?? ''])));
  const { busy, error, run, fieldError } = useSubmit();
  const companyLink = <Link to={`/companies/${encodeURIComponent(company.id)}`}>{company.name}</Link>;
  if (!can(company.role, 'app.book')) {
    return <Page title="Book an App" lead={<>For {companyLink}</>}><ErrorMessage>Only owners and admins of the Company can book Apps.</ErrorMessage></Page>;
  }
  const contact = contacts.find((c) => c.id === contactId) ?? null;
  const currency = contact?.currency ?? null;

  const submit = () => run(async () => {
    const problems = [
      appNameProblem(name.trim()) && { path: 'name', message: appNameProblem(name.trim())! },
      !contactId && { path: 'billingContactId', message: 'Choose who pays for this App.' },
    ].filter((e): e is { path: string; message: string } => !!e);
    if (problems.length) throw invalid(problems);
    const app = await apps.book({ name: name.trim(), region, companyId: company.id, billingContactId: contactId, plan });
    client.setQueryData(keys.app(app.name), app);
    void client.invalidateQueries({ queryKey: keys.apps });
    void client.invalidateQueries({ queryKey: keys.companyAppNames(company.id) });
    void client.invalidateQueries({ queryKey: keys.activity(company.id) });
    navigate(`/apps/${encodeURIComponent(app.name)}`, { flash: `The App “${app.name}” is booked for ${company.name}.` });
  });

  return (
    <Page title="Book an App" lead={<>For {companyLink}. The App is billed monthly to the billing contact you choose.</>}>
      {contacts.length === 0 ? (
        <EmptyState title="This Company has no billing contact yet">An owner of the Company needs to add one before Apps can be booked.</EmptyState>
      ) : (
        <Form onSubmit={submit} error={error} busy={busy} label="Book an App">
          <Section title="App">
            <div className="form">
              <TextField label="App name" name="name" value={name} onChange={(v) => setName(v.toLowerCase())} isRequired autoComplete="off"
                spellCheck={false} error={fieldError('name') ?? (error?.code === 'app_name_taken' ? error.detail : undefined)}
                description="3 to 30 lowercase letters, digits and hyphens. It becomes part of the web address and cannot be changed later." />
              <RadioGroup legend="Region" name="region" value={region} onChange={(v) => setRegion(v as Region)} options={REGION_OPTIONS} />
            </div>
          </Section>
          <Section title="Billing">
            <SelectField label="Billing contact" name="billingContactId" value={contactId} onChange={setContactId} isRequired
              placeholder="Choose a billing contact" options={contacts.map((c) => ({ value: c.id, label: c.currency ? `${c.name} (${c.currency})` : c.name }))}
              error={fieldError('billingContactId')} description="Invoices for this App go to this contact." />
          </Section>
          <Section title="Plan">
            <PlanPicker catalogue={catalogue} value={plan} onChange={setPlan} currency={currency} error={fieldError('plan')} />
          </Section>
          <section className="card summary" aria-labelledby="book-summary">
            <h2 id="book-summary">Summary</h2>
            <p>
              <strong className="mono">{name.trim() || 'Your new App'}</strong> for {company.name}, billed to {contact?.name ?? 'the chosen billing contact'}.
            </p>
            <p>{describePlan(catalogue, plan)}</p>
            <p>Monthly price: <strong className="price">{priceText(catalogue, plan, currency)}</strong> (excluding VAT). Billing starts today; you can change the plan at any time.</p>
          </section>
          <FormActions><Button type="submit" variant="primary" busy={busy}>Book App</Button></FormActions>
        </Form>
      )}
    </Page>
  );
}
