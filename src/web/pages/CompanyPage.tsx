import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { companies } from '../api/endpoints';
import type { AppSummary, BillingContact, Company } from '../api/models';
import { keys, queries } from '../api/queries';
import { Button, LinkButton } from '../components/Button';
import { ConfirmDialog } from '../components/Dialog';
import { EmptyState, ErrorMessage, Notice } from '../components/Feedback';
import { Switch, TextField } from '../components/fields';
import { Form, FormActions, useSubmit } from '../components/Form';
import { QueryState } from '../components/QueryState';
import { Page, Section } from '../components/Layout';
import { i18n, useFormat } from '../i18n';
import { paymentMethodText } from '../paymentMethod';
import { can, roleLabel } from '../permissions';
import { Link, navigate, useLocation } from '../router';
import { ActivityList } from './ActivityList';
import { BillingTab } from './company/BillingTab';
import { LeaveCompany } from './company/LeaveCompany';
import { TeamPanel } from './company/TeamPanel';
import { pageItems, ShowMore, statusLabel } from './lists';
import { TwoFactorPolicy } from './security/TwoFactorPolicy';
import { NotFoundPage } from './NotFound';
import { CostApprovalSwitch } from './company/CostApprovalSwitch';
import { CostRequestsPanel } from './company/CostRequestsPanel';
import { WebAddress } from '../components/WebAddress';
import { useSession } from '../session';


function BillingContacts({ id, full }: { id: string; full: boolean }) {
  const query = useQuery(queries.billingContacts(id));
  return <QueryState query={query}>{({ items }) => <ContactList items={items} full={full} />}</QueryState>;
}

