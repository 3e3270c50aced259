import { useEffect, useState } from 'react';
import { isApiError } from '../api/client';
import { apps, companies, plans } from '../api/endpoints';
import type { BillingContact, Company, Plan, PlanCatalogue, Region } from '../api/models';
import { Button } from '../components/Button';
import { EmptyState, ErrorMessage, Loading } from '../components/Feedback';
import { RadioGroup, SelectField, TextField } from '../components/fields';
import { Form, FormActions, invalid, toApiError, useSubmit } from '../components/Form';
import { Page, Section } from '../components/Layout';
import { describePlan, PlanPicker, priceText } from '../components/PlanPicker';
import { can } from '../permissions';
import { Link, navigate } from '../router';
import { appNameProblem, REGION_OPTIONS } from './appShared';
import { NotFoundPage } from './NotFound';

interface Loaded { company: Company; contacts: BillingContact[]; catalogue: PlanCatalogue }

export function BookAppPage({ companyId }: { companyId: string }) {
  const [data, setData] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [name, setName] = useState('');
  const [region, setRegion] = useState<Region>('eu1');
  const [contactId, setContactId] = useState('');
  const [plan, setPlan] = useState<Plan>({});
  const { busy, error, run, fieldError } = useSubmit();

  useEffect(() => {
    Promise.all([companies.get(companyId), companies.billingContacts(companyId), plans.catalogue()]).then(([company, contacts, catalogue]) => {
      setData({ company, contacts: contacts.items, catalogue });
      if (contacts.items.length === 1) setContactId(contacts.items[0].id);
      // Start from the smallest size of every component.
      setPlan(Object.fromEntries(catalogue.components.map((c) => [c.id, c.sizes[0]?.id ?? ''])));
    }, (e) => {
      if (isApiError(e, 'not_found')) setMissing(true);
      else setLoadError(toApiError(e).detail);
    });
  }, [companyId]);

  if (missing) return <NotFoundPage what="Company" />;
  if (loadError) return <Page title="Book an App"><ErrorMessage>{loadError}</ErrorMessage></Page>;
  if (!data) return <Page title="Book an App"><Loading /></Page>;
  const { company, contacts, catalogue } = data;
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
