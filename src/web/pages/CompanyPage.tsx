import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../api/client';
import { auth, companies } from '../api/endpoints';
import type { AppSummary, BillingContact, Company } from '../api/models';
import { keys, queries } from '../api/queries';
import { Button, LinkButton } from '../components/Button';
import { ConfirmDialog } from '../components/Dialog';
import { EmptyState, ErrorMessage, Notice } from '../components/Feedback';
import { PasswordField, Switch, TextField } from '../components/fields';
import { Form, FormActions, useSubmit } from '../components/Form';
import { QueryState } from '../components/QueryState';
import { Page, Section } from '../components/Layout';
import { countryName } from '../countries';
import { can, roleLabel } from '../permissions';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { ActivityList } from './ActivityList';
import { LeaveCompany } from './company/LeaveCompany';
import { TeamPanel } from './company/TeamPanel';
import { pageItems, ShowMore, STATUS_LABEL } from './lists';
import { NotFoundPage } from './NotFound';

function brandName(brand: string): string {
  const known: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', sepa_debit: 'SEPA Direct Debit', card: 'Card' };
  return known[brand.toLowerCase()] ?? brand.charAt(0).toUpperCase() + brand.slice(1);
}

function BillingContacts({ id, full }: { id: string; full: boolean }) {
  const query = useQuery(queries.billingContacts(id));
  return <QueryState query={query}>{({ items }) => <ContactList items={items} full={full} />}</QueryState>;
}