function ContactList({ items, full }: { items: BillingContact[]; full: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!items.length) return <EmptyState title={t('company.noContactTitle')}>{t('company.noContact')}</EmptyState>;
  return (
    <ul className="item-list" aria-label={t('company.contacts')}>
      {items.map((c) => (
        <li key={c.id} className="item">
          <div className="item-main">
            <p className="item-title">{c.name}</p>
            {full && c.address ? (
              <p className="item-meta">
                <span>{[c.address.line1, c.address.line2, `${c.address.postalCode} ${c.address.city}`, f.country(c.address.country)].filter(Boolean).join(', ')}</span>
                {c.invoiceEmail ? <span>{t('company.invoicesTo', { email: c.invoiceEmail })}</span> : null}
                {c.currency ? <span>{t('company.paysIn', { currency: c.currency })}</span> : null}
                {c.vatNumber ? <span>{t('company.vat', { number: c.vatNumber })}</span> : null}
                {c.paymentMethod ? <span>{paymentMethodText(c.paymentMethod)}</span> : null}
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
        <ShowMore query={query} label={i18n.t('company.moreApps')} />
      </>
    )}</QueryState>
  );
}

function AppItems({ company, items }: { company: Company; items: AppSummary[] }) {
  const { t } = useTranslation();
  if (!items.length) {
    return (
      <EmptyState title={t('company.noAppsTitle')} action={can(company.role, 'app.book') ? { to: `/companies/${encodeURIComponent(company.id)}/book`, label: t('company.book') } : undefined}>
        {can(company.role, 'app.book') ? t('company.noAppsBook') : t('company.noAppsOther')}
      </EmptyState>
    );
  }
  return (
    <ul className="item-list" aria-label={t('company.appsLabel')}>
        {items.map((a) => (
          <li key={a.name} className="item">
            <div className="item-main">
              <Link to={`/apps/${encodeURIComponent(a.name)}`} className="item-title mono">{a.name}</Link>
              <p className="item-meta"><span className={`badge badge-${a.status}`}>{statusLabel(a.status)}</span>{a.webAddress ? <WebAddress address={a.webAddress} /> : null}</p>
            </div>
          </li>
        ))}
    </ul>
  );
}

function Settings({ company }: { company: Company }) {
  const { t } = useTranslation();
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

  const toggleBlock = (value: boolean) => void block.run(async () => {
    setBlockMessage(null);
    const next = await companies.update(company.id, { blockTransfersOut: value });
    onChange(next);
    setBlockMessage(value ? t('company.blocked') : t('company.unblocked'));
  });

  return (
    <>
      {can(company.role, 'company.rename') ? (
        <Section title={t('company.nameTitle')}>
          <Form error={rename.error} busy={rename.busy} label={t('company.renameForm')} onSubmit={() => rename.run(async () => {
            setRenamed(false);
            const next = await companies.update(company.id, { name: name.trim() });
            onChange(next);
            setRenamed(true);
          })}>
            {renamed ? <Notice tone="success">{t('company.renamed')}</Notice> : null}
            <TextField label={t('company.name')} name="companyName" value={name} onChange={setName} isRequired error={rename.fieldError('name')} />
            <FormActions><Button type="submit" busy={rename.busy}>{t('company.rename')}</Button></FormActions>
          </Form>
        </Section>
      ) : null}
      {can(company.role, 'company.blockTransfersOut') ? (
        <Section title={t('company.transfers')}>
          <p className="hint">{t('company.transfersHint')}</p>
          {block.error ? <ErrorMessage>{block.error.detail}</ErrorMessage> : null}
          <Switch isSelected={company.blockTransfersOut} onChange={toggleBlock} isDisabled={block.busy}>{t('company.block')}</Switch>
          {blockMessage ? <Notice tone="success">{blockMessage}</Notice> : null}
        </Section>
      ) : null}
      <CostApprovalSwitch company={company} onChange={onChange} />
      <TwoFactorPolicy company={company} onChange={onChange} />
      {can(company.role, 'company.delete') ? (
        <Section title={t('company.deleteTitle')}>
          <p>{t('company.deleteBody')}</p>
          <Button variant="danger" onPress={() => setDeleting(true)}>{t('company.delete')}</Button>
          <ConfirmDialog isOpen={deleting} onClose={() => setDeleting(false)} title={t('company.deleteConfirmTitle', { company: company.name })}
            confirmLabel={t('company.deleteConfirm')} typedConfirmation={company.name}
            onConfirm={async () => {
              // Without a password (or code) in the last 10 minutes, the API client's
              // re-authentication dialog asks for it and sends the request again (ReauthPrompt).
              await companies.remove(company.id, company.name);
              client.removeQueries({ queryKey: keys.company(company.id) });
              void client.invalidateQueries({ queryKey: keys.companies });
              void client.invalidateQueries({ queryKey: keys.apps });
              navigate('/', { flash: t('company.deleted', { company: company.name }) });
            }}>
            <p><Trans i18nKey="company.deleteWarning" values={{ company: company.name }} components={{ strong: <strong /> }} /></p>
            <p className="hint">{t('company.passwordHint')}</p>
          </ConfirmDialog>
        </Section>
      ) : null}
    </>
  );
}

export function CompanyPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const query = useQuery(queries.company(id));
  return (
    <QueryState query={query} loadingLabel={t('company.loading')}
      error={(problem) => problem.code === 'not_found' ? <NotFoundPage what="company" /> : undefined}
      frame={(body) => <Page title={t('company.title')}>{body}</Page>}>
      {(company) => <CompanyView company={company} />}
    </QueryState>
  );
}

function CompanyView({ company }: { company: Company }) {
  const { t } = useTranslation();
  const { flash, search } = useLocation();
  const { me } = useSession();
  const role = company.role;
  // Links from mails and the done page open the Billing part: /companies/<id>?tab=billing.
  const billing = useRef<HTMLDivElement>(null);
  const wantsBilling = search.get('tab') === 'billing';
  useEffect(() => { if (wantsBilling) billing.current?.scrollIntoView({ block: 'start' }); }, [wantsBilling]);
  const billingPart = (
    <div ref={billing} tabIndex={-1} className="anchor">
      {can(role, 'billing.view') ? (
        <Section title={t('company.contacts')}><BillingContacts id={company.id} full={role === 'owner' || role === 'accountant'} /></Section>
      ) : null}
      <BillingTab company={company} />
    </div>
  );
  const apps = <Section title={t('company.apps')}><CompanyApps company={company} /></Section>;
  // A client who owns the Company (a business owner) sees billing and team first (issue 17).
  const clientFirst = me?.accountType === 'client';
  return (
    <Page title={company.name}
      lead={company.blockTransfersOut
        ? <Trans i18nKey="company.leadBlocked" values={{ role: roleLabel(role) }} components={{ strong: <strong /> }} />
        : <Trans i18nKey="company.lead" values={{ role: roleLabel(role) }} components={{ strong: <strong /> }} />}
      actions={can(role, 'app.book') ? <LinkButton to={`/companies/${encodeURIComponent(company.id)}/book`} variant="primary">{t('company.book')}</LinkButton> : undefined}>
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      {company.requireCostApproval ? <CostRequestsPanel company={company} /> : null}
      {clientFirst ? <>{billingPart}<TeamPanel company={company} />{apps}</> : <>{apps}<TeamPanel company={company} />{billingPart}</>}
      {can(role, 'activity.view') ? <Section title={t('company.activity')}><ActivityList companyId={company.id} /></Section> : null}
      <Settings company={company} />
      <LeaveCompany company={company} />
    </Page>
  );
}