function ContactList({ items, full }: { items: BillingContact[]; full: boolean }) {
  if (!items.length) return <EmptyState title="No billing contact yet">A billing contact is needed before Apps can be booked for this Company.</EmptyState>;
  return (
    <ul className="item-list" aria-label="Billing contacts">
      {items.map((c) => (
        <li key={c.id} className="item">
          <div className="item-main">
            <p className="item-title">{c.name}</p>
            {full && c.address ? (
              <p className="item-meta">
                <span>{[c.address.line1, c.address.line2, `${c.address.postalCode} ${c.address.city}`, countryName(c.address.country)].filter(Boolean).join(', ')}</span>
                {c.invoiceEmail ? <span>Invoices to {c.invoiceEmail}</span> : null}
                {c.currency ? <span>Pays in {c.currency}</span> : null}
                {c.vatNumber ? <span>VAT {c.vatNumber}</span> : null}
                {c.paymentMethod ? (
                  <span>{brandName(c.paymentMethod.brand ?? c.paymentMethod.type)} ending in {c.paymentMethod.last4}
                    {c.paymentMethod.expMonth ? `, expires ${String(c.paymentMethod.expMonth).padStart(2, '0')}/${c.paymentMethod.expYear}` : ''}</span>
                ) : null}
              </p>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

function CompanyApps({ company }: { company: Company }) {
  const query = useInfiniteQuery(queries.appPages(company.id));
  return (
    <QueryState query={query}>{(data) => (
      <>
        <AppItems company={company} items={pageItems(data).filter((a) => !a.company || a.company.id === company.id)} />
        <ShowMore query={query} label="Show more Apps" />
      </>
    )}</QueryState>
  );
}

function AppItems({ company, items }: { company: Company; items: AppSummary[] }) {
  if (!items.length) {
    return (
      <EmptyState title="No Apps in this Company yet" action={can(company.role, 'app.book') ? { to: `/companies/${encodeURIComponent(company.id)}/book`, label: 'Book an App' } : undefined}>
        {can(company.role, 'app.book') ? 'Book an App to host a website for this Company.' : 'Apps you have access to appear here.'}
      </EmptyState>
    );
  }
  return (
    <ul className="item-list" aria-label="Apps of this Company">
        {items.map((a) => (
          <li key={a.name} className="item">
            <div className="item-main">
              <Link to={`/apps/${encodeURIComponent(a.name)}`} className="item-title mono">{a.name}</Link>
              <p className="item-meta"><span className={`badge badge-${a.status}`}>{STATUS_LABEL[a.status] ?? a.status}</span></p>
            </div>
          </li>
        ))}
    </ul>
  );
}

function Settings({ company }: { company: Company }) {
  const { me } = useSession();
  const client = useQueryClient();
  // The answer is the new state: put it in the cache, and refresh the lists that show the name.
  const onChange = (next: Company) => {
    client.setQueryData(keys.company(company.id), next);
    void client.invalidateQueries({ queryKey: keys.companyPages });
    void client.invalidateQueries({ queryKey: keys.companies, exact: true });
    void client.invalidateQueries({ queryKey: keys.activity(company.id) });
  };
  const [name, setName] = useState(company.name);
  const [renamed, setRenamed] = useState(false);
  const rename = useSubmit();
  const block = useSubmit();
  const [blockMessage, setBlockMessage] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [password, setPassword] = useState('');

  const toggleBlock = (value: boolean) => void block.run(async () => {
    setBlockMessage(null);
    const next = await companies.update(company.id, { blockTransfersOut: value });
    onChange(next);
    setBlockMessage(value ? 'Transfers out are now blocked.' : 'Transfers out are allowed again.');
  });

  return (
    <>
      {can(company.role, 'company.rename') ? (
        <Section title="Company name">
          <Form error={rename.error} busy={rename.busy} label="Rename the Company" onSubmit={() => rename.run(async () => {
            setRenamed(false);
            const next = await companies.update(company.id, { name: name.trim() });
            onChange(next);
            setRenamed(true);
          })}>
            {renamed ? <Notice tone="success">The Company is renamed.</Notice> : null}
            <TextField label="Company name" name="companyName" value={name} onChange={setName} isRequired error={rename.fieldError('name')} />
            <FormActions><Button type="submit" busy={rename.busy}>Rename</Button></FormActions>
          </Form>
        </Section>
      ) : null}
      {can(company.role, 'company.blockTransfersOut') ? (
        <Section title="Transfers">
          <p className="hint">When this is on, no App can be moved out of this Company or handed over to someone else until you switch it off.</p>
          {block.error ? <ErrorMessage>{block.error.detail}</ErrorMessage> : null}
          <Switch isSelected={company.blockTransfersOut} onChange={toggleBlock} isDisabled={block.busy}>Block transfers out</Switch>
          {blockMessage ? <Notice tone="success">{blockMessage}</Notice> : null}
        </Section>
      ) : null}
      {can(company.role, 'company.delete') ? (
        <Section title="Delete this Company">
          <p>All of the Company’s Apps are deleted and every member loses access. Invoices already sent stay valid.</p>
          <Button variant="danger" onPress={() => setDeleting(true)}>Delete Company…</Button>
          <ConfirmDialog isOpen={deleting} onClose={() => { setDeleting(false); setPassword(''); }} title={`Delete ${company.name}?`}
            confirmLabel="Delete Company for good" typedConfirmation={company.name}
            onConfirm={async () => {
              try {
                await companies.remove(company.id, company.name);
              } catch (error) {
                if (!isApiError(error, 'reauthentication_required') || !me) throw error;
                // Deleting needs a recent sign-in: sign in again with the password typed here, then retry once.
                await auth.signIn({ email: me.email, password });
                await companies.remove(company.id, company.name);
              }
              client.removeQueries({ queryKey: keys.company(company.id) });
              void client.invalidateQueries({ queryKey: keys.companies });
              void client.invalidateQueries({ queryKey: keys.apps });
              navigate('/', { flash: `The Company “${company.name}” was deleted.` });
            }}>
            <p>This deletes <strong>{company.name}</strong> and all its Apps. It cannot be undone.</p>
            <PasswordField label="Your password" name="password" value={password} onChange={setPassword} autoComplete="current-password"
              description="For your safety, deleting a Company needs your password if you signed in more than 10 minutes ago." />
          </ConfirmDialog>
        </Section>
      ) : null}
    </>
  );
}

export function CompanyPage({ id }: { id: string }) {
  const query = useQuery(queries.company(id));
  return (
    <QueryState query={query} loadingLabel="Loading the Company…"
      error={(problem) => problem.code === 'not_found' ? <NotFoundPage what="Company" /> : undefined}
      frame={(body) => <Page title="Company">{body}</Page>}>
      {(company) => <CompanyView company={company} />}
    </QueryState>
  );
}

function CompanyView({ company }: { company: Company }) {
  const { flash } = useLocation();
  const role = company.role;
  return (
    <Page title={company.name} lead={<>Your role: <strong>{roleLabel(role)}</strong>{company.blockTransfersOut ? ' · Transfers out are blocked' : ''}</>}
      actions={can(role, 'app.book') ? <LinkButton to={`/companies/${encodeURIComponent(company.id)}/book`} variant="primary">Book an App</LinkButton> : undefined}>
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      <Section title="Apps"><CompanyApps company={company} /></Section>
      <TeamPanel company={company} />
      {can(role, 'billing.view') ? (
        <Section title="Billing contacts"><BillingContacts id={company.id} full={role === 'owner' || role === 'accountant'} /></Section>
      ) : null}
      {can(role, 'activity.view') ? <Section title="Activity"><ActivityList companyId={company.id} /></Section> : null}
      <Settings company={company} />
      <LeaveCompany company={company} />
    </Page>
  );
}
